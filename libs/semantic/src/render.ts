import {
  isPredicate,
  type Comparison,
  type Expr,
  type Predicate,
  type RowCondition,
  type Scalar,
  type TimeWindow,
} from './representation';
import { startTable } from './compile';
import type { SemanticModel } from './semantic-model';

export type Language = 'ru' | 'en';

const WORDS = {
  ru: {
    and: 'и',
    or: 'или',
    not: 'не',
    has: 'есть',
    hasNo: 'нет',
    only: 'все',
    between: (a: string, b: string) => `от ${a} до ${b}`,
    in: 'одно из',
    notIn: 'ни одно из',
    isNull: 'не указано',
    notNull: 'указано',
    contains: 'содержит',
    last: (n: number, unit: string) => `за последние ${n} ${unit}`,
    units: {
      day: ['день', 'дня', 'дней'],
      month: ['месяц', 'месяца', 'месяцев'],
      year: ['год', 'года', 'лет'],
    },
    perMonth: 'в месяц',
    fn: {
      count: 'число',
      count_distinct: 'число разных',
      sum: 'сумма',
      avg: 'среднее',
      min: 'минимум',
      max: 'максимум',
    },
    yes: 'да',
    no: 'нет',
  },
  en: {
    and: 'and',
    or: 'or',
    not: 'not',
    has: 'has',
    hasNo: 'has no',
    only: 'only',
    between: (a: string, b: string) => `between ${a} and ${b}`,
    in: 'one of',
    notIn: 'none of',
    isNull: 'is not set',
    notNull: 'is set',
    contains: 'contains',
    last: (n: number, unit: string) => `in the last ${n} ${unit}`,
    units: {
      day: ['day', 'days', 'days'],
      month: ['month', 'months', 'months'],
      year: ['year', 'years', 'years'],
    },
    perMonth: 'per month',
    fn: {
      count: 'number of',
      count_distinct: 'distinct',
      sum: 'total',
      avg: 'average',
      min: 'minimum',
      max: 'maximum',
    },
    yes: 'yes',
    no: 'no',
  },
} as const;

const OPS: Record<'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte', Record<Language, string>> = {
  eq: { ru: '=', en: '=' },
  ne: { ru: '≠', en: '≠' },
  gt: { ru: 'больше', en: 'over' },
  gte: { ru: 'не менее', en: 'at least' },
  lt: { ru: 'меньше', en: 'under' },
  lte: { ru: 'не более', en: 'at most' },
};

/** Russian plural form index for a count (1 день, 2 дня, 5 дней). */
function ruPlural(n: number): 0 | 1 | 2 {
  const mod10 = n % 10;
  const mod100 = n % 100;
  if (mod10 === 1 && mod100 !== 11) return 0;
  if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) return 1;
  return 2;
}

/**
 * A criterion as a person reads it, in Russian or English: attribute labels, column descriptions from the
 * catalog's comments, and code values by their labels. What a marketer sees next to its count.
 */
export class CriteriaRenderer {
  constructor(
    private readonly model: SemanticModel,
    private readonly language: Language,
  ) {}

  expr(expr: Expr): string {
    const w = WORDS[this.language];
    if (isPredicate(expr)) return this.predicate(expr);
    if ('and' in expr) return expr.and.map((e) => this.expr(e)).join(` ${w.and} `);
    if ('or' in expr) return `(${expr.or.map((e) => this.expr(e)).join(` ${w.or} `)})`;
    return `${w.not} (${this.expr(expr.not)})`;
  }

  predicate(predicate: Predicate): string {
    const w = WORDS[this.language];
    if (predicate.type === 'attr') {
      const attribute = this.model.attribute(predicate.attr);
      const label = attribute?.label[this.language] ?? predicate.attr;
      const parts = [label];
      if (predicate.where) parts.push(`(${this.condition(predicate.where)})`);
      if (predicate.window)
        parts.push(
          this.windowText({
            column: '',
            last: predicate.window,
            ...(predicate.before ? { before: predicate.before } : {}),
          }),
        );
      if (attribute?.type === 'boolean') {
        const negated = predicate.cmp?.op === 'eq' && predicate.cmp.value === false;
        return negated ? `${w.not} ${parts.join(' ')}` : parts.join(' ');
      }
      if (predicate.cmp) parts.push(this.comparison(predicate.cmp, attribute?.unit));
      return parts.join(' ');
    }
    if (predicate.type === 'related') {
      const start = predicate.table ?? startTable(this.model, predicate.where);
      // A condition on the client itself (or its lookups) reads best as the condition alone.
      const onClient = start === this.model.entity.table || this.model.graph.ownsEntityId(start);
      if (
        predicate.quantifier === 'some' &&
        predicate.where &&
        !predicate.table &&
        onClient &&
        !predicate.window
      ) {
        return this.condition(predicate.where);
      }
      const table = this.tableLabel(start);
      const lead =
        predicate.quantifier === 'none' ? w.hasNo : predicate.quantifier === 'all' ? w.only : w.has;
      const parts = [lead, table];
      if (predicate.where) parts.push(`(${this.condition(predicate.where)})`);
      if (predicate.window) parts.push(this.windowText(predicate.window));
      return parts.join(' ');
    }
    const parts = [
      w.fn[predicate.fn],
      predicate.column ? this.columnLabel(predicate.column) : this.tableLabel(predicate.table),
    ];
    if (predicate.where) parts.push(`(${this.condition(predicate.where)})`);
    if (predicate.per) parts.push(w.perMonth);
    if (predicate.window) parts.push(this.windowText(predicate.window));
    if (predicate.share) {
      // "доля «операция в интернете» в количестве операций … больше 50%".
      const lead = this.language === 'ru' ? 'доля' : 'share of';
      const within = this.language === 'ru' ? 'в' : 'in';
      return `${lead} «${this.condition(predicate.share)}» ${within} ${parts.join(' ')} ${this.comparison(percentOf(predicate.cmp))}%`;
    }
    parts.push(this.comparison(predicate.cmp));
    return parts.join(' ');
  }

  condition(cond: RowCondition): string {
    const w = WORDS[this.language];
    if ('column' in cond)
      return `${this.columnLabel(cond.column)} ${this.comparison(cond.cmp, undefined, cond.column)}`;
    if ('all' in cond) return cond.all.map((c) => this.condition(c)).join(`, `);
    if ('any' in cond) return cond.any.map((c) => this.condition(c)).join(` ${w.or} `);
    return `${w.not} ${this.condition(cond.not)}`;
  }

  comparison(cmp: Comparison, unit?: string, column?: string): string {
    const w = WORDS[this.language];
    const v = (value: Scalar) => this.value(value, column);
    const withUnit = (text: string) =>
      unit && unit !== 'count' ? `${text} ${unitText(unit, this.language)}` : text;
    switch (cmp.op) {
      case 'between':
        return withUnit(w.between(v(cmp.min), v(cmp.max)));
      case 'in':
        return cmp.values.length === 1
          ? `= ${v(cmp.values[0] as Scalar)}`
          : `${w.in}: ${cmp.values.map(v).join(', ')}`;
      case 'not_in':
        return `${w.notIn}: ${cmp.values.map(v).join(', ')}`;
      case 'is_null':
        return w.isNull;
      case 'not_null':
        return w.notNull;
      case 'like':
        return `${w.contains} «${v(cmp.value)}»`;
      default:
        return withUnit(`${OPS[cmp.op][this.language]} ${v(cmp.value)}`);
    }
  }

  private value(value: Scalar, column?: string): string {
    if (typeof value === 'object' && 'attr' in value) {
      const label = this.model.attribute(value.attr)?.label[this.language] ?? value.attr;
      return value.times === undefined
        ? label
        : `${value.times.toLocaleString(this.language === 'ru' ? 'ru-RU' : 'en-US')} × ${label}`;
    }
    if (typeof value === 'object' && 'lookup' in value) {
      return `${this.columnLabel(value.lookup.column)} (${String(value.lookup.where.value)})`;
    }
    if (typeof value === 'object') {
      const ru = this.language === 'ru';
      let text = value.start
        ? ru
          ? value.start === 'year'
            ? 'начало года отчётной даты'
            : 'начало месяца отчётной даты'
          : value.start === 'year'
            ? 'start of the report year'
            : 'start of the report month'
        : ru
          ? 'отчётная дата'
          : 'report date';
      if (value.minus) text += ` − ${this.spanText(value.minus.n, value.minus.unit)}`;
      if (value.plus) text += ` + ${this.spanText(value.plus.n, value.plus.unit)}`;
      return text;
    }
    if (typeof value === 'boolean') return value ? WORDS[this.language].yes : WORDS[this.language].no;
    if (typeof value === 'number') return value.toLocaleString(this.language === 'ru' ? 'ru-RU' : 'en-US');
    const label = column ? this.model.labelsOf(column)[value]?.[this.language][0] : undefined;
    return label ? `${label} (${value})` : value;
  }

  private windowText(window: TimeWindow): string {
    const text = this.lastText(window.last.n, window.last.unit);
    if (!window.before) return text;
    const before = this.spanText(window.before.n, window.before.unit);
    return this.language === 'ru' ? `${text} до последних ${before}` : `${text} before the last ${before}`;
  }

  /** "3 месяца", "1 day". */
  private spanText(n: number, unit: 'day' | 'month' | 'year'): string {
    const forms = WORDS[this.language].units[unit];
    return `${n} ${this.language === 'ru' ? forms[ruPlural(n)] : n === 1 ? forms[0] : forms[1]}`;
  }

  private lastText(n: number, unit: 'day' | 'month' | 'year'): string {
    return WORDS[this.language].last(n, this.spanText(n, unit).replace(/^\d+ /, ''));
  }

  private tableLabel(table: string): string {
    const configured = this.model.file.tables[table]?.label?.[this.language];
    if (configured) return configured;
    const comment = this.model.graph.table(table)?.comment;
    return this.language === 'ru' && comment ? shortComment(comment) : table;
  }

  private columnLabel(ref: string): string {
    const [table = '', column = ''] = ref.split('.');
    if (this.language === 'en') return ref;
    const comment = this.model.graph.table(table)?.columns.find((c) => c.name === column)?.comment;
    return comment ? shortComment(comment) : ref;
  }
}

/** The first clause of a catalog comment, lower-cased: "Тип карты: DEBIT — ..." -> "тип карты". */
function shortComment(comment: string): string {
  const text = comment.replace(/^\[[^\]]*\]\s*/, '');
  const first = text.split(/[:;.(—–,]/)[0]?.trim() ?? text;
  return first.charAt(0).toLowerCase() + first.slice(1);
}

function unitText(unit: string, language: Language): string {
  const units: Record<string, Record<Language, string>> = {
    year: { ru: 'лет', en: 'years' },
    rub: { ru: 'руб.', en: 'RUB' },
    day: { ru: 'дн.', en: 'days' },
    percent: { ru: '%', en: '%' },
    month: { ru: 'мес.', en: 'months' },
  };
  return units[unit]?.[language] ?? unit;
}

/** A comparison of shares (0..1) in percent, for reading. */
function percentOf(cmp: Comparison): Comparison {
  const pct = (v: Scalar) => (typeof v === 'number' ? Math.round(v * 10_000) / 100 : v);
  if ('value' in cmp) return { ...cmp, value: pct(cmp.value) } as Comparison;
  if (cmp.op === 'between') return { ...cmp, min: pct(cmp.min), max: pct(cmp.max) } as Comparison;
  return cmp;
}
