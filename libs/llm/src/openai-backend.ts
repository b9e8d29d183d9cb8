import { HumanMessage, SystemMessage, type AIMessage } from '@langchain/core/messages';
import { ChatOpenAI } from '@langchain/openai';
import { z } from 'zod';
import type { LlmAnswer, LlmBackend, LlmUsage, StructuredCall } from './backend';
import { classifyLlmError, LlmCallError } from './llm-errors';

export interface OpenAiCompatibleOptions {
  /** `http://vllm-0:8000/v1`: any server with OpenAI's `/chat/completions` (vLLM, TGI, OpenAI). */
  baseUrl: string;
  model: string;
  /** vLLM accepts any key unless started with `--api-key`. */
  apiKey?: string;
  /** Per call; the pool's job and the run deadline bound it from above. */
  timeoutMs: number;
  /** Most tokens of the answer (default 2,048). */
  maxTokens?: number;
}

/**
 * An OpenAI-compatible server (vLLM on the bank's A100s) behind @langchain/core's chat-model
 * interface. Structured output is asked for with `response_format: json_schema` (vLLM decodes to the
 * schema) and checked with zod all the same; usage comes from the response. Retries are not done here:
 * the inference pool retries with BullMQ's backoff and honours `Retry-After`.
 */
export class OpenAiCompatibleBackend implements LlmBackend {
  readonly name = 'openai-compatible';
  readonly model: string;
  readonly chat: ChatOpenAI;

  private readonly timeoutMs: number;

  constructor(options: OpenAiCompatibleOptions) {
    this.model = options.model;
    this.timeoutMs = options.timeoutMs;
    this.chat = new ChatOpenAI({
      model: options.model,
      apiKey: options.apiKey ?? 'EMPTY',
      temperature: 0,
      maxTokens: options.maxTokens ?? 2048,
      timeout: options.timeoutMs + 1_000,
      maxRetries: 0,
      configuration: { baseURL: options.baseUrl },
    });
  }

  async structured<T>(call: StructuredCall<T>): Promise<LlmAnswer<T>> {
    let message: AIMessage;
    // Our own timer: whatever the HTTP client makes of an abort, a call we gave up on is a timeout.
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      message = await this.chat.invoke([new SystemMessage(call.system), new HumanMessage(call.user)], {
        signal,
        response_format: {
          type: 'json_schema',
          json_schema: { name: call.name, schema: z.toJSONSchema(call.schema) as Record<string, unknown> },
        },
      });
    } catch (error) {
      if (signal.aborted)
        throw new LlmCallError('LLM_TIMEOUT', `${this.name} ${this.model}: no answer in time`);
      // The client parses a json_schema answer itself: text that is not JSON surfaces as a SyntaxError.
      if (error instanceof SyntaxError || (error as Error | undefined)?.name === 'SyntaxError') {
        throw new LlmCallError('LLM_BAD_OUTPUT', 'the answer is not JSON');
      }
      throw classifyLlmError(error, `${this.name} ${this.model}`);
    }
    const raw = typeof message.content === 'string' ? message.content : JSON.stringify(message.content);
    return { value: parseAnswer(raw, call.schema), usage: usageOf(message), raw, model: this.model };
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

function usageOf(message: AIMessage): LlmUsage {
  const usage = message.usage_metadata;
  return {
    promptTokens: usage?.input_tokens ?? 0,
    completionTokens: usage?.output_tokens ?? 0,
    cachedTokens: usage?.input_token_details?.cache_read ?? 0,
  };
}
