import { resolve } from 'node:path';
import { startTsProcess, stopService, waitForOutput, type ChildService, type Exit } from '@t2s/process';

export { exitWithin, REPO_ROOT, type Exit } from '@t2s/process';

export const MAIN_ENTRY = resolve(__dirname, '../main.ts');
export const HARNESS_ENTRY = resolve(__dirname, 'gateway-harness.ts');

export interface GatewayProcess extends ChildService {
  url: string;
}

/** Starts a gateway entry without waiting for it (for tests of start-up failures). */
export function startProcess(entry: string, env: Record<string, string>): ChildService {
  return startTsProcess('gateway', entry, { env });
}

/** Starts a gateway entry (as production runs it) and waits for its "listening on <url>" line. */
export async function spawnGateway(
  entry: string,
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<GatewayProcess> {
  const started = startProcess(entry, env);
  try {
    const match = await waitForOutput(started, /listening on (http:\/\/[^\s"]+)/, timeoutMs);
    return { ...started, url: match[1] as string };
  } catch (error) {
    started.child.kill('SIGKILL');
    throw error;
  }
}

/** SIGTERM, then the exit (SIGKILL if it hangs, so a broken shutdown fails one test, not the run). */
export function stopGateway(gateway: ChildService, ms = 10_000): Promise<Exit> {
  return stopService(gateway, ms);
}
