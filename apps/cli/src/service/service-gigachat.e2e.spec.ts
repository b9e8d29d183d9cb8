// The llm strategy on GigaChat through the whole service (gateway, queues, worker processes), against a
// stand-in of GigaChat's protocol: OAuth token, chat with functions, token count.
import type { Segment } from '@t2s/contracts';
import { startGigaChatStandIn, type GigaChatStandIn } from '@t2s/llm/testing';
import { openServiceFixture, type ServiceFixture } from './testing/service-fixture';

jest.setTimeout(180_000);

describe('the llm strategy on GigaChat through the service', () => {
  let f: ServiceFixture;
  let giga: GigaChatStandIn;

  beforeAll(async () => {
    giga = await startGigaChatStandIn();
    f = await openServiceFixture(300, {
      GIGACHAT_CREDENTIALS: giga.credentials,
      GIGACHAT_AUTH_URL: giga.authUrl,
      GIGACHAT_BASE_URL: giga.baseUrl,
      GIGACHAT_SCOPE: 'GIGACHAT_API_CORP',
      LLM_TIMEOUT_MS: '10000',
      // Room for one criteria call with its longest answer, not for a second one after a large first.
      LLM_RUN_BUDGET: '12000',
    });
  }, 240_000);
  afterAll(async () => {
    await f?.close();
    await giga?.close();
  });

  const runLlmSegment = async (): Promise<Segment> => {
    const response = await f.api('POST', '/v1/segments', {
      body: f.request({ options: { ...f.request().options, strategy: 'llm' } }),
    });
    expect(response.status).toBe(202);
    const created = response.json() as { id: string; revision: { id: string } };
    await f.receiver.waitForRun(created.id, created.revision.id);
    return (await f.api('GET', `/v1/segments/${created.id}`)).json() as Segment;
  };

  const youngAnswer = {
    functionArguments: {
      criteria: [
        {
          kind: 'include',
          text: 'Моложе 30 лет',
          expr: { type: 'attr', attr: 'age', cmp: { op: 'lt', value: 30 } },
        },
      ],
      unparsed: [],
    },
    usage: { prompt_tokens: 1_000, completion_tokens: 50 },
  };

  it('gets a token once, forces the criteria function and runs its answer', async () => {
    giga.reply({
      ...youngAnswer,
      usage: { prompt_tokens: 5_000, completion_tokens: 80, precached_prompt_tokens: 3_000 },
    });
    const segment = await runLlmSegment();
    expect(segment.status).toBe('succeeded');
    expect(segment.criteria?.items[0]).toMatchObject({ source: 'llm', text: 'Моложе 30 лет' });
    expect(giga.tokenRequests).toHaveLength(1);
    expect(giga.chats[0]).toMatchObject({ function_call: { name: 'segment_criteria' } });
    // Billed: the prompt tokens not served from cache, plus the answer.
    expect(JSON.stringify(segment)).toContain('2080');
  });

  it('takes a new token when the server refuses the cached one (401), and before one expires', async () => {
    // A token the server no longer accepts (a rotated key, its clock ahead of ours): one refresh, one retry.
    let tokensBefore = giga.tokenRequests.length;
    const chatsBefore = giga.chats.length;
    giga.revokeTokens();
    giga.reply(youngAnswer);
    expect((await runLlmSegment()).status).toBe('succeeded');
    expect(giga.tokenRequests.length).toBe(tokensBefore + 1);
    expect(giga.chats.length).toBe(chatsBefore + 1);

    // Tokens that live 30 s, inside the client's 60 s refresh margin: after the refresh the 401 forces,
    // each later call takes a fresh token rather than send one about to expire.
    tokensBefore = giga.tokenRequests.length;
    giga.expiresAt = Date.now() + 30_000;
    try {
      giga.revokeTokens();
      giga.reply(youngAnswer);
      expect((await runLlmSegment()).status).toBe('succeeded');
      expect(giga.tokenRequests.length).toBeGreaterThan(tokensBefore + 1);
    } finally {
      giga.expiresAt = null;
    }
  });

  it('stops with BUDGET_EXCEEDED before a repair call the run cannot afford', async () => {
    const invented = { kind: 'include', text: 'x', expr: { type: 'attr', attr: 'travel_affinity' } };
    giga.reply({
      functionArguments: { criteria: [invented], unparsed: [] },
      usage: { prompt_tokens: 9_000, completion_tokens: 100 },
    });
    const chatsBefore = giga.chats.length;
    const segment = await runLlmSegment();
    expect(segment).toMatchObject({
      status: 'failed',
      error: { code: 'BUDGET_EXCEEDED', stage: 'criteria' },
    });
    expect(giga.chats.length).toBe(chatsBefore + 1);
  });
});
