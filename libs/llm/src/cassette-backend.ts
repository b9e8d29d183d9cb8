import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  BaseLlmBackend,
  type LlmBackend,
  type LlmCompletion,
  type LlmRequest,
  type LlmUsage,
} from './backend';
import { LlmCallError } from './llm-errors';

export type CassetteMode = 'record' | 'replay' | 'auto';

interface Cassette {
  call: { name: string; system: string; user: string; schema: unknown };
  answer: { raw: string; usage: LlmUsage; model: string };
  backend: string;
  recordedAt: string;
}

/**
 * Record/replay: real exchanges with a model kept as cassette files (one JSON per distinct call: the
 * structure's name, the prompt and the schema), replayed for tests and for demos without a model.
 * `replay` never calls the model (a call with no cassette is `LLM_UNAVAILABLE`); `record` always calls
 * and rewrites; `auto` replays what it has and records the rest. The schema is part of the key, and a
 * replayed answer goes through zod again (refinements a JSON schema cannot show), so no stale answer passes.
 */
export class CassetteBackend extends BaseLlmBackend {
  readonly name: string;
  readonly model: string;

  constructor(
    private readonly dir: string,
    private readonly mode: CassetteMode,
    private readonly inner?: LlmBackend,
  ) {
    super();
    if (mode !== 'replay' && !inner)
      throw new Error(`CassetteBackend: mode ${mode} needs a backend to record from`);
    this.name = `cassette(${inner?.name ?? 'replay'})`;
    this.model = inner?.model ?? 'replay';
  }

  async complete(call: LlmRequest): Promise<LlmCompletion> {
    const schema = call.jsonSchema;
    const key = createHash('sha256')
      .update(JSON.stringify([call.name, call.system, call.user, schema]))
      .digest('hex')
      .slice(0, 16);
    const file = join(this.dir, `${call.name}-${key}.json`);
    if (this.mode !== 'record' && existsSync(file)) {
      const cassette = JSON.parse(readFileSync(file, 'utf8')) as Cassette;
      const { raw, usage, model } = cassette.answer;
      return { usage, raw, model };
    }
    if (this.mode === 'replay' || !this.inner) {
      throw new LlmCallError('LLM_UNAVAILABLE', `replay: no cassette for this ${call.name} call (${file})`);
    }
    const answer = await this.inner.complete(call);
    const cassette: Cassette = {
      call: { name: call.name, system: call.system, user: call.user, schema },
      answer: { raw: answer.raw, usage: answer.usage, model: answer.model },
      backend: this.inner.name,
      recordedAt: new Date().toISOString(),
    };
    mkdirSync(this.dir, { recursive: true });
    // Written whole or not at all: a crash mid-write leaves no half cassette to replay.
    writeFileSync(`${file}.tmp`, `${JSON.stringify(cassette, null, 2)}\n`);
    renameSync(`${file}.tmp`, file);
    return answer;
  }
}
