import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../../..', 'eval/cases');

/** Every eval case file (own, dev and unseen alike) as `<folder>/<id>` and its JSON, sorted by path. */
export function evalCaseFiles<T>(): { path: string; file: T }[] {
  return readdirSync(ROOT, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) =>
      readdirSync(join(ROOT, d.name))
        .filter((f) => f.endsWith('.json'))
        .map((f) => ({
          path: `${d.name}/${f.replace(/\.json$/, '')}`,
          file: JSON.parse(readFileSync(join(ROOT, d.name, f), 'utf8')) as T,
        })),
    )
    .sort((a, b) => (a.path < b.path ? -1 : 1));
}
