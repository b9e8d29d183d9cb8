import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { GuardPolicy } from '../guard.types';
import { DEFAULT_FUNCTIONS } from '../default-functions';
import { DEFAULT_MAX_SQL_LENGTH } from '../guard-policy';

/**
 * BIRD mini-dev (PostgreSQL edition) as the guard's specs read it: `BIRD_DIR`, else
 * ../shared/datasets/bird-minidev next to the repository. The files are used as they are.
 */
export function birdDir(): string {
  return process.env.BIRD_DIR ?? resolve(__dirname, '../../../../..', 'shared/datasets/bird-minidev');
}

interface SpiderSchema {
  db_id: string;
  table_names_original: string[];
}

/**
 * One policy per BIRD database. Its PostgreSQL tables were created with unquoted names in the default
 * schema, so PostgreSQL folded them to lower case: the relations are `public.<name lower-cased>`. The
 * parser folds unquoted identifiers the same way and keeps quoted ones as written, so `FROM Patient`
 * matches `public.patient` and `FROM "order"` matches `public.order`, while `FROM "Patient"` would not
 * (as in PostgreSQL). Any output shape: BIRD answers questions, not segments.
 */
export function birdPolicies(dir = birdDir()): Map<string, GuardPolicy> {
  const schemas = JSON.parse(readFileSync(join(dir, 'dev_tables.json'), 'utf8')) as SpiderSchema[];
  return new Map(
    schemas.map((db) => [
      db.db_id,
      {
        relations: new Set(db.table_names_original.map((name) => `public.${name.toLowerCase()}`)),
        columns: new Map(),
        entityKeys: [],
        searchPath: ['public'],
        functions: DEFAULT_FUNCTIONS,
        outputColumns: null,
        maxLength: DEFAULT_MAX_SQL_LENGTH,
        recursion: 'any' as const,
      },
    ]),
  );
}

export interface BirdQuery {
  sql: string;
  dbId: string;
}

/** `mini_dev_postgresql_gold.sql`: one `SQL<TAB>db_id` per line. */
export function birdGold(dir = birdDir()): BirdQuery[] {
  return readFileSync(join(dir, 'mini_dev_postgresql_gold.sql'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const tab = line.lastIndexOf('\t');
      return { sql: line.slice(0, tab), dbId: line.slice(tab + 1).trim() };
    });
}

/** `predictions/*.json`: `{ "<index>": "<SQL>\t----- bird -----\t<db_id>" }`, by file name. */
export function birdPredictions(dir = birdDir()): Map<string, BirdQuery[]> {
  const folder = join(dir, 'predictions');
  const files = readdirSync(folder).filter((name) => name.endsWith('.json'));
  return new Map(
    files.map((name) => {
      const entries = JSON.parse(readFileSync(join(folder, name), 'utf8')) as Record<string, string>;
      const queries = Object.values(entries).map((value) => {
        const [sql = '', dbId = ''] = value.split('\t----- bird -----\t');
        return { sql, dbId: dbId.trim() };
      });
      return [name, queries];
    }),
  );
}
