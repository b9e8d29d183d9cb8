import type { CatalogColumn } from '@t2s/catalog';
import { commentHead, languageOf } from './bootstrap/comment-words';
import { unitFromComment } from './bootstrap/units';
import { startTable } from './compile';
import { NO_REFERENCES, type ReferenceValues } from './render-references';
import {
  capitalised,
  DATE_OPS,
  inSentence,
  isoDay,
  listText,
  monthStart,
  NUMBER_OPS,
  numberText,
  unitAfter,
  WORDS,
  type Language,
} from './render-words';
import {
  isPredicate,
  type Comparison,
  type Expr,
  type LookupValue,
  type Predicate,
  type RelativeDate,
  type RowCondition,
  type Scalar,
  type Span,
} from './representation';
import type { SemanticModel } from './semantic-model';

export type { Language } from './render-words';

/** What is compared: its unit, whether it is a date, and the column whose codes its values are. */
interface Subject {
  unit?: string;
  date?: boolean;
  column?: string;
}

type Lookup = LookupValue['lookup'];

/** Words that say a column holds a key, not what the key is of: "Код продукта" is the product's. */
const KEY_WORDS = /^(код|идентификатор|номер|code|id|identifier|key|number)$/iu;
/** Unit abbreviations a column's name may end with ("amount_rub"): the unit is written after the number. */
const UNIT_SUFFIXES = new Set(['rub', 'eur', 'usd', 'czk', 'pct', 'percent']);

/**
 * A criterion as a marketer reads it, in Russian or English: attributes, tables and columns by their
 * labels (the semantic model's, else the catalog comment's head in that language, else the column's name
 * as words), coded values by their labels, numbers with their units, dates and windows in words, and
 * reference values (a product's age limits) as the reference row holds them, when `references` knows
 * them, else by what they are and whose they are. Never a `table.column`, a placeholder or a code the
 * model has a label for (see `renderingFaults`). What a marketer sees next to its count.
 */
export class CriteriaRenderer {
  constructor(
    private readonly model: SemanticModel,
    private readonly language: Language,
    private readonly references: ReferenceValues = NO_REFERENCES,
  ) {}

  expr(expr: Expr): string {
    return capitalised(this.exprText(expr, true));
  }

  private exprText(expr: Expr, top = false): string {
    const w = WORDS[this.language];
    if (isPredicate(expr)) return this.predicate(expr);
    if ('and' in expr) return expr.and.map((e) => inSentence(this.exprText(e))).join(` ${w.and} `);
    if ('or' in expr) {
      const text = expr.or.map((e) => inSentence(this.exprText(e))).join(` ${w.or} `);
      return top ? text : `(${text})`;
    }
    return `${w.not} ${inSentence(this.exprText(expr.not))}`;
  }

  private predicate(predicate: Predicate): string {
    const w = WORDS[this.language];
    if (predicate.type === 'attr') {
      const attribute = this.model.attribute(predicate.attr);
      const label = attribute
        ? withoutUnitTail(attribute.label[this.language], attribute.unit)
        : humanised(predicate.attr);
      const parts = [label];
      if (predicate.where) parts.push(`(${this.condition(predicate.where)})`);
      const measure = attribute?.measure;
      const window =
        predicate.window ??
        (measure &&
        measure.kind !== 'scalar' &&
        measure.window &&
        !label.includes(String(measure.window.last.n))
          ? measure.window.last
          : undefined);
      if (window) parts.push(this.windowText(window, predicate.window ? predicate.before : undefined));
      if (predicate.asOf) parts.push(this.asOfText(predicate.asOf));
      const text = parts.join(' ');
      if (attribute?.type === 'boolean' || !predicate.cmp) {
        const negated = predicate.cmp?.op === 'eq' && predicate.cmp.value === false;
        return negated ? `${w.not} ${inSentence(text)}` : text;
      }
      const subject: Subject = {
        ...(attribute?.unit ? { unit: attribute.unit } : {}),
        date: attribute?.type === 'date',
      };
      return `${text}${this.comparison(predicate.cmp, subject)}`;
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
      const lead =
        predicate.quantifier === 'none' ? w.hasNo : predicate.quantifier === 'all' ? w.only : w.has;
      const parts = [lead, inSentence(this.tableLabel(start))];
      if (predicate.where) parts.push(`(${this.condition(predicate.where)})`);
      if (predicate.window) {
        parts.push(this.windowText(predicate.window.last, predicate.window.before));
        if (predicate.window.asOf) parts.push(this.asOfText(predicate.window.asOf));
      }
      return parts.join(' ');
    }
    const counted = predicate.column ? this.columnLabel(predicate.column) : this.tableLabel(predicate.table);
    const parts = [this.aggregateText(predicate.fn, counted)];
    if (predicate.where) parts.push(`(${this.condition(predicate.where)})`);
    if (predicate.per) parts.push(w.perMonth);
    if (predicate.window) {
      parts.push(this.windowText(predicate.window.last, predicate.window.before));
      if (predicate.window.asOf) parts.push(this.asOfText(predicate.window.asOf));
    }
    if (predicate.share) {
      // "доля «операция в интернете» в количестве операций … больше 50%".
      const text = w.share(this.condition(predicate.share), inSentence(parts.join(' ')));
      return `${text}${this.comparison(percentOf(predicate.cmp), { unit: 'percent' })}`;
    }
    const unit =
      predicate.fn === 'count' || predicate.fn === 'count_distinct' || !predicate.column
        ? undefined
        : this.columnUnit(predicate.column);
    return `${parts.join(' ')}${this.comparison(predicate.cmp, unit ? { unit } : {})}`;
  }

  private condition(cond: RowCondition): string {
    const w = WORDS[this.language];
    if ('column' in cond)
      return `${this.columnLabel(cond.column)}${this.columnComparison(cond.column, cond.cmp)}`;
    if ('all' in cond) return cond.all.map((c) => this.condition(c)).join(', ');
    if ('any' in cond) {
      // "канал запрета: не указан или push-уведомление": alternatives on one column name it once.
      const columns = new Set(cond.any.map((c) => ('column' in c ? c.column : '')));
      const [column] = [...columns];
      if (columns.size === 1 && column) {
        const alternatives = cond.any.map((c) =>
          'column' in c ? this.columnComparison(column, c.cmp).replace(/^:?\s*/u, '') : '',
        );
        return `${this.columnLabel(column)}: ${alternatives.join(` ${w.or} `)}`;
      }
      return cond.any.map((c) => this.condition(c)).join(` ${w.or} `);
    }
    return `${this.language === 'ru' ? 'исключая' : 'excluding'} ${this.condition(cond.not)}`;
  }

  private columnComparison(column: string, cmp: Comparison): string {
    const unit = this.columnUnit(column);
    return this.comparison(cmp, { ...(unit ? { unit } : {}), date: this.isDateColumn(column), column });
  }

  /** The comparison after its subject, with its own lead: ": премиальный сегмент", " не менее 21 года". */
  private comparison(cmp: Comparison, subject: Subject): string {
    const w = WORDS[this.language];
    const ru = this.language === 'ru';
    const dated =
      subject.date === true ||
      ('value' in cmp && isDateValue(cmp.value)) ||
      (cmp.op === 'between' && isDateValue(cmp.min) && isDateValue(cmp.max));
    if (dated) return this.dateComparison(cmp);
    switch (cmp.op) {
      case 'between': {
        const limits = this.limitsText(cmp.min, cmp.max);
        if (limits?.unresolved) return limits.text.startsWith(':') ? limits.text : ` ${limits.text}`;
        const min = this.resolved(cmp.min);
        const max = this.resolved(cmp.max);
        const range = ru
          ? `от ${this.value(min, subject)} до ${this.value(max, subject)}`
          : `between ${this.value(min, subject)} and ${this.value(max, subject)}`;
        return ` ${this.withUnit(range, max, subject.unit, true)}${limits ? ` (${limits.text})` : this.sources([cmp.min, cmp.max])}`;
      }
      case 'in':
      case 'not_in': {
        const values = cmp.values.map((v) => this.resolved(v));
        const items = values.map((v) => this.value(v, subject));
        const last = values[values.length - 1] as Scalar;
        const text = this.withUnit(
          listText(items, cmp.op === 'in' ? w.or : w.and),
          last,
          subject.unit,
          false,
        );
        return `: ${cmp.op === 'not_in' ? `${w.except} ` : ''}${text}${this.sources(cmp.values)}`;
      }
      case 'is_null':
        return `: ${w.isNull}`;
      case 'not_null':
        return `: ${w.notNull}`;
      case 'like':
        return ` ${w.contains} «${this.value(cmp.value, subject)}»`;
      case 'eq':
      case 'ne': {
        const value = this.resolved(cmp.value);
        const text = this.withUnit(this.value(value, subject), value, subject.unit, false);
        const lead = cmp.op === 'ne' ? `${ru ? 'не' : 'not'} ` : '';
        return `: ${lead}${text}${this.sources([cmp.value])}`;
      }
      default: {
        const value = this.resolved(cmp.value);
        if (isLookup(value)) return ` ${NUMBER_OPS[this.language][cmp.op]}: ${this.lookupText(value.lookup)}`;
        const text = this.withUnit(this.value(value, subject), value, subject.unit, true);
        return ` ${NUMBER_OPS[this.language][cmp.op]} ${text}${this.sources([cmp.value])}`;
      }
    }
  }

  /** A lookup replaced by the value its reference row holds, when known. */
  private resolved(value: Scalar): Scalar {
    if (!isLookup(value)) return value;
    const known = this.references.value(value);
    return known === undefined || known === null ? value : known;
  }

  /** " (минимальный возраст клиента для оформления продукта «…»)": where resolved values came from. */
  private sources(values: readonly Scalar[]): string {
    const lookups = values.filter(isLookup).filter((v) => this.resolved(v) !== v);
    return lookups.length === 0 ? '' : ` (${lookups.map((l) => this.lookupText(l.lookup)).join('; ')})`;
  }

  /**
   * Two bounds read from one reference row ("a product's minimum and maximum age"): what they are, as
   * "the limits set for the product «X»", and whether their values are unknown.
   */
  private limitsText(min: Scalar, max: Scalar): { text: string; unresolved: boolean } | undefined {
    if (!isLookup(min) || !isLookup(max)) return undefined;
    const { where } = min.lookup;
    if (where.column !== max.lookup.where.column || where.value !== max.lookup.where.value) return undefined;
    const unresolved = this.resolved(min) === min || this.resolved(max) === max;
    const whose = this.keyText(where.column, where.value);
    const ru = this.language === 'ru';
    // The reference table was read and holds no such limits (no row for the key): nothing is bounded,
    // and the text says so rather than promise limits that are not applied.
    if (this.references.value(min) === null && this.references.value(max) === null) {
      const text = ru
        ? `: у ${whose} в справочнике нет таких ограничений, они не применяются`
        : `: ${whose} has no such limits in the reference table, none applied`;
      return { text, unresolved: true };
    }
    const text = unresolved
      ? ru
        ? `в пределах, установленных для ${whose}`
        : `within the limits set for ${whose}`
      : ru
        ? `пределы, установленные для ${whose}`
        : `the limits set for ${whose}`;
    return { text, unresolved };
  }

  /** "минимальный возраст клиента для оформления продукта «Кредитная карта с кешбэком»". */
  private lookupText(lookup: Lookup): string {
    const whose = this.keyText(lookup.where.column, lookup.where.value);
    return this.language === 'ru'
      ? `${this.columnLabel(lookup.column)} ${whose}`
      : `${this.columnLabel(lookup.column)} of ${whose}`;
  }

  /**
   * A reference row by its key, as a marketer names it: the noun the key column's label is of ("Код
   * продукта": продукта) and the key's name from the references or the model's labels, never the code.
   */
  private keyText(column: string, key: string | number | boolean): string {
    const ru = this.language === 'ru';
    const label = this.columnLabel(column).split(/\s+/u);
    // "Код продукта" names the key first, "product code" last.
    const noun =
      label.length < 2
        ? ''
        : KEY_WORDS.test(label[0] ?? '')
          ? label.slice(1).join(' ')
          : KEY_WORDS.test(label[label.length - 1] ?? '')
            ? label.slice(0, -1).join(' ')
            : '';
    const name = this.references.name(column, key) ?? this.codeLabel(column, String(key));
    const known = name ?? (isCodeLike(key) ? undefined : String(key));
    if (known === undefined) return ru ? `указанного ${noun || 'значения'}` : `the given ${noun || 'value'}`;
    // A name with quotes of its own (Вклад «Классический») is not quoted again.
    const quoted = /[«»"]/u.test(known) ? known : `«${known}»`;
    if (!noun) return quoted;
    return ru ? `${noun} ${quoted}` : `the ${noun} ${quoted}`;
  }

  private withUnit(text: string, last: Scalar, unit: string | undefined, genitive: boolean): string {
    if (!unit || unit === 'count' || unit === 'share' || typeof last !== 'number') return text;
    const word = unitAfter(last, unit, this.language, genitive);
    return unit === 'percent' ? `${text}${word}` : `${text} ${word}`;
  }

  private value(value: Scalar, subject: Subject): string {
    const w = WORDS[this.language];
    if (isLookup(value)) return this.lookupText(value.lookup);
    if (typeof value === 'object' && 'attr' in value) {
      const attribute = this.model.attribute(value.attr);
      const label = inSentence(
        attribute ? withoutUnitTail(attribute.label[this.language], attribute.unit) : humanised(value.attr),
      );
      return value.times === undefined ? label : `${numberText(value.times, this.language)} × ${label}`;
    }
    if (typeof value === 'object') return this.dateText(value);
    if (typeof value === 'number') return numberText(value, this.language);
    if (typeof value === 'boolean') {
      const label = subject.column ? this.codeLabel(subject.column, String(value)) : undefined;
      return label ?? (value ? w.yes : w.no);
    }
    return (subject.column ? this.codeLabel(subject.column, value) : undefined) ?? value;
  }

  /**
   * A coded value's label in the renderer's language: the model's (hand or bootstrapped from the
   * comment), else, in English, the code as words when it is written in English words, else the label in
   * the other language. Undefined when the model labels no such code (a real value: a city, a name).
   */
  private codeLabel(column: string, code: string): string | undefined {
    const labels = { ...this.model.labelsOf(this.referenced(column)), ...this.model.labelsOf(column) };
    const terms = labels[code];
    const english = this.language === 'en' && /^[A-Z][A-Z_ ]{2,}$/u.test(code);
    if (!terms) {
      const named = this.references.name(column, code) ?? this.references.name(this.referenced(column), code);
      // A code the model left unlabelled among labelled ones ("RAILWAY") reads as the English words it is.
      return named ?? (english && Object.keys(labels).length > 0 ? humanised(code.toLowerCase()) : undefined);
    }
    const own = terms[this.language][0];
    if (own) return own;
    if (english) return humanised(code.toLowerCase());
    return (this.language === 'ru' ? terms.en : terms.ru)[0];
  }

  // Dates --------------------------------------------------------------------------------------------

  private dateComparison(cmp: Comparison): string {
    const ru = this.language === 'ru';
    const ops = DATE_OPS[this.language];
    switch (cmp.op) {
      case 'between': {
        const { min, max } = cmp;
        const year = isoYear(min, max);
        if (year) return ru ? ` в ${year} году` : ` in ${year}`;
        if (isNow(max) && isRelative(min) && min.minus && !min.start && !min.plus)
          return ` ${this.windowText(min.minus)}`;
        if (isNow(min) && isRelative(max) && max.plus && !max.start && !max.minus)
          return ru ? ` в ближайшие ${this.span(max.plus)}` : ` in the next ${this.span(max.plus)}`;
        return ru
          ? ` от ${this.dateText(min, true)} до ${this.dateText(max, true)}`
          : ` between ${this.dateText(min)} and ${this.dateText(max)}`;
      }
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte': {
        const value = cmp.value;
        if (isRelative(value) && value.minus && !value.start && !value.plus) {
          if (cmp.op === 'gt' || cmp.op === 'gte') return ` ${this.windowText(value.minus)}`;
          return ru
            ? ` ${this.span(value.minus)} назад или раньше`
            : ` ${this.span(value.minus)} ago or earlier`;
        }
        if (
          isRelative(value) &&
          value.start &&
          !value.minus &&
          !value.plus &&
          (cmp.op === 'gte' || cmp.op === 'gt')
        ) {
          const period = value.start === 'year' ? (ru ? 'года' : 'year') : ru ? 'месяца' : 'month';
          return ru ? ` с начала ${period}` : ` since the start of the ${period}`;
        }
        return ` ${ops[cmp.op]} ${this.dateText(value, true)}`;
      }
      case 'eq':
      case 'ne':
        return `: ${cmp.op === 'ne' ? `${ops.ne} ` : ''}${this.dateText(cmp.value)}`;
      case 'in':
      case 'not_in':
        return `: ${cmp.op === 'not_in' ? `${WORDS[this.language].except} ` : ''}${cmp.values.map((v) => this.dateText(v)).join(', ')}`;
      case 'is_null':
        return `: ${WORDS[this.language].isNull}`;
      case 'not_null':
        return `: ${WORDS[this.language].notNull}`;
      case 'like':
        return ` ${WORDS[this.language].contains} «${this.dateText(cmp.value)}»`;
    }
  }

  /**
   * A date in words; in Russian after a preposition or comparison (`genitive`): "отчётной даты", "даты за 2
   * года до отчётной", "1 ноября текущего года"; "the report date", "2 years before the report date".
   */
  private dateText(value: Scalar, genitive = false): string {
    const ru = this.language === 'ru';
    if (typeof value === 'string') return isoDay(value, this.language);
    if (!isRelative(value)) return this.value(value, {});
    const minus = value.minus;
    if (value.start) {
      const unit = value.start;
      const back = minus && minus.unit === unit ? minus.n : minus ? undefined : 0;
      if (back !== undefined) {
        const period = this.periodBack(unit, back);
        if (unit === 'year' && value.plus?.unit === 'month' && value.plus.n < 12)
          return `${monthStart(value.plus.n, this.language)} ${period}`;
        if (!value.plus) return ru ? `${genitive ? 'начала' : 'начало'} ${period}` : `the start of ${period}`;
      }
    }
    let text = ru ? (genitive ? 'отчётной даты' : 'отчётная дата') : 'the report date';
    if (value.start) {
      const period = value.start === 'year' ? (ru ? 'года' : 'year') : ru ? 'месяца' : 'month';
      text = ru
        ? `${genitive ? 'начала' : 'начало'} ${period} отчётной даты`
        : `the start of the report ${period}`;
    }
    if (minus) {
      text = ru
        ? `${genitive ? 'даты' : 'дата'} за ${this.span(minus)} до ${value.start ? text.replace(/^начал[оа]/u, 'начала') : 'отчётной'}`
        : `${this.span(minus)} before ${text}`;
    }
    if (value.plus)
      text = ru ? `${text} плюс ${this.span(value.plus)}` : `${text} plus ${this.span(value.plus)}`;
    return text;
  }

  /** "текущего года", "прошлого месяца", "года 3 года назад"; "the report year", "the year before". */
  private periodBack(unit: 'year' | 'month', back: number): string {
    const ru = this.language === 'ru';
    const noun = unit === 'year' ? (ru ? 'года' : 'year') : ru ? 'месяца' : 'month';
    if (back === 0) return ru ? `текущего ${noun}` : `the report ${noun}`;
    if (back === 1) return ru ? `прошлого ${noun}` : `the ${noun} before the report ${noun}`;
    return ru
      ? `${noun} ${this.span({ n: back, unit })} назад`
      : `the ${noun} ${this.span({ n: back, unit })} before the report ${noun}`;
  }

  /** "за последние 3 месяца", "за последний год", "in the last 30 days"; ending before now when said. */
  private windowText(last: Span, before?: Span): string {
    const ru = this.language === 'ru';
    let text: string;
    if (before) {
      text = ru
        ? `за ${this.span(last)}, закончившиеся за ${this.span(before)} до отчётной даты`
        : `in the ${this.span(last)} ending ${this.span(before)} before the report date`;
    } else if (last.n === 1) {
      const noun = unitAfter(1, last.unit, this.language, false);
      text = ru ? `за последний ${noun}` : `in the last ${noun}`;
    } else {
      text = ru ? `за последние ${this.span(last)}` : `in the last ${this.span(last)}`;
    }
    return text;
  }

  private asOfText(day: string): string {
    return this.language === 'ru' ? `на ${isoDay(day, 'ru')}` : `as of ${isoDay(day, 'en')}`;
  }

  /** "3 месяца", "1 year". */
  private span(span: Span): string {
    return `${span.n} ${unitAfter(span.n, span.unit, this.language, false)}`;
  }

  // Labels --------------------------------------------------------------------------------------------

  /** "сумма операции в рублях", "количество «операции по картам»", "total amount". */
  private aggregateText(fn: keyof (typeof WORDS)['ru']['fn'], label: string): string {
    const word = WORDS[this.language].fn[fn];
    const text = inSentence(label);
    if (this.language === 'en') return `${word} ${text}`;
    // "сумма «сумма операции»" says it twice: a label that starts with the function's word is enough.
    if (text.slice(0, 4).toLowerCase() === word.slice(0, 4)) return text;
    return `${word} «${text}»`;
  }

  private tableLabel(table: string): string {
    const configured = this.model.file.tables[table]?.label?.[this.language];
    if (configured) return configured;
    const head = commentHead(this.model.graph.table(table)?.comment);
    if (head && languageOf(head) === this.language) return head;
    return humanised(table);
  }

  /**
   * A column by what it means: its comment's head in the renderer's language, else (Russian only) the
   * model's first Russian word for it, else its name as words ("maturity date"); never `table.column`.
   */
  private columnLabel(ref: string): string {
    const column = this.catalogColumn(ref);
    const head = commentHead(column?.comment);
    if (head && languageOf(head) === this.language) return inSentence(head);
    if (this.language === 'ru') {
      const term = this.model.file.columns[ref]?.ru[0];
      if (term) return term;
      // An English comment ("Marital status") says more to a Russian reader than the name ("marital").
      if (head) return inSentence(head);
    }
    const name = ref.split('.')[1] ?? ref;
    const words = humanised(name).split(' ');
    const named =
      words.length > 1 && UNIT_SUFFIXES.has(words[words.length - 1] ?? '') ? words.slice(0, -1) : words;
    // A name that says nothing ("a3") gives way to the comment in the other language.
    if (head && !/\p{L}{3}/u.test(name)) return inSentence(head);
    return named.join(' ');
  }

  /** The column a column's foreign key references (`card.product_code`: `ref_product.product_code`), else itself. */
  private referenced(ref: string): string {
    const [table = '', column = ''] = ref.split('.');
    const key = this.model.graph
      .table(table)
      ?.foreignKeys.find((fk) => fk.columns.length === 1 && fk.columns[0] === column);
    return key ? `${key.refTable}.${key.refColumns[0] ?? ''}` : ref;
  }

  private columnUnit(ref: string): string | undefined {
    const unit = unitFromComment(this.catalogColumn(ref)?.comment);
    return unit === 'count' ? undefined : unit;
  }

  private isDateColumn(ref: string): boolean {
    return /^(date|timestamp)/u.test(this.catalogColumn(ref)?.type ?? '');
  }

  private catalogColumn(ref: string): CatalogColumn | undefined {
    const [table = '', column = ''] = ref.split('.');
    return this.model.graph.table(table)?.columns.find((c) => c.name === column);
  }
}

function isLookup(value: Scalar): value is LookupValue {
  return typeof value === 'object' && 'lookup' in value;
}

function isRelative(value: Scalar): value is RelativeDate {
  return typeof value === 'object' && 'now' in value;
}

function isNow(value: Scalar): boolean {
  return isRelative(value) && !value.start && !value.minus && !value.plus;
}

function isDateValue(value: Scalar): boolean {
  return isRelative(value) || (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/u.test(value));
}

/** "1993" for 1993-01-01..1993-12-31. */
function isoYear(min: Scalar, max: Scalar): string | undefined {
  if (typeof min !== 'string' || typeof max !== 'string') return undefined;
  const from = /^(\d{4})-01-01$/u.exec(min)?.[1];
  return from && max === `${from}-12-31` ? from : undefined;
}

/** A code, not a word: "CC_CASHBACK", "CC-YOUNG", "A". */
function isCodeLike(value: string | number | boolean): boolean {
  return typeof value === 'string' && /^[A-Z0-9][A-Z0-9_\-.]*$/u.test(value);
}

/** A name as words: "maturity_date" -> "maturity date". */
function humanised(name: string): string {
  return name.replace(/[_\s]+/gu, ' ').trim();
}

/** "Просрочка по кредитам, дней" says its unit, which the number will say again. */
function withoutUnitTail(label: string, unit: string | undefined): string {
  return unit ? label.replace(/,\s*[\p{L}.%]+$/u, '') : label;
}

/** A comparison of shares (0..1) in percent, for reading. */
function percentOf(cmp: Comparison): Comparison {
  const pct = (v: Scalar) => (typeof v === 'number' ? Math.round(v * 10_000) / 100 : v);
  if ('value' in cmp) return { ...cmp, value: pct(cmp.value) } as Comparison;
  if (cmp.op === 'between') return { ...cmp, min: pct(cmp.min), max: pct(cmp.max) } as Comparison;
  return cmp;
}
