import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { quoteIdent } from './sql-text';

/** The PostgreSQL that tests use: the machine's own server (CI starts it), database `test`. */
export function testDatabaseUrl(): string {
  return process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}

export interface TestSchema {
  url: string;
  schema: string;
  /** Open admin connection to the test database, for assertions. */
  client: Client;
  drop(): Promise<void>;
}

/** Creates a uniquely named schema for one test file; `drop()` removes it and closes the connection. */
export async function createTestSchema(prefix: string): Promise<TestSchema> {
  const url = testDatabaseUrl();
  const schema = `${prefix}_${randomBytes(4).toString('hex')}`;
  const client = new Client({ connectionString: url });
  await client.connect();
  await client.query(`create schema ${quoteIdent(schema)}`);
  return {
    url,
    schema,
    client,
    drop: async () => {
      try {
        await client.query(`drop schema if exists ${quoteIdent(schema)} cascade`);
      } finally {
        await client.end();
      }
    },
  };
}
