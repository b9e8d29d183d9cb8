import { z } from 'zod';
import { OpenAiCompatibleBackend } from './openai-backend';
import { llmFailure, startOpenAiStandIn, type OpenAiStandIn } from './testing';

const criteriaSchema = z.object({
  criteria: z.array(z.object({ kind: z.enum(['include', 'exclude']), text: z.string().min(1) })).min(1),
});
const call = {
  name: 'criteria',
  system: 'You write audience criteria.',
  user: '<offer>Кредитная карта для путешествий</offer>',
  schema: criteriaSchema,
};

let server: OpenAiStandIn;
let backend: OpenAiCompatibleBackend;

beforeAll(async () => {
  server = await startOpenAiStandIn();
  backend = new OpenAiCompatibleBackend({
    baseUrl: server.url,
    model: 'qwen2.5-72b-instruct',
    timeoutMs: 1_000,
  });
});
afterAll(() => server?.close());

describe('OpenAiCompatibleBackend against an OpenAI-compatible stand-in', () => {
  it('asks for the JSON schema, reads the answer through zod and counts the tokens', async () => {
    const answer = { criteria: [{ kind: 'include', text: 'Траты на путешествия за 12 месяцев' }] };
    server.reply({
      content: JSON.stringify(answer),
      usage: { prompt_tokens: 1200, completion_tokens: 40, prompt_tokens_details: { cached_tokens: 1000 } },
    });
    const result = await backend.structured(call);
    expect(result.value).toEqual(answer);
    expect(result.usage).toEqual({ promptTokens: 1200, completionTokens: 40, cachedTokens: 1000 });
    const request = server.requests.at(-1) as {
      model: string;
      messages: { role: string; content: string }[];
      response_format: { type: string; json_schema: { name: string; schema: { type: string } } };
    };
    expect(request.model).toBe('qwen2.5-72b-instruct');
    expect(request.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(request.response_format.type).toBe('json_schema');
    expect(request.response_format.json_schema).toMatchObject({
      name: 'criteria',
      schema: { type: 'object' },
    });
  });

  it('refuses an answer that is not JSON, or not the schema, twice with LLM_BAD_OUTPUT naming what is wrong', async () => {
    const notJson = { content: 'Sure! Here are the criteria: travellers.' };
    server.reply(notJson, notJson);
    expect((await llmFailure(backend.structured(call))).code).toBe('LLM_BAD_OUTPUT');
    const offSchema = { content: JSON.stringify({ criteria: [{ kind: 'maybe', text: 'x' }] }) };
    server.reply(offSchema, offSchema);
    const wrong = await llmFailure(backend.structured(call));
    expect(wrong.code).toBe('LLM_BAD_OUTPUT');
    expect(wrong.message).toContain('criteria.0.kind');
  });

  it('asks once more, told what was wrong, when an answer is not the structure asked for', async () => {
    server.requests.length = 0;
    const good = { criteria: [{ kind: 'include', text: 'x' }] };
    server.reply(
      { content: JSON.stringify({ criteria: [{ kind: 'maybe', text: 'x' }] }) },
      { content: JSON.stringify(good) },
    );
    expect((await backend.structured(call)).value).toEqual(good);
    const user = (i: number) =>
      (server.requests[i] as { messages: { content: string }[] }).messages[1]?.content ?? '';
    expect(user(0)).not.toContain('<format_error>');
    expect(user(1)).toContain('<format_error>');
    expect(user(1)).toContain('criteria.0.kind');
  });

  it('turns a 429 into a retryable LLM_UNAVAILABLE with the Retry-After', async () => {
    server.reply({
      status: 429,
      headers: { 'retry-after': '3' },
      body: { error: { message: 'too many requests' } },
    });
    const error = await llmFailure(backend.structured(call));
    expect(error).toMatchObject({ code: 'LLM_UNAVAILABLE', retryAfterMs: 3000 });
    expect(error.retryable).toBe(true);
  });

  it('turns a 503 from an overloaded server into LLM_UNAVAILABLE', async () => {
    server.reply({ status: 503, body: { error: { message: 'overloaded' } } });
    expect((await llmFailure(backend.structured(call))).code).toBe('LLM_UNAVAILABLE');
  });

  it('gives up after its timeout with LLM_TIMEOUT', async () => {
    server.reply({ delayMs: 5_000, content: '{}' });
    const error = await llmFailure(backend.structured(call));
    expect(error.code).toBe('LLM_TIMEOUT');
    expect(error.retryable).toBe(true);
  });

  it('reports an unreachable server as LLM_UNAVAILABLE', async () => {
    const nowhere = new OpenAiCompatibleBackend({
      baseUrl: 'http://127.0.0.1:9/v1',
      model: 'm',
      timeoutMs: 1_000,
    });
    expect((await llmFailure(nowhere.structured(call))).code).toBe('LLM_UNAVAILABLE');
  });
});
