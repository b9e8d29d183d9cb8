import type { z } from 'zod';

/** Tokens of one call as the backend reports them; `cachedTokens` are prompt tokens served from cache. */
export interface LlmUsage {
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
}

/** One call asking for an answer of a given structure (the prompt's parts kept apart: data is never instructions). */
export interface StructuredCall<T> {
  /** Names the structure for the provider (a JSON-schema or function name): `[a-zA-Z0-9_-]{1,64}`. */
  name: string;
  system: string;
  user: string;
  schema: z.ZodType<T>;
  /**
   * Refuse with `BUDGET_EXCEEDED` before sending when the prompt alone would take more tokens than this
   * (what is left of the run's budget). Backends that can count exactly (GigaChat) do so for large prompts.
   */
  maxPromptTokens?: number;
}

export interface LlmAnswer<T> {
  value: T;
  usage: LlmUsage;
  /** The answer's text as the model wrote it, for the record/replay cassettes and for audits. */
  raw: string;
  model: string;
}

/**
 * A model behind its provider's protocol. Implementations classify every failure into an `AppError`
 * (`LLM_TIMEOUT`, `LLM_UNAVAILABLE` with a retry-after when the provider gave one, `LLM_BAD_OUTPUT`).
 */
export interface LlmBackend {
  readonly name: string;
  readonly model: string;
  structured<T>(call: StructuredCall<T>): Promise<LlmAnswer<T>>;
}
