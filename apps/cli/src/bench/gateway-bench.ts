/**
 * The gateway alone, quickly: the last phase of `bench:load` without the segments at a fixed rate. One
 * segment is run to the end, the workers are stopped, then autocannon sends GET /v1/segments/{id}
 * (plain, then conditional with the ETag it got), and POST /v1/segments unless `--get-only`. Each line
 * adds the gateway's CPU time per request, which a busy machine disturbs less than requests per second.
 *
 *   npx tsx apps/cli/src/bench/gateway-bench.ts [--get-only] [seconds=10]
 */
import { readFileSync } from 'node:fs';
import { stopService } from '@t2s/process';
import { progress } from '../command-runner';
import { openServiceFixture } from '../service/testing/service-fixture';
import { cannonRun, type CannonOptions } from './gateway-cannon';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const getOnly = args.includes('--get-only');
  const durationS = Number(args.find((a) => !a.startsWith('--')) ?? 10);
  progress('starting the service over 300 seeded clients');
  const f = await openServiceFixture(300, {
    ...(process.env['BENCH_NODE_OPTIONS'] ? { NODE_OPTIONS: process.env['BENCH_NODE_OPTIONS'] } : {}),
  });
  try {
    const accepted = await f.api('POST', '/v1/segments', { body: f.request() });
    if (accepted.status !== 202) throw new Error(`POST answered ${accepted.status}: ${accepted.text}`);
    const { id, revision } = accepted.json() as { id: string; revision: { id: string } };
    await f.receiver.waitForRun(id, revision.id, 120_000);
    progress('stopping the workers: the gateway alone under autocannon');
    const workers = f.service.processes.filter((p) => p.name.startsWith('worker:'));
    await Promise.all(workers.map((w) => stopService(w, 35_000)));

    const gateway = { url: f.service.url, key: f.key };
    const pid = f.service.processes.find((p) => p.name === 'gateway')?.child.pid as number;
    const run = async (method: 'GET' | 'POST', path: string, options: CannonOptions) => {
      const before = cpuMs(pid);
      const { line, total } = await cannonRun(gateway, method, path, { durationS, ...options });
      return `${line}; gateway CPU ${((cpuMs(pid) - before) / total).toFixed(3)} ms/request`;
    };
    const path = `/v1/segments/${id}`;
    const etag = (await f.api('GET', path)).headers.get('etag');
    console.log(`gateway GET /v1/segments/{id}: ${await run('GET', path, {})}`);
    if (etag !== null) {
      const conditional = await run('GET', path, { headers: { 'if-none-match': etag } });
      console.log(`gateway GET /v1/segments/{id} with If-None-Match (304): ${conditional}`);
    }
    if (!getOnly) {
      const post = await run('POST', '/v1/segments', { body: JSON.stringify(f.request()) });
      console.log(`gateway POST /v1/segments: ${post}`);
    }
  } finally {
    await f.close();
  }
}

/** User plus system CPU time of a process so far, in ms, from /proc (Linux; clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
