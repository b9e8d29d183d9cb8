import { createServer, type AddressInfo, type Socket } from 'node:net';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { z } from 'zod';
import { llmFailure, startGigaChatStandIn, type GigaChatStandIn } from '../testing';
import { GigaChatBackend } from './gigachat-backend';
import { ChatGigaChat } from './gigachat-chat-model';
import { GigaChatClient } from './gigachat-client';

const schema = z.object({ tables: z.array(z.string()).min(1) });
const call = {
  name: 'link_schema',
  system: 'Pick the tables.',
  user: '<criteria>Есть ипотека</criteria>',
  schema,
};

let server: GigaChatStandIn;
let clock: number;

beforeEach(async () => {
  server = await startGigaChatStandIn();
  clock = Date.now();
});
afterEach(() => server?.close());

const clientFor = (
  s: GigaChatStandIn,
  extra: Partial<ConstructorParameters<typeof GigaChatClient>[0]> = {},
) =>
  new GigaChatClient({
    authUrl: s.authUrl,
    baseUrl: s.baseUrl,
    credentials: s.credentials,
    scope: 'GIGACHAT_API_CORP',
    model: 'GigaChat-2-Max',
    timeoutMs: 2_000,
    now: () => clock,
    ...extra,
  });

describe('GigaChat against a stand-in of its protocol', () => {
  it('forces the one function, checks its arguments with zod and counts precached tokens apart', async () => {
    server.reply({
      functionArguments: { tables: ['loan', 'client'] },
      usage: { prompt_tokens: 900, completion_tokens: 12, precached_prompt_tokens: 640 },
    });
    const answer = await new GigaChatBackend(clientFor(server)).structured(call);
    expect(answer.value).toEqual({ tables: ['loan', 'client'] });
    expect(answer.usage).toEqual({ promptTokens: 900, completionTokens: 12, cachedTokens: 640 });
    expect(server.chats[0]).toMatchObject({
      model: 'GigaChat-2-Max',
      function_call: { name: 'link_schema' },
      functions: [{ name: 'link_schema', parameters: { type: 'object' } }],
      messages: [
        { role: 'system', content: 'Pick the tables.' },
        { role: 'user', content: '<criteria>Есть ипотека</criteria>' },
      ],
    });
  });

  it('gets one token with Basic auth, a uuid4 RqUID and the scope, reuses it, and refreshes it before it expires', async () => {
    const backend = new GigaChatBackend(clientFor(server));
    server.reply({ functionArguments: { tables: ['a'] } }, { functionArguments: { tables: ['b'] } });
    await backend.structured(call);
    await backend.structured(call);
    expect(server.tokenRequests).toHaveLength(1);
    expect(server.tokenRequests[0]?.scope).toBe('GIGACHAT_API_CORP');
    clock += 29.5 * 60_000; // within the minute before the 30-minute expiry
    server.reply({ functionArguments: { tables: ['c'] } });
    await backend.structured(call);
    expect(server.tokenRequests).toHaveLength(2);
    expect(server.tokenRequests[0]?.rquid).not.toBe(server.tokenRequests[1]?.rquid);
  });

  it('on a 401 takes a fresh token once and repeats the call', async () => {
    const backend = new GigaChatBackend(clientFor(server));
    server.reply({ functionArguments: { tables: ['a'] } }, { functionArguments: { tables: ['b'] } });
    await backend.structured(call);
    server.revokeTokens();
    expect((await backend.structured(call)).value).toEqual({ tables: ['b'] });
    expect(server.tokenRequests).toHaveLength(2);
  });

  it('fails clearly when the key is wrong', async () => {
    const error = await llmFailure(
      new GigaChatBackend(clientFor(server, { credentials: 'd3Jvbmc=' })).structured(call),
    );
    expect(error.code).toBe('LLM_UNAVAILABLE');
    expect(error.message).toContain('authorization key');
  });

  it.each([
    [402, 'LLM_REFUSED', 'quota'],
    [413, 'LLM_REFUSED', 'too large'],
    [422, 'LLM_REFUSED', 'invalid'],
    [429, 'LLM_UNAVAILABLE', 'rate limited'],
    [503, 'LLM_UNAVAILABLE', 'failing'],
  ])('maps HTTP %i to %s', async (status, code, words) => {
    server.reply({ status, body: { status, message: 'provider says no' }, headers: { 'retry-after': '2' } });
    const error = await llmFailure(new GigaChatBackend(clientFor(server)).structured(call));
    expect(error.code).toBe(code);
    expect(error.message).toContain(words);
    if (status === 429) expect(error.retryAfterMs).toBe(2000);
  });

  it("refuses what the provider's content filter blocked (finish_reason: blacklist)", async () => {
    server.reply({ content: 'Не могу ответить', finishReason: 'blacklist' });
    expect((await llmFailure(new GigaChatBackend(clientFor(server)).structured(call))).code).toBe(
      'LLM_REFUSED',
    );
  });

  it('refuses arguments that do not match the schema, also when asked again, with LLM_BAD_OUTPUT', async () => {
    server.reply({ functionArguments: { tables: [] } }, { functionArguments: { tables: [] } });
    const error = await llmFailure(new GigaChatBackend(clientFor(server)).structured(call));
    expect(error.code).toBe('LLM_BAD_OUTPUT');
    expect(error.message).toContain('tables');
  });

  it('counts a large prompt first and refuses it before sending when over the budget left', async () => {
    const backend = new GigaChatBackend(clientFor(server));
    const large = { ...call, user: 'x'.repeat(8_000), maxPromptTokens: 1_000 };
    const error = await llmFailure(backend.structured(large));
    expect(error.code).toBe('BUDGET_EXCEEDED');
    expect(server.tokenCounts).toBe(1);
    expect(server.chats).toHaveLength(0);
    // A small prompt is not counted at all.
    server.reply({ functionArguments: { tables: ['a'] } });
    await backend.structured({ ...call, maxPromptTokens: 1_000 });
    expect(server.tokenCounts).toBe(1);
  });

  it('gives up after its timeout on a server that accepts and never answers', async () => {
    const sockets = new Set<Socket>();
    const mute = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => mute.listen(0, '127.0.0.1', resolve));
    const { port } = mute.address() as AddressInfo;
    try {
      const silent = clientFor(server, { authUrl: `http://127.0.0.1:${port}/api/v2/oauth`, timeoutMs: 200 });
      const error = await llmFailure(new GigaChatBackend(silent).structured(call));
      expect(error.code).toBe('LLM_TIMEOUT');
      expect(error.retryable).toBe(true);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => mute.close(() => resolve()));
    }
  });

  it("serves LangChain through @langchain/core's chat-model interface", async () => {
    server.reply({ content: 'Ипотека', usage: { prompt_tokens: 20, completion_tokens: 3 } });
    const model = new ChatGigaChat(clientFor(server));
    const message = await model.invoke([
      new SystemMessage('Answer briefly.'),
      new HumanMessage('Что за продукт?'),
    ]);
    expect(message.content).toBe('Ипотека');
    expect(message.usage_metadata).toMatchObject({ input_tokens: 20, output_tokens: 3 });
  });
});
