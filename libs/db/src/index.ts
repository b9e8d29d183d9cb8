export { loadDbConfig, type DbConfig } from './config';
export { startEmbeddedPostgres, embeddedAdminUrl, type PostgresServer } from './embedded-postgres';
export { openWarehouse, ensureDatabase, withDatabase, redactUrl, type DatabaseTarget } from './database-url';
export { quoteIdent, quoteLiteral, assertPlainName, indentSql } from './sql-text';
export { createTestSchema, testDatabaseUrl, type TestSchema } from './test-database';
export { commaList, envVar, parseEnvironment, postgresUrl } from './env-config';
