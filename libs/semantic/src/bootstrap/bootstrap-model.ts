import type { Catalog } from '@t2s/catalog';
import { semanticModelSchema, type SemanticModelFile, type Terms } from '../semantic-model.schema';
import { bootstrapAttributes } from './attributes';
import { commentCodes } from './comment-codes';
import { capitalised, commentHead, headTerms, languageOf, mergeTerms } from './comment-words';
import { dateRole, tableDates } from './date-roles';
import { withHeadNouns } from './head-nouns';
import { bootstrapCodes } from './labels';
import { isTextType, nameWords, WarehouseView } from './warehouse-view';

/**
 * A semantic model derived from the catalog alone (tables, columns, types, comments, keys and the value
 * index; no database, no hand annotation), in the annotation file's format so a person can review and
 * refine it: hand entries in `config/warehouses/<schema>.annotations.json` win key by key
 * (`mergeSemanticModels`). Driven by comment conventions and types, never by a column's name.
 */
export function bootstrapSemanticModel(catalog: Catalog, schema: string): SemanticModelFile {
  const view = new WarehouseView(catalog, schema);
  const { labels, orders } = bootstrapCodes(view);
  const now = reportDate(view);
  const file = semanticModelSchema.parse({
    warehouse: schema,
    // The catalog's entity is the client a segment selects, whatever its table is called.
    entity: { ...view.entity, label: { ru: 'клиент', en: 'client' } },
    ...(now ? { now } : {}),
    bridges: view.bridges,
    tables: bootstrapTables(view),
    attributes: bootstrapAttributes(view),
    labels,
    columns: bootstrapColumns(view),
    valueColumns: bootstrapValueColumns(view),
    orders,
  });
  return withHeadNouns(file, (ref) => {
    const head = commentHead(view.graph.column(ref)?.comment);
    return head !== '' && languageOf(head) === 'en';
  });
}

/** `select max(report_date) from etl_load_info`: the warehouse's "today", when a column's comment says it is the report date. */
function reportDate(view: WarehouseView): string | undefined {
  for (const table of view.tables) {
    const column = table.columns.find((c) => dateRole(c) === 'report');
    if (column) return `select max(${column.name}) from ${table.name}`;
  }
  return undefined;
}

/**
 * Each client-data table's label and words; for tables of a client's rows (events, products) also the
 * date a row is dated by and the date it ends by. A profile row's dates are facts about the client.
 */
function bootstrapTables(view: WarehouseView): SemanticModelFile['tables'] {
  const tables: SemanticModelFile['tables'] = {};
  const dated = new Set(view.ownedTables().map((t) => t.name));
  for (const table of [...view.profileTables(), ...view.ownedTables(), ...view.lookupTables()]) {
    const head = commentHead(table.comment);
    const named = nameWords(table.name);
    const russian = head !== '' && languageOf(head) === 'ru';
    const terms: Terms = mergeTerms(headTerms(head), russian ? { ru: [], en: [named] } : { ru: [], en: [] });
    tables[table.name] = {
      ...(head ? { label: { ru: capitalised(head), en: capitalised(russian ? named : head) } } : {}),
      ...(terms.ru.length + terms.en.length > 0 ? { terms } : {}),
      ...(dated.has(table.name) ? tableDates(table, (c) => view.isTargetable(c)) : {}),
    };
  }
  return tables;
}

/** Words of each column of client data from its comment (and its name's words, for English text). */
function bootstrapColumns(view: WarehouseView): SemanticModelFile['columns'] {
  const columns: SemanticModelFile['columns'] = {};
  for (const table of [...view.profileTables(), ...view.ownedTables(), ...view.lookupTables()]) {
    for (const column of table.columns) {
      if (view.isKey(table, column) || !view.isTargetable(column)) continue;
      const head = commentHead(column.comment);
      const terms = headTerms(head);
      const named = nameWords(column.name);
      if (languageOf(head) === 'ru' && named.includes(' ')) terms.en.push(named);
      if (terms.ru.length + terms.en.length > 0) columns[`${table.name}.${column.name}`] = terms;
    }
  }
  return columns;
}

/**
 * Every targetable text column of client data with a value list, but for keys, code columns whose
 * comment lists their codes (the labels name those) and columns of numbers (codes, versions, tax numbers,
 * masked card numbers, which would read as quantities). Coarser places first: a table other value tables look up (a
 * region, looked up by its cities) before them, so a name both have means the coarser one.
 */
function bootstrapValueColumns(view: WarehouseView): string[] {
  const owners = [...view.profileTables(), ...view.ownedTables(), ...view.lookupTables()];
  const lookedUpBy = (table: string) =>
    owners.filter((o) => o.name !== table && view.graph.lookupPath(o.name, table)).length;
  const found: { ref: string; rank: number; count: number }[] = [];
  for (const table of owners) {
    for (const column of table.columns) {
      const values = column.values ?? [];
      if (!isTextType(column.type) || !view.isTargetable(column) || column.pii || values.length === 0)
        continue;
      // Codes of keys are linked by their exact words already; their names are in the table they key.
      if (view.isKey(table, column) || commentCodes(column.comment)?.complete) continue;
      if (values.filter((v) => /^[\d\s.,:/+*#-]+$/u.test(v)).length * 2 >= values.length) continue;
      found.push({ ref: `${table.name}.${column.name}`, rank: lookedUpBy(table.name), count: values.length });
    }
  }
  return found.sort((a, b) => b.rank - a.rank || a.count - b.count).map((f) => f.ref);
}
