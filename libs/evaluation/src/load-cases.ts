import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { evalCaseSchema, type EvalCase } from './eval-case.schema';

/**
 * The held-out set (`eval/cases/unseen`): written from the schemas alone and never tuned against, so
 * it is scored apart. A recursive load skips a folder of this name; name it to load it.
 */
export const HELD_OUT_DIR = 'unseen';

/** The tuning set (`eval/cases/dev`): written the same way, tuned on, and also scored apart. */
export const DEV_DIR = 'dev';

/** Folders a recursive load skips: sets scored apart, loaded only when named. */
const APART: ReadonlySet<string> = new Set([HELD_OUT_DIR, DEV_DIR]);

/** Every `*.json` case under `dir` (recursively, but for the sets scored apart), validated; a bad file fails the load naming it. */
export function loadCases(dir: string): EvalCase[] {
  const files = listJson(dir).sort();
  const problems: string[] = [];
  const cases: EvalCase[] = [];
  for (const file of files) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      problems.push(`${file}: not JSON (${(error as Error).message})`);
      continue;
    }
    const parsed = evalCaseSchema.safeParse(raw);
    if (!parsed.success) {
      problems.push(
        `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(case)'}: ${i.message}`).join('; ')}`,
      );
      continue;
    }
    if (parsed.data.id !== basename(file, '.json'))
      problems.push(`${file}: id ${parsed.data.id} is not the file name`);
    cases.push(parsed.data);
  }
  const ids = new Set<string>();
  for (const c of cases) {
    if (ids.has(`${c.warehouse}/${c.id}`)) problems.push(`duplicate case id ${c.warehouse}/${c.id}`);
    ids.add(`${c.warehouse}/${c.id}`);
  }
  if (problems.length > 0) throw new Error(`Invalid evaluation cases:\n${problems.join('\n')}`);
  if (cases.length === 0) throw new Error(`No evaluation cases (*.json) under ${dir}`);
  return cases;
}

function listJson(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return APART.has(name) ? [] : listJson(path);
    return name.endsWith('.json') ? [path] : [];
  });
}
