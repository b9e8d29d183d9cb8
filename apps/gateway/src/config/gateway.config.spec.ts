import { GatewayConfigError, loadGatewayConfig } from './gateway.config';

describe('loadGatewayConfig', () => {
  it('applies the defaults to an empty environment', () => {
    expect(loadGatewayConfig({})).toEqual({
      port: 3000,
      host: '127.0.0.1',
      redisUrl: 'redis://127.0.0.1:6379',
      serviceDatabaseUrl: undefined,
      warehouseUrl: undefined,
      warehouseSchemas: ['bank'],
      warehouseExecutorUrl: undefined,
      insightTimeoutMs: 10_000,
      sqlMaxCost: 1e9,
      modelSource: 'merged',
      warehouseModel: undefined,
      bodyLimitBytes: 1024 * 1024,
      queuePrefix: '{t2s}',
      readyWorkerQueues: ['criteria', 'linking', 'sql', 'execution', 'webhook'],
      apiKeyCacheTtlMs: 10_000,
      webhookAllowedHosts: [],
      webhookSecret: undefined,
      webhookSecretRolloverMs: 24 * 3600 * 1000,
    });
  });

  it('reads every variable', () => {
    const config = loadGatewayConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      REDIS_URL: 'rediss://redis.internal:6380/2',
      SERVICE_DATABASE_URL: 'postgres://t2s@db/t2s',
      WAREHOUSE_URL: 'postgresql://reader@dwh/bank',
      BODY_LIMIT_BYTES: '2048',
      WAREHOUSE_SCHEMAS: 'bank, berka,bank',
      QUEUE_PREFIX: '{t2s-staging}',
      READY_WORKER_QUEUES: 'sql, llm,sql',
      API_KEY_CACHE_TTL_MS: '2500',
      WEBHOOK_ALLOWED_HOSTS: 'receiver.internal:8443,[::1]',
      WEBHOOK_SECRET: 'a-master-key-of-32-characters!!!',
      WEBHOOK_SECRET_ROLLOVER_SECONDS: '3600',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      redisUrl: 'rediss://redis.internal:6380/2',
      serviceDatabaseUrl: 'postgres://t2s@db/t2s',
      warehouseUrl: 'postgresql://reader@dwh/bank',
      bodyLimitBytes: 2048,
      warehouseSchemas: ['bank', 'berka'],
      queuePrefix: '{t2s-staging}',
      readyWorkerQueues: ['sql', 'llm'],
      apiKeyCacheTtlMs: 2500,
      webhookAllowedHosts: [{ host: 'receiver.internal', port: 8443 }, { host: '[::1]' }],
      webhookSecret: 'a-master-key-of-32-characters!!!',
      webhookSecretRolloverMs: 3_600_000,
    });
    expect(loadGatewayConfig({ READY_WORKER_QUEUES: 'none' }).readyWorkerQueues).toEqual([]);
  });

  it('treats an empty value as unset', () => {
    expect(loadGatewayConfig({ WAREHOUSE_URL: '', PORT: '' })).toMatchObject({
      warehouseUrl: undefined,
      port: 3000,
    });
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['REDIS_URL', 'http://127.0.0.1:6379'],
    ['SERVICE_DATABASE_URL', 'mysql://db/t2s'],
    ['WAREHOUSE_URL', 'not a url'],
    ['BODY_LIMIT_BYTES', '1.5'],
    ['WAREHOUSE_SCHEMAS', 'Bank; drop'],
    ['WAREHOUSE_SCHEMAS', ' , '],
    ['READY_WORKER_QUEUES', 'sql,stage9'],
    ['API_KEY_CACHE_TTL_MS', '-1'],
    ['WEBHOOK_ALLOWED_HOSTS', 'receiver.internal/hooks'],
    ['WEBHOOK_SECRET', 'short'],
    ['WEBHOOK_SECRET_ROLLOVER_SECONDS', '9999999'],
  ])('names %s when it is %p', (name, value) => {
    expect(() => loadGatewayConfig({ [name]: value })).toThrow(GatewayConfigError);
    expect(() => loadGatewayConfig({ [name]: value })).toThrow(new RegExp(`\\b${name}: `));
  });

  it('names every bad variable at once', () => {
    expect(() => loadGatewayConfig({ PORT: '-1', BODY_LIMIT_BYTES: 'x' })).toThrow(
      /PORT: .*; BODY_LIMIT_BYTES: /,
    );
  });
});
