import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import type { AuditEntry } from '@t2s/contracts';
import { PipelineMetrics } from './pipeline-metrics';
import { registerQueueMetrics } from './queue-metrics';
import { serveMetrics } from './metrics-server';
import { SqlMetrics } from './sql-metrics';
import { WebhookMetrics } from './webhook-metrics';

/** The value of one sample line of the exposition text, or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const ok = Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`));
    if (ok) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('PipelineMetrics', () => {
  it('counts stage passes, failures by code, deadline misses, tokens, runs and sizes', async () => {
    const registry = new Registry();
    const metrics = new PipelineMetrics(registry);
    metrics.stageFinished({
      stage: 'criteria',
      outcome: 'succeeded',
      seconds: 0.2,
      tokens: 4_150,
      strategy: 'llm',
    });
    metrics.stageFinished({
      stage: 'execution',
      outcome: 'failed',
      seconds: 0.1,
      tokens: 0,
      strategy: 'baseline',
      code: 'DEADLINE_EXCEEDED',
    });
    metrics.runFinished({ status: 'succeeded', strategy: 'baseline', warehouse: 'bank', size: 1_234 });
    metrics.jobStarted('sql', 0.003);
    const text = await registry.metrics();
    expect(
      sample(text, 't2s_stage_duration_seconds_count', { stage: 'criteria', outcome: 'succeeded' }),
    ).toBe(1);
    expect(sample(text, 't2s_stage_failures_total', { stage: 'execution', code: 'DEADLINE_EXCEEDED' })).toBe(
      1,
    );
    expect(sample(text, 't2s_deadline_misses_total', { stage: 'execution' })).toBe(1);
    expect(sample(text, 't2s_stage_llm_tokens_total', { stage: 'criteria', strategy: 'llm' })).toBe(4_150);
    expect(sample(text, 't2s_runs_finished_total', { status: 'succeeded', strategy: 'baseline' })).toBe(1);
    expect(sample(text, 't2s_segment_size_clients_sum', { warehouse: 'bank' })).toBe(1_234);
    expect(sample(text, 't2s_queue_wait_seconds_count', { queue: 'sql' })).toBe(1);
  });

  it('labels runs by final status, needs_review included, and counts its size like a success', async () => {
    const registry = new Registry();
    const metrics = new PipelineMetrics(registry);
    metrics.runFinished({ status: 'needs_review', strategy: 'llm', warehouse: 'berka', size: 1_084 });
    metrics.runFinished({ status: 'failed', strategy: 'llm', warehouse: 'berka', code: 'CRITERIA_PARTIAL' });
    const text = await registry.metrics();
    expect(
      sample(text, 't2s_runs_finished_total', { status: 'needs_review', strategy: 'llm', code: '' }),
    ).toBe(1);
    expect(
      sample(text, 't2s_runs_finished_total', {
        status: 'failed',
        strategy: 'llm',
        code: 'CRITERIA_PARTIAL',
      }),
    ).toBe(1);
    expect(sample(text, 't2s_segment_size_clients_sum', { warehouse: 'berka' })).toBe(1_084);
  });
});

describe('SqlMetrics', () => {
  const entry = (over: Partial<AuditEntry>): AuditEntry => ({
    sqlHash: 'h',
    sql: 'select 1',
    verdict: 'executed',
    durationMs: 40,
    at: new Date(),
    ...over,
  });

  it('counts what the audit sink records, after the sink took it', async () => {
    const registry = new Registry();
    const recorded: AuditEntry[] = [];
    const sink = new SqlMetrics(registry).auditing({ record: async (e) => void recorded.push(e) });
    await sink.record(entry({ rows: 500 }));
    await sink.record(entry({ verdict: 'rejected', code: 'NOT_SELECT', durationMs: 1 }));
    expect(recorded).toHaveLength(2);
    const text = await registry.metrics();
    expect(sample(text, 't2s_sql_guard_rejections_total', { code: 'NOT_SELECT' })).toBe(1);
    expect(sample(text, 't2s_sql_rows_sum')).toBe(500);
    expect(sample(text, 't2s_sql_execution_seconds_count', { verdict: 'executed' })).toBe(1);
  });

  it('counts nothing when the audit write fails (an unaudited run is not acceptable)', async () => {
    const registry = new Registry();
    const sink = new SqlMetrics(registry).auditing({
      record: () => Promise.reject(new Error('audit table gone')),
    });
    await expect(sink.record(entry({}))).rejects.toThrow('audit table gone');
    expect(sample(await registry.metrics(), 't2s_sql_total', { verdict: 'executed' })).toBeUndefined();
  });
});

describe('WebhookMetrics', () => {
  it('tells delivered attempts from failed and refused ones and counts events given up', async () => {
    const registry = new Registry();
    const metrics = new WebhookMetrics(registry);
    metrics.attempted({ statusCode: 204, durationMs: 12 });
    metrics.attempted({ statusCode: 500, durationMs: 30 });
    metrics.attempted({ durationMs: 10_000 });
    metrics.attempted({ refused: true, durationMs: 1 });
    metrics.givenUp();
    const text = await registry.metrics();
    expect(sample(text, 't2s_webhook_attempts_total', { outcome: 'delivered' })).toBe(1);
    expect(sample(text, 't2s_webhook_attempts_total', { outcome: 'failed' })).toBe(2);
    expect(sample(text, 't2s_webhook_attempts_total', { outcome: 'refused' })).toBe(1);
    expect(sample(text, 't2s_webhook_gave_up_total')).toBe(1);
  });
});

describe('queue metrics and the metrics server', () => {
  const redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', {
    maxRetriesPerRequest: null,
  });
  const prefix = `{t2s-metrics-${randomUUID().slice(0, 8)}}`;
  const queue = new Queue('criteria', { connection: redis, prefix });

  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    await redis.quit();
  });

  it('reads jobs by queue and state and Redis memory at scrape time, over HTTP', async () => {
    const registry = new Registry();
    registerQueueMetrics(registry, [queue], redis);
    await queue.add('criteria', { n: 1 });
    await queue.add('criteria', { n: 2 }, { delay: 60_000 });
    const server = await serveMetrics(registry, 0, '127.0.0.1');
    try {
      const response = await fetch(`http://127.0.0.1:${server.port}/metrics`);
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(sample(text, 't2s_queue_jobs', { queue: 'criteria', state: 'waiting' })).toBe(1);
      expect(sample(text, 't2s_queue_jobs', { queue: 'criteria', state: 'delayed' })).toBe(1);
      expect(sample(text, 't2s_redis_memory_bytes', { kind: 'used' })).toBeGreaterThan(0);
      expect((await fetch(`http://127.0.0.1:${server.port}/other`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});

describe('docs/metrics.md', () => {
  it('documents every metric these registries define', async () => {
    const registry = new Registry();
    new PipelineMetrics(registry);
    new SqlMetrics(registry);
    new WebhookMetrics(registry);
    registerQueueMetrics(registry, [], { info: async () => '' });
    const doc = readFileSync(join(__dirname, '../../../docs/metrics.md'), 'utf8');
    const names = (await registry.getMetricsAsJSON()).map((m) => m.name);
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((name) => !doc.includes(`\`${name}\``))).toEqual([]);
  });
});
