import { loadWorkerConfig, WorkerConfigError } from './config';

const REQUIRED = {
  WAREHOUSE_URL: 'postgres://owner@dwh/bank',
  WAREHOUSE_EXECUTOR_URL: 'postgres://executor:secret@dwh/bank',
  WEBHOOK_SECRET: 'a-webhook-secret-of-32-characters',
};

describe('loadWorkerConfig', () => {
  it('applies the defaults', () => {
    expect(loadWorkerConfig(REQUIRED)).toEqual({
      stages: ['criteria', 'linking', 'sql', 'execution'],
      webhooks: true,
      redisUrl: 'redis://127.0.0.1:6379',
      serviceDatabaseUrl: undefined,
      warehouseUrl: 'postgres://owner@dwh/bank',
      warehouseExecutorUrl: 'postgres://executor:secret@dwh/bank',
      warehouseSchema: 'bank',
      warehouseModel: 'bank',
      modelSource: 'merged',
      queuePrefix: '{t2s}',
      stageTimeoutMs: undefined,
      sqlTimeoutMs: 60_000,
      personSqlTimeoutMs: 15_000,
      sqlMaxCost: 1e9,
      concurrency: 1,
      executionConcurrency: 4,
      executionShares: { slotsPerKey: 3, batchSlotsPerKey: 2 },
      lockMs: 30_000,
      webhookSecret: 'a-webhook-secret-of-32-characters',
      webhookAllowedHosts: [],
      webhookTimeoutMs: 10_000,
      webhookRetryDelayMs: 5_000,
    });
  });

  it('reads every variable; STAGES selects and dedupes the stages', () => {
    expect(
      loadWorkerConfig({
        ...REQUIRED,
        STAGES: ' sql, execution ,sql',
        REDIS_URL: 'rediss://redis.internal:6380/2',
        SERVICE_DATABASE_URL: 'postgresql://t2s@db/t2s',
        WAREHOUSE_SCHEMA: 'dwh_2026',
        WAREHOUSE_MODEL: 'bank',
        T2S_MODEL: 'hand',
        QUEUE_PREFIX: '{t2s-staging}',
        STAGE_TIMEOUT_MS: '30000',
        SQL_TIMEOUT_MS: '5000',
        PERSON_SQL_TIMEOUT_MS: '2000',
        SQL_MAX_COST: '250000.5',
        WORKER_CONCURRENCY: '4',
        EXECUTION_CONCURRENCY: '8',
        EXECUTION_SLOTS_PER_KEY: '4',
        EXECUTION_BATCH_SLOTS_PER_KEY: '4',
        WORKER_LOCK_MS: '2000',
        WEBHOOK_TIMEOUT_MS: '3000',
        WEBHOOK_RETRY_DELAY_MS: '100',
        WEBHOOK_ALLOWED_HOSTS: 'hooks.internal, 127.0.0.1:8080',
      }),
    ).toEqual({
      stages: ['sql', 'execution'],
      webhooks: false,
      redisUrl: 'rediss://redis.internal:6380/2',
      serviceDatabaseUrl: 'postgresql://t2s@db/t2s',
      warehouseUrl: 'postgres://owner@dwh/bank',
      warehouseExecutorUrl: 'postgres://executor:secret@dwh/bank',
      warehouseSchema: 'dwh_2026',
      warehouseModel: 'bank',
      modelSource: 'hand',
      queuePrefix: '{t2s-staging}',
      stageTimeoutMs: 30_000,
      sqlTimeoutMs: 5_000,
      personSqlTimeoutMs: 2_000,
      sqlMaxCost: 250_000.5,
      concurrency: 4,
      executionConcurrency: 8,
      executionShares: { slotsPerKey: 4, batchSlotsPerKey: 4 },
      lockMs: 2_000,
      webhookSecret: 'a-webhook-secret-of-32-characters',
      webhookAllowedHosts: [{ host: 'hooks.internal' }, { host: '127.0.0.1', port: 8080 }],
      webhookTimeoutMs: 3_000,
      webhookRetryDelayMs: 100,
    });
  });

  it('shares the execution slots between keys by default, sized from EXECUTION_CONCURRENCY', () => {
    const shares = (env: Record<string, string>) => loadWorkerConfig({ ...REQUIRED, ...env }).executionShares;
    expect(shares({ EXECUTION_CONCURRENCY: '8' })).toEqual({ slotsPerKey: 7, batchSlotsPerKey: 6 });
    expect(shares({ EXECUTION_CONCURRENCY: '1' })).toEqual({ slotsPerKey: 1, batchSlotsPerKey: 1 });
    expect(shares({ EXECUTION_SLOTS_PER_KEY: '2' })).toEqual({ slotsPerKey: 2, batchSlotsPerKey: 1 });
    expect(shares({ EXECUTION_SLOTS_PER_KEY: '0' })).toBeNull();
    expect(() => shares({ EXECUTION_SLOTS_PER_KEY: '2', EXECUTION_BATCH_SLOTS_PER_KEY: '3' })).toThrow(
      /EXECUTION_BATCH_SLOTS_PER_KEY: Must not exceed EXECUTION_SLOTS_PER_KEY \(2\)/,
    );
  });

  it('treats an empty value as unset', () => {
    expect(loadWorkerConfig({ ...REQUIRED, STAGES: '', SQL_TIMEOUT_MS: '' })).toMatchObject({
      stages: ['criteria', 'linking', 'sql', 'execution'],
      webhooks: true,
      sqlTimeoutMs: 60_000,
    });
  });

  it.each([
    ['STAGES', 'sql,render'],
    ['STAGES', ' , '],
    ['REDIS_URL', 'http://127.0.0.1:6379'],
    ['SERVICE_DATABASE_URL', 'mysql://db/t2s'],
    ['WAREHOUSE_URL', 'not a url'],
    ['WAREHOUSE_EXECUTOR_URL', ''],
    ['WAREHOUSE_SCHEMA', 'Bank-1'],
    ['STAGE_TIMEOUT_MS', 'soon'],
    ['SQL_TIMEOUT_MS', '1.5'],
    ['PERSON_SQL_TIMEOUT_MS', '50'],
    ['EXECUTION_CONCURRENCY', '0'],
    ['EXECUTION_SLOTS_PER_KEY', '-1'],
    ['EXECUTION_BATCH_SLOTS_PER_KEY', '0'],
    ['SQL_MAX_COST', '-1'],
    ['WORKER_CONCURRENCY', '0'],
    ['WEBHOOK_SECRET', 'short'],
    ['WEBHOOK_ALLOWED_HOSTS', 'http://hooks.internal/'],
    ['WEBHOOK_ALLOWED_HOSTS', 'hooks.internal:99999'],
  ])('names %s when it is %p', (name, value) => {
    const load = () => loadWorkerConfig({ ...REQUIRED, [name]: value });
    expect(load).toThrow(WorkerConfigError);
    expect(load).toThrow(new RegExp(`\\b${name}: `));
  });

  it('names every bad variable at once', () => {
    expect(() => loadWorkerConfig({ SQL_MAX_COST: 'x', PORT: '1' })).toThrow(/SQL_MAX_COST: /);
    expect(() => loadWorkerConfig({})).toThrow(
      /WAREHOUSE_URL: .*; WAREHOUSE_EXECUTOR_URL: .*; WEBHOOK_SECRET: Required when STAGES includes webhook/,
    );
  });

  it('needs no warehouse for a webhook-only worker, and no secret without the webhook queue', () => {
    expect(loadWorkerConfig({ STAGES: 'webhook', WEBHOOK_SECRET: REQUIRED.WEBHOOK_SECRET })).toMatchObject({
      stages: [],
      webhooks: true,
      warehouseUrl: undefined,
    });
    expect(loadWorkerConfig({ ...REQUIRED, STAGES: 'sql', WEBHOOK_SECRET: '' })).toMatchObject({
      stages: ['sql'],
      webhooks: false,
    });
  });
});
