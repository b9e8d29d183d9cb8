import { SpanKind } from '@opentelemetry/api';
import { inSpan } from '@t2s/telemetry';
import { z } from 'zod';
import { dataBlock } from './agents/prompt-file';
import { LlmCallError } from './llm-errors';

/** Tokens of one call as the backend reports them; `cachedTokens` are prompt tokens served from cache. */
export interface LlmUsage {
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
}

/**
 * One call as it travels (to a backend, through the inference pool's queue, into a cassette): plain
 * JSON, the answer's structure as a JSON schema. The prompt's parts stay apart: data is never
 * instructions.
 */
export interface LlmRequest {
  /** Names the structure for the provider (a JSON-schema or function name): `[a-zA-Z0-9_-]{1,64}`. */
  name: string;
  system: string;
  user: string;
  jsonSchema: Record<string, unknown>;
  /**
   * Refuse with `BUDGET_EXCEEDED` before sending when the prompt alone would take more tokens than this
   * (what is left of the run's budget). Backends that can count exactly (GigaChat) do so for large prompts.
   */
  maxPromptTokens?: number;
}

export interface LlmCompletion {
  /** The answer's text as the model wrote it (the JSON of the structure asked for). */
  raw: string;
  usage: LlmUsage;
  model: string;
}

/** A call asking for an answer of a given zod structure. */
export interface StructuredCall<T> extends Omit<LlmRequest, 'jsonSchema'> {
  schema: z.ZodType<T>;
}

export interface LlmAnswer<T> extends LlmCompletion {
  value: T;
}

/**
 * A model behind its provider's protocol. Implementations classify every failure into an `AppError`
 * (`LLM_TIMEOUT`, `LLM_UNAVAILABLE` with a retry-after when the provider gave one, `LLM_BAD_OUTPUT`,
 * `LLM_REFUSED`).
 */
export interface LlmBackend {
  readonly name: string;
  readonly model: string;
  complete(request: LlmRequest): Promise<LlmCompletion>;
  structured<T>(call: StructuredCall<T>): Promise<LlmAnswer<T>>;
}

/**
 * `structured` for every backend: the zod schema as JSON schema out, the answer through zod back. An
 * answer that is not JSON of the structure is asked again once, told what was wrong (without echoing
 * the answer); a second such answer fails with LLM_BAD_OUTPUT. Both calls go through `complete`, so a
 * budgeted backend charges both.
 */
export abstract class BaseLlmBackend implements LlmBackend {
  abstract readonly name: string;
  abstract readonly model: string;
  abstract complete(request: LlmRequest): Promise<LlmCompletion>;

  async structured<T>(call: StructuredCall<T>): Promise<LlmAnswer<T>> {
    const { schema, ...rest } = call;
    const request = { ...rest, jsonSchema: z.toJSONSchema(schema) as Record<string, unknown> };
    try {
      return await this.answer(request, schema);
    } catch (error) {
      if (!(error instanceof LlmCallError) || error.code !== 'LLM_BAD_OUTPUT') throw error;
      const told = dataBlock(
        'format_error',
        `Your previous answer was refused: ${error.message}. Answer again with only the JSON of the structure asked for.`,
      );
      return this.answer({ ...request, user: `${request.user}\n\n${told}` }, schema);
    }
  }

  private async answer<T>(request: LlmRequest, schema: z.ZodType<T>): Promise<LlmAnswer<T>> {
    const completion = await completeInSpan(this, request);
    return { ...completion, value: parseAnswer(completion.raw, schema) };
  }
}

/**
 * One call to the model in a span of its own, with its model and token counts; no prompt or answer text
 * on it (they hold client data). The in-process path and the inference pool both call through here.
 */
export function completeInSpan(
  backend: Pick<LlmBackend, 'name' | 'model' | 'complete'>,
  request: LlmRequest,
): Promise<LlmCompletion> {
  const attributes = {
    'gen_ai.system': backend.name,
    'gen_ai.request.model': backend.model,
    't2s.llm.call': request.name,
  };
  return inSpan(
    'llm.call',
    attributes,
    async (span) => {
      const completion = await backend.complete(request);
      span.setAttributes({
        'gen_ai.usage.input_tokens': completion.usage.promptTokens,
        'gen_ai.usage.output_tokens': completion.usage.completionTokens,
      });
      return completion;
    },
    SpanKind.CLIENT,
  );
}

/** The answer's JSON checked against the schema; the zod issues name what was wrong, for a re-ask. */
export function parseAnswer<T>(raw: string, schema: z.ZodType<T>): T {
  let json: unknown;
  try {
    json = JSON.parse(stripFence(raw));
  } catch {
    throw new LlmCallError('LLM_BAD_OUTPUT', 'the answer is not JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new LlmCallError('LLM_BAD_OUTPUT', `the answer does not match the schema: ${issues}`);
  }
  return parsed.data;
}

function stripFence(raw: string): string {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n?```\s*$/.exec(raw);
  return fenced ? (fenced[1] as string) : raw;
}
