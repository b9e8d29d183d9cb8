// A real Prometheus (Debian's prometheus package) scraping the running service, with the repo's alert
// rules loaded: the metrics the dashboards and alerts read are there, under the names they use.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, REPO_ROOT } from '@t2s/process';
import { openServiceFixture, type ServiceFixture } from './testing/service-fixture';

jest.setTimeout(180_000);

const PROMETHEUS = process.env['PROMETHEUS_BIN'] ?? 'prometheus';

describe('Prometheus scraping the service', () => {
  let f: ServiceFixture;
  let prometheus: ChildProcess | undefined;
  let dir: string;
  let api: string;
  const output: string[] = [];

  beforeAll(async () => {
    // Every worker takes a free port for /metrics and logs it.
    f = await openServiceFixture(300, { METRICS_PORT: '0' });
    const workerTargets = f.log
      .map((line) => /^\[worker:\w+\] .*metrics on :(\d+)\/metrics/.exec(line)?.[1])
      .filter((port): port is string => port !== undefined)
      .map((port) => `127.0.0.1:${port}`);
    expect(workerTargets).toHaveLength(5);

    dir = mkdtempSync(join(tmpdir(), 't2s-prometheus-'));
    copyFileSync(join(REPO_ROOT, 'deploy/prometheus/alerts.yml'), join(dir, 'alerts.yml'));
    const gateway = new URL(f.service.url).host;
    writeFileSync(
      join(dir, 'prometheus.yml'),
      [
        'global: { scrape_interval: 1s, evaluation_interval: 1s }',
        'rule_files: [alerts.yml]',
        'scrape_configs:',
        `  - { job_name: t2s-gateway, static_configs: [{ targets: ['${gateway}'] }] }`,
        `  - { job_name: t2s-worker, static_configs: [{ targets: ${JSON.stringify(workerTargets)} }] }`,
      ].join('\n'),
    );
    const port = await freePort();
    api = `http://127.0.0.1:${port}/api/v1`;
    prometheus = spawn(
      PROMETHEUS,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    prometheus.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      prometheus?.once('error', (error) =>
        reject(
          new Error(`cannot start ${PROMETHEUS} (install Debian's prometheus package): ${error.message}`),
        ),
      );
      prometheus?.once('exit', (code) => reject(new Error(`prometheus exited ${code}: ${output.join('')}`)));
      prometheus?.stderr?.on('data', () => {
        if (output.join('').includes('Server is ready to receive web requests')) resolve();
      });
    });
  }, 240_000);

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((resolve) => prometheus?.once('exit', resolve));
      prometheus.kill('SIGTERM');
      await exited;
    }
    await f?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The query's result once it has one (Prometheus scrapes every second), within `timeoutMs`. */
  async function queryUntil(query: string, ok: (result: Sample[]) => boolean, timeoutMs = 30_000) {
    const deadline = Date.now() + timeoutMs;
    let last: Sample[] = [];
    while (Date.now() < deadline) {
      const response = await fetch(`${api}/query?query=${encodeURIComponent(query)}`);
      const body = (await response.json()) as { status: string; data: { result: Sample[] } };
      last = body.data.result;
      if (ok(last)) return last;
      // The next scrape is at most a second away; wait for it rather than hammer the API.
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`${query}: no satisfying result in ${timeoutMs} ms; last ${JSON.stringify(last)}`);
  }

  it('scrapes the gateway and every worker, and reads back a run the service finished', async () => {
    const response = await f.api('POST', '/v1/segments', { body: f.request() });
    const created = response.json() as { id: string; revision: { id: string } };
    await f.receiver.waitForRun(created.id, created.revision.id);

    const up = await queryUntil(
      'up',
      (result) => result.length === 6 && result.every((s) => s.value[1] === '1'),
    );
    expect(up.map((s) => s.metric['job']).sort()).toEqual([
      't2s-gateway',
      ...Array<string>(5).fill('t2s-worker'),
    ]);
    const runs = await queryUntil('sum(t2s_runs_finished_total{status="succeeded"})', (r) => r.length === 1);
    expect(Number(runs[0]?.value[1])).toBeGreaterThanOrEqual(1);
    const stages = await queryUntil(
      'sum by (stage) (t2s_stage_duration_seconds_count)',
      (r) => r.length === 4,
    );
    expect(stages.map((s) => s.metric['stage']).sort()).toEqual(['criteria', 'execution', 'linking', 'sql']);
    await queryUntil('t2s_sql_execution_seconds_count{verdict="executed"}', (r) => r.length === 1);
    await queryUntil('t2s_queue_jobs{queue="criteria", state="waiting"}', (r) => r.length === 1);
    await queryUntil('t2s_webhook_attempts_total{outcome="delivered"}', (r) => r.length === 1);
    await queryUntil(
      't2s_http_requests_total{route="/v1/segments", method="POST", status="202"}',
      (r) => r.length === 1,
    );

    // The alert rules loaded and evaluate against real series.
    const rules = (await (await fetch(`${api}/rules`)).json()) as {
      data: { groups: { rules: { name: string; health: string }[] }[] };
    };
    const loaded = rules.data.groups.flatMap((g) => g.rules);
    expect(loaded.length).toBeGreaterThanOrEqual(9);
    expect(loaded.filter((r) => r.health === 'err')).toEqual([]);
  });
});

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}
