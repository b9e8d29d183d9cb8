import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { CassetteBackend } from './cassette-backend';
import { LlmCallError } from './llm-errors';
import { OpenAiCompatibleBackend } from './openai-backend';
import { startOpenAiStandIn } from './testing';

const schema = z.object({ sql: z.string().min(1) });
const call = {
  name: 'write_sql',
  system: 'Write one SELECT.',
  user: '<criteria>Возраст от 25</criteria>',
  schema,
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 't2s-cassettes-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('CassetteBackend', () => {
  it('records a real exchange and replays it with no model behind it', async () => {
    const server = await startOpenAiStandIn();
    try {
      server.reply({ content: '{"sql":"select 1"}', usage: { prompt_tokens: 50, completion_tokens: 5 } });
      const live = new OpenAiCompatibleBackend({ baseUrl: server.url, model: 'qwen', timeoutMs: 1_000 });
      const recorded = await new CassetteBackend(dir, 'record', live).structured(call);
      expect(recorded.value).toEqual({ sql: 'select 1' });
    } finally {
      await server.close();
    }
    expect(readdirSync(dir)).toEqual([expect.stringMatching(/^write_sql-[0-9a-f]{16}\.json$/)]);
    const replayed = await new CassetteBackend(dir, 'replay').structured(call);
    expect(replayed).toMatchObject({
      value: { sql: 'select 1' },
      usage: { promptTokens: 50, completionTokens: 5 },
      model: 'qwen',
    });
  });

  it('answers LLM_UNAVAILABLE for a call it has no cassette for, and keys on the whole prompt', async () => {
    const server = await startOpenAiStandIn();
    try {
      server.reply({ content: '{"sql":"select 1"}' });
      const live = new OpenAiCompatibleBackend({ baseUrl: server.url, model: 'qwen', timeoutMs: 1_000 });
      await new CassetteBackend(dir, 'auto', live).structured(call);
    } finally {
      await server.close();
    }
    const replay = new CassetteBackend(dir, 'replay');
    await expect(
      replay.structured({ ...call, user: '<criteria>Возраст от 30</criteria>' }),
    ).rejects.toMatchObject({
      code: 'LLM_UNAVAILABLE',
    });
    await expect(
      replay.structured({ ...call, user: '<criteria>Возраст от 30</criteria>' }),
    ).rejects.toBeInstanceOf(LlmCallError);
  });

  it('keys on the schema too: a changed schema never replays a stale answer', async () => {
    const server = await startOpenAiStandIn();
    try {
      server.reply({ content: '{"sql":"select 1"}' });
      const live = new OpenAiCompatibleBackend({ baseUrl: server.url, model: 'qwen', timeoutMs: 1_000 });
      await new CassetteBackend(dir, 'record', live).structured(call);
    } finally {
      await server.close();
    }
    // Same prompt and name, stricter schema: a new key, so no stale replay.
    const stricter = { ...call, schema: z.object({ sql: z.string().min(1), explanation: z.string() }) };
    await expect(new CassetteBackend(dir, 'replay').structured(stricter)).rejects.toMatchObject({
      code: 'LLM_UNAVAILABLE',
    });
  });
});
