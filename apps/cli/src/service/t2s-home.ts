import { resolve } from 'node:path';

/** A path under T2S_HOME (`.t2s` by default, as `loadDbConfig` reads it), where `t2s` keeps its local state. */
export function t2sHomePath(env: NodeJS.ProcessEnv, ...parts: string[]): string {
  return resolve(env['T2S_HOME'] ?? '.t2s', ...parts);
}
