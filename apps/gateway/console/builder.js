// The criteria builder: each criterion a row of chips (include or exclude, attribute, operator, value,
// window), completed from the warehouse's attributes and coded values (GET /v1/warehouses/{name}/attributes).
// Free text fills it: after a run, the rows are the structure the parser produced (criteria.items[].spec)
// and each fragment it could not read is an open chip, turned into a row or dismissed. Running sends the
// structure as `criteriaSpec` with the text kept beside it, so nothing is parsed again and nothing is
// left to review. Every row is keyboard-driven: plain inputs with completion lists, in tab order.
import { h } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import htm from 'htm';
import { isMeaningful } from './understanding.js';

const html = htm.bind(h);

const TEXTS = {
  ru: {
    title: 'Конструктор критериев',
    hint: 'Признак, условие, значение и период; Tab — к следующему полю.',
    subject: 'признак',
    op: 'условие',
    value: 'значение',
    to: 'до',
    window: 'период',
    include: 'Включить клиентов, у которых выполняется критерий (нажмите, чтобы исключать)',
    exclude: 'Исключить клиентов, у которых выполняется критерий (нажмите, чтобы включать)',
    remove: 'Удалить критерий',
    add: '+ критерий',
    fragments: 'Не понято из текста',
    resolve: 'в критерий',
    dismiss: 'убрать',
    run: 'Запустить по конструктору',
    pending: 'Сначала превратите в критерий или уберите непонятые фрагменты',
    raw: 'составной критерий (как разобран)',
    ops: {
      eq: '=',
      ne: '≠',
      gt: '>',
      gte: '≥',
      lt: '<',
      lte: '≤',
      between: 'от … до',
      in: 'одно из',
      not_in: 'ни одно из',
      yes: 'есть',
      no: 'нет',
    },
    units: { day: 'дн', month: 'мес', year: 'лет' },
    unitLabels: { year: 'лет', month: 'мес', day: 'дн', rub: '₽', count: 'шт', percent: '%' },
    problems: {
      subject: 'Нет такого признака',
      op: 'Выберите условие',
      value: 'Нужно число',
      date: 'Нужна дата ГГГГ-ММ-ДД',
      code: (v) => `Нет значения «${v}»`,
      window: 'Период: число и дн, мес или лет',
    },
  },
  en: {
    title: 'Criteria builder',
    hint: 'Attribute, condition, value and period; Tab moves to the next field.',
    subject: 'attribute',
    op: 'condition',
    value: 'value',
    to: 'to',
    window: 'period',
    include: 'Include the clients meeting it (press to exclude them)',
    exclude: 'Exclude the clients meeting it (press to include them)',
    remove: 'Remove the criterion',
    add: '+ criterion',
    fragments: 'Not understood in the text',
    resolve: 'to a criterion',
    dismiss: 'dismiss',
    run: 'Run the builder',
    pending: 'First turn the fragments not understood into criteria, or dismiss them',
    raw: 'compound criterion (as read)',
    ops: {
      eq: '=',
      ne: '≠',
      gt: '>',
      gte: '≥',
      lt: '<',
      lte: '≤',
      between: 'between',
      in: 'any of',
      not_in: 'none of',
      yes: 'yes',
      no: 'no',
    },
    units: { day: 'days', month: 'months', year: 'years' },
    unitLabels: { year: 'years', month: 'months', day: 'days', rub: '₽', count: '', percent: '%' },
    problems: {
      subject: 'No such attribute',
      op: 'Pick a condition',
      value: 'A number is needed',
      date: 'A date YYYY-MM-DD is needed',
      code: (v) => `No value "${v}"`,
      window: 'Period: a number and days, months or years',
    },
  },
};

/** What people type for an operator besides its label. */
const OP_ALIASES = {
  ne: ['!=', '<>', 'не'],
  gte: ['>='],
  lte: ['<='],
  between: ['..', 'от', 'between', 'от … до', 'от ... до'],
  in: ['in', 'одно из', 'any of', 'is'],
  not_in: ['not in', 'ни одно из', 'none of'],
  yes: ['да', 'есть', 'yes'],
  no: ['нет', 'no'],
};
const UNIT_WORDS = [
  [/^(д|дн|дня|дней|день|d|day|days)$/i, 'day'],
  [/^(м|мес|месяц|месяца|месяцев|m|mo|month|months)$/i, 'month'],
  [/^(г|год|года|лет|y|yr|year|years)$/i, 'year'],
];

const attributesCache = new Map();

/** The warehouse's attributes, read once per page. */
function useAttributes(api, warehouse) {
  const [catalog, setCatalog] = useState(attributesCache.get(warehouse) ?? null);
  useEffect(() => {
    if (attributesCache.has(warehouse)) return setCatalog(attributesCache.get(warehouse));
    let live = true;
    api('GET', `/v1/warehouses/${encodeURIComponent(warehouse)}/attributes`).then(
      (read) => {
        attributesCache.set(warehouse, read);
        if (live) setCatalog(read);
      },
      () => undefined,
    );
    return () => (live = false);
  }, [api, warehouse]);
  return catalog;
}

/** A coded column's name: its catalog comment up to the first full stop or bracket. */
function columnLabel(column) {
  return (column.comment ?? column.column).split(/[.(;]/)[0].trim() || column.column;
}

const fold = (text) => text.trim().toLowerCase().replace(/ё/g, 'е');

/** Completion lists and lookups by label, in the console's language (names and codes work too). */
function vocabulary(catalog, lang) {
  const subjects = [];
  const byWord = new Map();
  for (const attribute of catalog?.attributes ?? []) {
    const label = attribute.label[lang];
    subjects.push({ label, note: attribute.unit ?? '' });
    for (const word of [label, attribute.label.ru, attribute.label.en, attribute.name])
      if (!byWord.has(fold(word))) byWord.set(fold(word), { attribute });
  }
  for (const column of catalog?.columns ?? []) {
    const label = columnLabel(column);
    const subject = { column };
    if (!byWord.has(fold(label))) {
      subjects.push({ label, note: column.column });
      byWord.set(fold(label), subject);
    }
    if (!byWord.has(fold(column.column))) byWord.set(fold(column.column), subject);
  }
  return { subjects, subjectOf: (text) => byWord.get(fold(text)) ?? null };
}

/** The operators a subject takes: yes/no for a fact, its comparisons for a number, one of for codes. */
function operatorsOf(subject) {
  if (!subject) return [];
  if (subject.column) return ['in', 'not_in'];
  return subject.attribute.type === 'boolean' ? ['yes', 'no'] : subject.attribute.operators;
}

function opOf(text, subject, t) {
  const wanted = fold(text);
  return (
    operatorsOf(subject).find(
      (op) => fold(t.ops[op]) === wanted || (OP_ALIASES[op] ?? []).some((a) => fold(a) === wanted),
    ) ?? null
  );
}

function codeLabel(value, lang) {
  return value.label?.[lang] ?? value.code;
}

function codeOf(column, text, lang) {
  const wanted = fold(text);
  return (
    column.values.find((v) => fold(codeLabel(v, lang)) === wanted) ??
    column.values.find((v) => fold(v.code) === wanted) ??
    null
  )?.code;
}

function parseNumber(text) {
  const cleaned = String(text).replace(/\s/g, '').replace(',', '.');
  return cleaned !== '' && Number.isFinite(Number(cleaned)) ? Number(cleaned) : null;
}

function parseWindow(text) {
  const match = /^(\d+)\s*(\S+)$/.exec(text.trim());
  const unit = match && UNIT_WORDS.find(([re]) => re.test(match[2]))?.[1];
  return unit && Number(match[1]) >= 1 ? { n: Number(match[1]), unit } : null;
}

let nextKey = 0;
const newRow = (id, fields = {}) => ({
  key: ++nextKey,
  id,
  kind: 'include',
  subject: '',
  op: '',
  value: '',
  value2: '',
  window: '',
  ...fields,
});

/** A criterion's structure as a row of chips; a shape the chips cannot hold stays whole (`raw`). */
function rowOf(item, catalog, lang, t) {
  const expr = item.spec?.expr;
  const raw = newRow(item.id, { kind: item.kind, raw: expr, rawText: item.text });
  if (!expr || !catalog) return raw;
  const negated = expr.not && expr.not.type === 'attr' ? expr.not : null;
  const p = negated ?? expr;
  if (p.type === 'attr' && !p.where && !p.before && !p.asOf) {
    const attribute = catalog.attributes.find((a) => a.name === p.attr);
    if (!attribute) return raw;
    const fields = { kind: item.kind, subject: attribute.label[lang] };
    if (p.window) fields.window = `${p.window.n} ${t.units[p.window.unit]}`;
    if (attribute.type === 'boolean' && !p.cmp)
      return newRow(item.id, { ...fields, op: t.ops[negated ? 'no' : 'yes'] });
    if (negated || !p.cmp) return raw;
    const scalar = (v) => (v === null || typeof v === 'object' ? null : String(v));
    if (p.cmp.op === 'between' && scalar(p.cmp.min) !== null && scalar(p.cmp.max) !== null)
      return newRow(item.id, {
        ...fields,
        op: t.ops.between,
        value: scalar(p.cmp.min),
        value2: scalar(p.cmp.max),
      });
    if ('value' in p.cmp && scalar(p.cmp.value) !== null && attribute.operators.includes(p.cmp.op))
      return newRow(item.id, { ...fields, op: t.ops[p.cmp.op], value: scalar(p.cmp.value) });
    return raw;
  }
  const where = p.where;
  const quantifiers = { some: 'in', none: 'not_in' };
  if (
    !negated &&
    p.type === 'related' &&
    quantifiers[p.quantifier] &&
    !p.table &&
    !p.window &&
    where?.column
  ) {
    const column = catalog.columns.find((c) => c.column === where.column);
    const values =
      where.cmp.op === 'eq' ? [where.cmp.value] : where.cmp.op === 'in' ? where.cmp.values : null;
    if (!column || !values || values.some((v) => typeof v === 'object')) return raw;
    const label = (code) =>
      codeLabel(column.values.find((v) => v.code === String(code)) ?? { code: String(code) }, lang);
    return newRow(item.id, {
      kind: item.kind,
      subject: columnLabel(column),
      op: t.ops[quantifiers[p.quantifier]],
      value: values.map(label).join(', '),
    });
  }
  return raw;
}

/** A row as the representation, or the problem that keeps it from being one ({field, reason}). */
function exprOf(row, vocab, lang, t) {
  if (row.raw) return { expr: row.raw };
  const subject = vocab.subjectOf(row.subject);
  if (!subject) return { problem: { field: 'subject', reason: t.problems.subject } };
  const op = opOf(row.op, subject, t);
  if (!op) return { problem: { field: 'op', reason: t.problems.op } };
  if (subject.column) {
    const labels = row.value
      .split(/[,;]/)
      .map((v) => v.trim())
      .filter(Boolean);
    const codes = [];
    for (const label of labels) {
      const code = codeOf(subject.column, label, lang);
      if (code === undefined) return { problem: { field: 'value', reason: t.problems.code(label) } };
      codes.push(code);
    }
    if (!codes.length) return { problem: { field: 'value', reason: t.problems.code('') } };
    // "None of": the clients with no row holding one of the codes.
    const where = { column: subject.column.column, cmp: { op: 'in', values: codes } };
    return { expr: { type: 'related', quantifier: op === 'in' ? 'some' : 'none', where } };
  }
  const attribute = subject.attribute;
  const predicate = { type: 'attr', attr: attribute.name };
  if (row.window.trim()) {
    const window = parseWindow(row.window);
    if (!window || !attribute.window) return { problem: { field: 'window', reason: t.problems.window } };
    predicate.window = window;
  }
  if (op === 'yes') return { expr: predicate };
  if (op === 'no') return { expr: { not: predicate } };
  const read = (text) => {
    if (attribute.type === 'date') return /^\d{4}-\d{2}-\d{2}$/.test(text.trim()) ? text.trim() : null;
    return parseNumber(text);
  };
  const reason = attribute.type === 'date' ? t.problems.date : t.problems.value;
  const value = read(row.value);
  if (value === null) return { problem: { field: 'value', reason } };
  if (op === 'between') {
    const max = read(row.value2);
    if (max === null) return { problem: { field: 'value2', reason } };
    return { expr: { ...predicate, cmp: { op, min: value, max } } };
  }
  return { expr: { ...predicate, cmp: { op, value } } };
}

/** The text the person wrote, if a revision set one: kept beside the structure. */
function personText(segment) {
  return segment.revisions.findLast((r) => r.criteria !== undefined)?.criteria;
}

export function Builder({ segment, lang, api, onRun }) {
  const t = TEXTS[lang] ?? TEXTS.ru;
  const catalog = useAttributes(api, segment.options.warehouse);
  const vocab = useMemo(() => vocabulary(catalog, lang), [catalog, lang]);
  const [rows, setRows] = useState(null);
  const [fragments, setFragments] = useState(() =>
    (segment.understanding?.unparsed ?? []).filter(isMeaningful).map((f) => f.trim()),
  );
  const [focus, setFocus] = useState(null);
  const [touched, setTouched] = useState(false);
  useEffect(() => {
    if (catalog && rows === null)
      setRows(segment.criteria.items.map((item) => rowOf(item, catalog, lang, t)));
  }, [catalog]);
  if (!catalog || rows === null) return null;

  const freeId = () => {
    const taken = new Set(rows.map((r) => r.id));
    let n = rows.length + 1;
    while (taken.has(`b${n}`)) n++;
    return `b${n}`;
  };
  const change = (key, fields) => {
    setTouched(true);
    setRows((current) => current.map((r) => (r.key === key ? { ...r, ...fields } : r)));
  };
  const add = (fields = {}) => {
    const row = newRow(freeId(), fields);
    setTouched(true);
    setRows((current) => [...current, row]);
    setFocus(row.key);
  };
  const built = rows.map((row) => ({ row, ...exprOf(row, vocab, lang, t) }));
  const valid = built.length > 0 && built.every((b) => b.expr);
  const ready = valid && fragments.length === 0 && (touched || segment.status === 'needs_review');
  const run = () => {
    const text = personText(segment);
    onRun({
      ...(text === undefined ? {} : { criteria: text }),
      criteriaSpec: built.map(({ row, expr }) => ({ id: row.id, kind: row.kind, expr })),
    });
  };

  return html`<div class="card builder" data-test="builder">
    <h3>${t.title}</h3>
    <p class="muted">${t.hint}</p>
    <datalist id="builder-subjects">
      ${vocab.subjects.map((s) => html`<option value=${s.label}>${s.note}</option>`)}
    </datalist>
    <ol class="builder-rows">
      ${built.map(
        ({ row, problem }) =>
          html`<${Row}
            key=${row.key}
            row=${row}
            problem=${problem}
            vocab=${vocab}
            t=${t}
            lang=${lang}
            autoFocus=${row.key === focus}
            onChange=${(fields) => change(row.key, fields)}
            onRemove=${() => {
              setTouched(true);
              setRows((current) => current.filter((r) => r.key !== row.key));
            }}
          />`,
      )}
    </ol>
    <button data-test="builder-add" onClick=${() => add()}>${t.add}</button>
    ${
      fragments.length
        ? html`<div class="fragments" data-test="fragments">
            <span class="muted">${t.fragments}:</span>
            ${fragments.map(
              (fragment) =>
                html`<span class="chip open" data-test="fragment" data-fragment=${fragment}>
                  <span>${fragment}</span>
                  <button
                    data-test="fragment-resolve"
                    onClick=${() => {
                      setFragments((current) => current.filter((f) => f !== fragment));
                      add({ from: fragment });
                    }}
                  >
                    ${t.resolve}
                  </button>
                  <button
                    data-test="fragment-dismiss"
                    onClick=${() => {
                      setTouched(true);
                      setFragments((current) => current.filter((f) => f !== fragment));
                    }}
                  >
                    ${t.dismiss}
                  </button>
                </span>`,
            )}
          </div>`
        : null
    }
    <button class="primary" data-test="builder-run" disabled=${!ready} onClick=${run}>${t.run}</button>
    ${fragments.length ? html`<p class="warn">${t.pending}</p>` : null}
  </div>`;
}

function Row({ row, problem, vocab, t, lang, autoFocus, onChange, onRemove }) {
  const first = useRef();
  useEffect(() => {
    if (autoFocus) first.current?.focus();
  }, []);
  const subject = row.raw ? null : vocab.subjectOf(row.subject);
  const ops = operatorsOf(subject);
  const op = subject ? opOf(row.op, subject, t) : null;
  const attribute = subject?.attribute;
  const invalid = (field) => (problem?.field === field ? 'true' : 'false');
  const listId = `builder-${row.key}`;
  const kind = html`<button
    class=${`chip kind ${row.kind}`}
    data-test="chip-kind"
    data-kind=${row.kind}
    title=${t[row.kind]}
    aria-label=${t[row.kind]}
    onClick=${() => onChange({ kind: row.kind === 'include' ? 'exclude' : 'include' })}
  >
    ${row.kind === 'include' ? '+' : '−'}
  </button>`;
  const remove = html`<button
    class="chip remove"
    data-test="chip-remove"
    title=${t.remove}
    aria-label=${t.remove}
    onClick=${onRemove}
  >
    ×
  </button>`;
  if (row.raw)
    return html`<li class="builder-row" data-test="builder-row" data-id=${row.id} data-valid="true">
      ${kind}<span class="chip raw" title=${t.raw}>${row.rawText}</span>${remove}
    </li>`;
  return html`<li
    class="builder-row"
    data-test="builder-row"
    data-id=${row.id}
    data-valid=${problem ? 'false' : 'true'}
  >
    ${kind} ${row.from ? html`<span class="chip from muted">${row.from} →</span>` : null}
    <input
      ref=${first}
      class="chip"
      data-test="chip-attr"
      list="builder-subjects"
      placeholder=${t.subject}
      aria-invalid=${invalid('subject')}
      value=${row.subject}
      onInput=${(e) => onChange({ subject: e.target.value })}
    />
    <input
      class="chip op"
      data-test="chip-op"
      list=${`${listId}-ops`}
      placeholder=${t.op}
      aria-invalid=${invalid('op')}
      value=${row.op}
      onInput=${(e) => onChange({ op: e.target.value })}
    />
    <datalist id=${`${listId}-ops`}>${ops.map((o) => html`<option value=${t.ops[o]} />`)}</datalist>
    ${
      op === 'yes' || op === 'no'
        ? null
        : html`<input
            class="chip value"
            data-test="chip-value"
            list=${subject?.column ? `${listId}-values` : undefined}
            placeholder=${t.value}
            aria-invalid=${invalid('value')}
            value=${row.value}
            onInput=${(e) => onChange({ value: e.target.value })}
          />`
    }
    ${
      subject?.column
        ? html`<datalist id=${`${listId}-values`}>
            ${subject.column.values.map((v) => html`<option value=${codeLabel(v, lang)}>${v.code}</option>`)}
          </datalist>`
        : null
    }
    ${
      op === 'between'
        ? html`<span class="muted">${t.to}</span
            ><input
              class="chip value"
              data-test="chip-value2"
              aria-invalid=${invalid('value2')}
              value=${row.value2}
              onInput=${(e) => onChange({ value2: e.target.value })}
            />`
        : null
    }
    ${attribute?.unit && op !== 'yes' && op !== 'no' ? html`<span class="muted unit">${t.unitLabels[attribute.unit] ?? attribute.unit}</span>` : null}
    ${
      attribute?.window
        ? html`<input
            class="chip window"
            data-test="chip-window"
            placeholder=${`${t.window}: 3 ${t.units.month}`}
            aria-invalid=${invalid('window')}
            value=${row.window}
            onInput=${(e) => onChange({ window: e.target.value })}
          />`
        : null
    }
    ${remove}
    ${problem ? html`<span class="problem" data-test="chip-problem">${problem.reason}</span>` : null}
  </li>`;
}
