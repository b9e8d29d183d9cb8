import { BaseLlmBackend, type LlmCompletion, type LlmRequest } from '../backend';
import { LlmCallError } from '../llm-errors';
import { GigaChatClient, type GigaChatOptions } from './gigachat-client';

/**
 * GigaChat as a backend. Structured output goes through its functions API: the schema is the one
 * function's parameters and the call is forced to it; the arguments are checked with zod. A large
 * prompt is counted with `/tokens/count` first and refused when over `maxPromptTokens`.
 */
export class GigaChatBackend extends BaseLlmBackend {
  readonly name = 'gigachat';
  readonly model: string;
  readonly client: GigaChatClient;

  constructor(options: GigaChatOptions | GigaChatClient) {
    super();
    this.client = options instanceof GigaChatClient ? options : new GigaChatClient(options);
    this.model = this.client.options.model;
  }

  async complete(call: LlmRequest): Promise<LlmCompletion> {
    const limit = call.maxPromptTokens;
    // A token is at least one character: a prompt no longer than the limit in characters fits.
    if (limit !== undefined && call.system.length + call.user.length > limit) {
      const counted = (await this.client.countTokens([call.system, call.user])).reduce((a, b) => a + b, 0);
      if (counted > limit) {
        throw new LlmCallError(
          'BUDGET_EXCEEDED',
          `gigachat: the prompt is ${counted} tokens, more than the ${limit} left in the run's budget`,
        );
      }
    }
    const response = await this.client.chat({
      messages: [
        { role: 'system', content: call.system },
        { role: 'user', content: call.user },
      ],
      functions: [{ name: call.name, parameters: call.jsonSchema }],
      function_call: { name: call.name },
    });
    const choice = response.choices?.[0];
    const args = choice?.message.function_call?.arguments;
    if (args === undefined)
      throw new LlmCallError('LLM_BAD_OUTPUT', 'gigachat: the answer called no function');
    const raw = typeof args === 'string' ? args : JSON.stringify(args);
    return {
      usage: {
        promptTokens: response.usage?.prompt_tokens ?? 0,
        completionTokens: response.usage?.completion_tokens ?? 0,
        cachedTokens: response.usage?.precached_prompt_tokens ?? 0,
      },
      raw,
      model: response.model ?? this.model,
    };
  }
}
