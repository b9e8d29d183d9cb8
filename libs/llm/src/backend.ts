import { z } from 'zod';
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

/** `structured` for every backend: the zod schema as JSON schema out, the answer through zod back. */
export abstract class BaseLlmBackend implements LlmBackend {
  abstract readonly name: string;
  abstract readonly model: string;
  abstract complete(request: LlmRequest): Promise<LlmCompletion>;

  async structured<T>(call: StructuredCall<T>): Promise<LlmAnswer<T>> {
    const { schema, ...rest } = call;
    const completion = await this.complete({
      ...rest,
      jsonSchema: z.toJSONSchema(schema) as Record<string, unknown>,
    });
    return { ...completion, value: parseAnswer(completion.raw, schema) };
  }
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
