// The public API of @t2s/linking: schema linking without a model (retrieval over the schema's words,
// then the keys that join what was found), the linked schema as a prompt shows it, and the columns
// an SQL text reads (to score linking against gold SQL, and to show a reviewer what a criterion reads).
export {
  schemaFromCatalog,
  schemaFromSpider,
  type LinkColumn,
  type LinkSchema,
  type LinkTable,
  type SpiderDatabase,
} from './link-schema';
export {
  SchemaLinker,
  tableOf,
  type LinkOptions,
  type LinkedSchema,
  type WordIndex,
  type WordIndexFactory,
} from './schema-linker';
export { renderLinkedSchema } from './render';
export { columnsOfSql } from './sql-columns';
export { describedColumns } from './described-columns';
export { words } from './words';
export { Bm25 } from './bm25';
