// The llm strategy through the inference pool: the worker processes' stages put their LLM calls on the
// llm queue as child jobs and wait without a slot; the pool (here in the test process) serves them
// against an OpenAI-compatible stand-in.
import type { Segment } from '@t2s/contracts';
import { EndpointRouter, LlmCallStore, startLlmPool, type LlmPool } from '@t2s/inference-pool';
import { OpenAiCompatibleBackend } from '@t2s/llm';
import { startOpenAiStandIn, type OpenAiStandIn } from '@t2s/llm/testing';
import { createRedisConnection } from '@t2s/queue';
import type { RedisConnection } from '@t2s/queue';
import { openServiceFixture, type ServiceFixture } from './testing/service-fixture';

jest.setTimeout(180_000);

describe('the llm strategy through the inference pool', () => {
  let f: ServiceFixture;
  let model: OpenAiStandIn;
  let pool: LlmPool;
  let connection: RedisConnection;

  beforeAll(async () => {
    model = await startOpenAiStandIn();
    f = await openServiceFixture(300, { LLM_VIA_POOL: '1', LLM_MODEL: 'qwen-test' });
    const prefix = f.settings.env?.['QUEUE_PREFIX'] as string;
    connection = createRedisConnection(f.settings.redisUrl, { forWorker: true });
    pool = await startLlmPool({
      connection,
      prefix,
      slots: 2,
      store: new LlmCallStore(connection, prefix),
      backend: new EndpointRouter([
        new OpenAiCompatibleBackend({ baseUrl: model.url, model: 'qwen-test', timeoutMs: 10_000 }),
      ]),
    });
  }, 240_000);
  afterAll(async () => {
    await pool?.close();
    await connection?.quit();
    await f?.close();
    await model?.close();
  });

  it('runs a segment whose criteria the model writes, the call served by the pool', async () => {
    model.reply({
      content: JSON.stringify({
        criteria: [
          {
            kind: 'include',
            text: 'Старше 40 лет',
            expr: { type: 'attr', attr: 'age', cmp: { op: 'gt', value: 40 } },
          },
        ],
        unparsed: [],
      }),
      usage: { prompt_tokens: 3_000, completion_tokens: 50 },
    });
    const response = await f.api('POST', '/v1/segments', {
      body: f.request({ options: { ...f.request().options, strategy: 'llm' } }),
    });
    expect(response.status).toBe(202);
    const created = response.json() as { id: string; revision: { id: string } };
    await f.receiver.waitForRun(created.id, created.revision.id);
    const segment = (await f.api('GET', `/v1/segments/${created.id}`)).json() as Segment;
    expect(segment.status).toBe('succeeded');
    expect(segment.criteria?.items[0]).toMatchObject({ source: 'llm', text: 'Старше 40 лет' });
    expect(model.requests).toHaveLength(1);
    expect(JSON.stringify(segment)).toContain('3050');
  });
});
