import { BaseLlmBackend, type LlmCompletion, type LlmRequest, type LlmUsage } from './backend';
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
 * the inference pool retries with BullMQ's backoff and honours `Retry-After`. LangChain and the OpenAI
 * client (about 45 MB of a process's RSS) load when a backend is made, not when @t2s/llm is imported:
 * a process without an OpenAI-compatible model never loads them, and one with it loads them at start,
 * not inside its first job (seconds of module loading there outlast a short job lock).
 */
export class OpenAiCompatibleBackend extends BaseLlmBackend {
  readonly name = 'openai-compatible';
  readonly model: string;

  private readonly timeoutMs: number;
  private readonly chat: ReturnType<typeof loadChat>;

  constructor(options: OpenAiCompatibleOptions) {
    super();
    this.model = options.model;
    this.timeoutMs = options.timeoutMs;
    this.chat = loadChat(options);
    // A failure to load surfaces on the first call, which awaits this again.
    this.chat.catch(() => undefined);
  }

  async complete(call: LlmRequest): Promise<LlmCompletion> {
    const { chat, HumanMessage, SystemMessage } = await this.chat;
    let message: Answer;
    // Our own timer: whatever the HTTP client makes of an abort, a call we gave up on is a timeout.
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      message = await chat.invoke([new SystemMessage(call.system), new HumanMessage(call.user)], {
        signal,
        response_format: {
          type: 'json_schema',
          json_schema: { name: call.name, schema: call.jsonSchema },
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
    return { usage: usageOf(message), raw, model: this.model };
  }
}

/** The chat model, and the message classes to call it with. */
async function loadChat(options: OpenAiCompatibleOptions) {
  const [{ ChatOpenAI }, { HumanMessage, SystemMessage }] = await Promise.all([
    import('@langchain/openai'),
    import('@langchain/core/messages'),
  ]);
  const chat = new ChatOpenAI({
    model: options.model,
    apiKey: options.apiKey ?? 'EMPTY',
    temperature: 0,
    maxTokens: options.maxTokens ?? 2048,
    timeout: options.timeoutMs + 1_000,
    maxRetries: 0,
    configuration: { baseURL: options.baseUrl },
  });
  return { chat, HumanMessage, SystemMessage };
}

type Answer = Awaited<ReturnType<Awaited<ReturnType<typeof loadChat>>['chat']['invoke']>>;

function usageOf(message: Answer): LlmUsage {
  const usage = message.usage_metadata;
  return {
    promptTokens: usage?.input_tokens ?? 0,
    completionTokens: usage?.output_tokens ?? 0,
    cachedTokens: usage?.input_token_details?.cache_read ?? 0,
  };
}
