import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { t2sHomePath } from './t2s-home';

/**
 * The master key that seals every API key's webhook signing secret: WEBHOOK_SECRET, else one generated
 * once and kept in `$T2S_HOME/webhook-secret` (mode 600). `t2s up` gives it to the gateway and the
 * workers, and `t2s apikey` seals new secrets with it, so on one machine they always agree. It is never
 * given to receivers: each key's own `whsec_` secret is.
 */
export function webhookMasterKey(env: NodeJS.ProcessEnv, onProgress: (message: string) => void): string {
  const configured = env['WEBHOOK_SECRET'];
  if (configured) return configured;
  const file = t2sHomePath(env, 'webhook-secret');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
    onProgress(`generated the webhook master key in ${file}`);
  }
  return readFileSync(file, 'utf8').trim();
}
