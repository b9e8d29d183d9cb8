import { indentSql, quoteIdent } from '@t2s/db';
import { aggregateValue, RowQuery, scalarValue, startTable, type CriteriaCompiler } from './compile';
import type { ExplainQuery } from './explain';
import type { SemanticModel } from './semantic-model';
import type { PortraitDimensionSpec } from './semantic-model.schema';

type Label = { ru: string; en: string };

/** One value of a portrait line: how many of the segment and of the whole base have it. */
export interface PortraitBucket {
  /** The code, the band's lower bound as text, the attribute's name; null for clients with no value. */
  value: string | null;
  label: Label;
  segment: number;
  base: number;
}

export interface PortraitLine {
  key: string;
  label: Label;
  /** `share`: buckets overlap (a client holds several products), each out of all clients. */
  kind: 'distribution' | 'share';
  buckets: PortraitBucket[];
}

export interface Portrait {
  segmentSize: number;
  baseSize: number;
  lines: PortraitLine[];
}

/** What one portrait query counts: clients per bucket, of a segment or of the whole base. */
export interface PortraitCounts {
  size: number;
  lines: {
    key: string;
    label: Label;
    kind: PortraitLine['kind'];
    order: string[];
    buckets: { value: string | null; label: Label; count: number }[];
  }[];
}

/** A portrait line as one query computes it. */
interface Line {
  key: string;
  label: Label;
  kind: PortraitLine['kind'];
  bucket: (value: string | null) => Label;
  /** Buckets in their reading order (bands, the flags as listed); others follow by size. */
  order?: string[];
  /** distribution: the client's value, an expression over the client row (t0) and `joins`. */
  bucketSql?: string;
  /** The bands' lower bounds, ascending: the value is counted band by band, not shown. */
  bands?: number[];
  /** share of flags: the SELECT of each flag's holders, named by `order`. */
  flagSql?: string[];
  /** share by a column: SELECTs of (client_id, b) of the given clients, one row per client and value. */
  rowsSql?: (clients: string) => string;
}

const MAX_DEFAULT_FLAGS = 8;
const NO_VALUE: Label = { ru: 'нет данных', en: 'no data' };

/**
 * A segment against the whole base, on the semantic model's key attributes (its `portrait`, or by
 * default its coded client columns and yes/no attributes). Each side is one read-only query of one
 * column: one row per client with its bucket on every line, computed once, then counted by grouping
 * sets.
 */
export class PortraitBuilder {
  private readonly joins: string[] = [];
  /** The SELECT of the clients being counted, for the per-client subqueries; null for the whole base. */
  private clients: string | null = null;

  constructor(
    private readonly model: SemanticModel,
    private readonly compiler: CriteriaCompiler,
  ) {}

  /**
   * Counts per bucket of the clients `segmentSql` selects (its first column; generated or a person's),
   * or of the whole base when it is null. The base does not depend on the segment, so a caller may
   * keep it (per warehouse and data load) and ask only for the segment's side.
   */
  counts(segmentSql: string | null): ExplainQuery<PortraitCounts> {
    this.joins.length = 0;
    this.clients = segmentSql === null ? null : 'select client_id from seg';
    const row = new RowQuery(this.model, this.model.entity.table);
    const lines = this.lines(row);
    const id = `t0.${quoteIdent(this.model.entity.id)}`;
    const inner = [`${id} as client_id`];
    const outer = ['x.client_id'];
    const counted = ['count(*)'];
    const sets: string[] = [];
    const banded: string[] = [];
    lines.forEach((line, i) => {
      if (line.bucketSql) inner.push(`${line.bucketSql} as d_${i}`);
      if (line.bucketSql && !line.bands) {
        outer.push(`x.d_${i}::text as d_${i}`);
        sets.push(`d_${i}`);
      }
      // A value in bands is only compared, never returned: an age from a birth date may filter, not show.
      if (line.bands) banded.push(...bandCounts(i, line.bands));
      line.flagSql?.forEach((flag, j) => {
        // The whole base: one hashed set of holders; a segment: a probe per member (usually far fewer).
        inner.push(
          `${segmentSql === null ? `${id} in (\n${indentSql(flag)}\n)` : `exists (select 1 from (\n${indentSql(flag)}\n) h where h.client_id = ${id})`} as f_${i}_${j}`,
        );
        counted.push(`sum(case when f_${i}_${j} then 1 else 0 end)`);
      });
    });
    const from = [row.from(), ...this.joins].join('\n  ');
    const ctes =
      segmentSql === null
        ? []
        : [
            `seg_raw as (\n${indentSql(segmentSql)}\n)`,
            `seg as (select distinct s.c as client_id from seg_raw s(c))`,
          ];
    const where = segmentSql === null ? '' : `\n  where ${id} in (select client_id from seg)`;
    ctes.push(`wide as materialized (\n  select ${inner.join(',\n    ')}\n  from ${from}${where}\n)`);
    const rows = [`select json_build_array(-1, null, ${counted.join(', ')})::text as r from wide`, ...banded];
    if (sets.length > 0) {
      ctes.push(`banded as (select ${outer.join(', ')} from wide x)`);
      const which = sets.map((d) => `when grouping(${d}) = 0 then ${Number(d.slice(2))}`).join(' ');
      const value = sets.map((d) => `when grouping(${d}) = 0 then ${d}`).join(' ');
      rows.push(
        `select json_build_array(case ${which} end, case ${value} end, count(*))::text\nfrom banded\ngroup by grouping sets (${sets.map((d) => `(${d})`).join(', ')})`,
      );
    }
    lines.forEach((line, i) => {
      if (!line.rowsSql) return;
      rows.push(
        `select json_build_array(${i}, d.b, count(*))::text\nfrom (\n${indentSql(line.rowsSql('select client_id from wide'))}\n) d\ngroup by d.b`,
      );
    });
    const sql = `with ${ctes.join(',\n')}\n${rows.join('\nunion all\n')}`;
    return { sql, read: (result) => read(lines, result) };
  }

  private lines(row: RowQuery): Line[] {
    const configured = this.model.file.portrait;
    const specs = configured.length > 0 ? configured : this.defaults();
    return specs.map((spec, i) => this.line(spec, i, row));
  }

  /** The coded columns of the client table the model labels, then its yes/no attributes. */
  private defaults(): PortraitDimensionSpec[] {
    const entity = this.model.entity.table;
    const coded = Object.keys(this.model.file.labels)
      .filter((ref) => ref.startsWith(`${entity}.`))
      .map((column) => ({ column }));
    const flags = this.model.file.attributes
      .filter((a) => a.type === 'boolean' && a.measure.kind === 'related')
      .slice(0, MAX_DEFAULT_FLAGS)
      .map((a) => a.name);
    return [
      ...coded,
      ...(flags.length
        ? [{ attrs: flags, label: { ru: 'Что есть у клиента', en: 'What clients have' } }]
        : []),
    ];
  }

  private line(spec: PortraitDimensionSpec, index: number, row: RowQuery): Line {
    if ('attrs' in spec) {
      const labels = new Map(spec.attrs.map((name) => [name, this.attribute(name).label]));
      return {
        key: `flags_${index}`,
        label: spec.label,
        kind: 'share',
        bucket: (value) => (value !== null && labels.get(value)) || NO_VALUE,
        order: spec.attrs,
        flagSql: spec.attrs.map((name) => this.compiler.predicate({ type: 'attr', attr: name })),
      };
    }
    if ('bands' in spec) return this.bands(spec.attr, spec.bands, spec.label, index);
    if ('by' in spec) {
      const attribute = this.attribute(spec.attr);
      const measure = attribute.measure;
      if (measure.kind !== 'related') throw new Error(`portrait: ${spec.attr} is no yes/no attribute`);
      const query = new RowQuery(this.model, measure.table);
      const parts = [`${query.column(spec.by)} is not null`];
      if (measure.where) parts.push(query.condition(measure.where));
      if (measure.window) parts.push(query.window(measure.window));
      const owner = query.ownerId();
      const value = query.column(spec.by);
      return {
        key: spec.attr,
        label: spec.label ?? attribute.label,
        kind: 'share',
        bucket: (code) => this.codeLabel(spec.by, code),
        // Only the counted clients' rows: a segment's side reads its members' rows, not the table.
        rowsSql: (clients) =>
          `select distinct ${owner} as client_id, ${value}::text as b\nfrom ${query.from()}\nwhere ${[...parts, `${owner} in (${clients})`].join(' and ')}`,
      };
    }
    const table = spec.column.split('.')[0] as string;
    const entity = this.model.entity.table;
    let bucketSql: string;
    if (table === entity || this.model.graph.lookupPath(entity, table) !== null) {
      bucketSql = row.column(spec.column);
    } else {
      // A column of rows the client owns (employment): the least value, one per client.
      const start = startTable(this.model, { column: spec.column, cmp: { op: 'not_null' } });
      const query = new RowQuery(this.model, start);
      const value = query.column(spec.column);
      bucketSql = this.joined(index, query, `min(${value}::text)`, []);
    }
    return {
      key: spec.column,
      label: spec.label ?? this.columnLabel(spec.column),
      kind: 'distribution',
      bucket: (code) => this.codeLabel(spec.column, code),
      bucketSql,
    };
  }

  private bands(name: string, bounds: number[], label: Label | undefined, index: number): Line {
    const attribute = this.attribute(name);
    const measure = attribute.measure;
    let value: string;
    if (measure.kind === 'scalar' && measure.table === this.model.entity.table) {
      value = `(${scalarValue(this.model, measure.sql, this.model.nowSql)})`;
    } else if (measure.kind === 'scalar') {
      const query = new RowQuery(this.model, measure.table);
      value = this.joined(
        index,
        query,
        `min(${scalarValue(this.model, measure.sql, this.model.nowSql)})`,
        [],
      );
    } else if (measure.kind === 'aggregate') {
      const query = new RowQuery(this.model, measure.table);
      const parts: string[] = [];
      if (measure.where) parts.push(query.condition(measure.where));
      if (measure.window) parts.push(query.window(measure.window));
      const joined = this.joined(index, query, aggregateValue(query, measure), parts);
      // A client with no rows has a count (or a sum) of 0.
      value =
        measure.fn === 'count' || measure.fn === 'count_distinct' || measure.fn === 'sum'
          ? `coalesce(${joined}, 0)`
          : joined;
    } else {
      throw new Error(`portrait: ${name} is a yes/no attribute, it has no bands`);
    }
    const sorted = [...bounds].sort((a, b) => a - b);

    const names = bandNames(sorted, attribute.unit);
    return {
      key: name,
      label: label ?? attribute.label,
      kind: 'distribution',
      bucket: (v) => (v === null ? NO_VALUE : (names[Number(v)] ?? NO_VALUE)),
      order: names.map((_, i) => String(i)),
      bucketSql: value,
      bands: sorted,
    };
  }

  /** A per-client subquery left-joined to the client row; its value column. */
  private joined(index: number, query: RowQuery, value: string, where: string[]): string {
    const alias = `p_${index}`;
    const owner = query.ownerId();
    // A segment's side groups only its members' rows, not the whole table's.
    const parts = this.clients === null ? where : [...where, `${owner} in (${this.clients})`];
    const sql = `select ${owner} as client_id, ${value} as v\nfrom ${query.from()}${parts.length ? `\nwhere ${parts.join(' and ')}` : ''}\ngroup by ${owner}`;
    this.joins.push(
      `left join (\n${indentSql(sql)}\n) ${alias} on ${alias}.client_id = t0.${quoteIdent(this.model.entity.id)}`,
    );
    return `${alias}.v`;
  }

  private attribute(name: string) {
    const attribute = this.model.attribute(name);
    if (!attribute) throw new Error(`portrait: no attribute ${name} in the semantic model`);
    return attribute;
  }

  private codeLabel(column: string, code: string | null): Label {
    if (code === null) return NO_VALUE;
    const terms = this.model.labelsOf(column)[code];
    return { ru: terms?.ru[0] ?? code, en: terms?.en[0] ?? terms?.ru[0] ?? code };
  }

  private columnLabel(ref: string): Label {
    const [table = '', column = ''] = ref.split('.');
    const comment = this.model.graph.table(table)?.columns.find((c) => c.name === column)?.comment;
    const words = column.replaceAll('_', ' ');
    const first = comment
      ?.replace(/^\[[^\]]*\]\s*/, '')
      .split(/[:;.(—–,]/)[0]
      ?.trim();
    return { ru: first || words, en: words.charAt(0).toUpperCase() + words.slice(1) };
  }
}

/** One count per band of line i's value (and one of clients without it), each a filter on it. */
function bandCounts(i: number, bounds: number[]): string[] {
  const v = `d_${i}`;
  const conditions = [
    `${v} < ${bounds[0]}`,
    ...bounds.slice(1).map((bound, k) => `${v} >= ${bounds[k]} and ${v} < ${bound}`),
    `${v} >= ${bounds[bounds.length - 1]}`,
  ];
  return [
    `select json_build_array(${i}, null, count(*))::text from wide where ${v} is null`,
    ...conditions.map(
      (cond, k) =>
        `select json_build_array(${i}, ${literal(String(k))}, count(*))::text from wide where ${cond}`,
    ),
  ];
}

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** "до 18", "18–24", …, "65 и старше" for lower bounds 18, 25, …, 65 (whole numbers: the upper is the next minus 1). */
function bandNames(bounds: number[], unit: string | undefined): Label[] {
  const integral = bounds.every(Number.isInteger);
  const fmt = (n: number, lang: 'ru' | 'en') => n.toLocaleString(lang === 'ru' ? 'ru-RU' : 'en-US');
  const suffix = { ru: unit === 'year' ? ' лет' : '', en: unit === 'year' ? ' years' : '' };
  const names: Label[] = [];
  const first = bounds[0] as number;
  names.push({ ru: `до ${fmt(first, 'ru')}${suffix.ru}`, en: `under ${fmt(first, 'en')}${suffix.en}` });
  for (let i = 0; i + 1 < bounds.length; i++) {
    const low = bounds[i] as number;
    const high = integral ? (bounds[i + 1] as number) - 1 : (bounds[i + 1] as number);
    names.push({
      ru: `${fmt(low, 'ru')}–${fmt(high, 'ru')}${suffix.ru}`,
      en: `${fmt(low, 'en')}–${fmt(high, 'en')}${suffix.en}`,
    });
  }
  const last = bounds[bounds.length - 1] as number;
  names.push({
    ru: `${fmt(last, 'ru')} и больше${suffix.ru}`,
    en: `${fmt(last, 'en')} and over${suffix.en}`,
  });
  return names;
}

type Row = [number, string | null, ...number[]];

function read(lines: readonly Line[], rows: readonly string[]): PortraitCounts {
  const parsed = rows.map((row) => JSON.parse(row) as Row);
  const total = parsed.find((r) => r[0] === -1);
  if (!total) throw new Error('portrait: the query gave no totals');
  const flags = total.slice(3).map(Number);
  let flag = 0;
  return {
    size: Number(total[2]),
    lines: lines.map((line, i) => ({
      key: line.key,
      label: line.label,
      kind: line.kind,
      order: line.order ?? [],
      buckets: (line.flagSql
        ? line.flagSql.map((_, j) => [line.order?.[j] ?? null, flags[flag++] ?? 0] as const)
        : parsed.filter((r) => r[0] === i).map((r) => [r[1], Number(r[2])] as const)
      ).map(([value, count]) => ({ value, label: line.bucket(value), count })),
    })),
  };
}

/**
 * A segment's counts beside the base's, line by line (by key) and bucket by bucket, in each line's
 * reading order. The base's lines are the portrait's: a segment side counted under another portrait
 * (stored before the model changed) contributes to the lines the two share.
 */
export function portraitOf(segment: PortraitCounts, base: PortraitCounts): Portrait {
  return {
    segmentSize: segment.size,
    baseSize: base.size,
    lines: base.lines.map((line) => {
      const side = segment.lines.find((l) => l.key === line.key)?.buckets ?? [];
      const own = new Map(side.map((b) => [b.value, b.count]));
      const buckets = [...line.buckets];
      for (const b of side) {
        if (!buckets.some((x) => x.value === b.value)) buckets.push({ ...b, count: 0 });
      }
      const rank = (value: string | null) => {
        const at = value === null ? -1 : line.order.indexOf(value);
        return at === -1 ? Number.MAX_SAFE_INTEGER : at;
      };
      buckets.sort((a, b) => rank(a.value) - rank(b.value) || b.count - a.count);
      return {
        key: line.key,
        label: line.label,
        kind: line.kind,
        buckets: buckets.map((b) => ({
          value: b.value,
          label: b.label,
          segment: own.get(b.value) ?? 0,
          base: b.count,
        })),
      };
    }),
  };
}
