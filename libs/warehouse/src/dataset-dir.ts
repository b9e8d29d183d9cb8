import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * Where a data set is: the explicit option, else the environment variable, else
 * `../shared/datasets/<name>` next to the repository (found from `cwd` by its nx.json), which is where
 * CI's fresh clone has it.
 */
export function resolveDatasetDir(
  dataset: { name: string; envVar: string },
  option: string | undefined,
  env: NodeJS.ProcessEnv,
  cwd: string,
): string {
  if (option) return resolve(cwd, option);
  const fromEnv = env[dataset.envVar];
  if (fromEnv) return resolve(cwd, fromEnv);
  return resolve(findRepoRoot(cwd), '../shared/datasets', dataset.name);
}

function findRepoRoot(start: string): string {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) return resolve(start);
  }
}
