import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import { BaseChatModel, type BaseChatModelParams } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import type { GigaChatClient, GigaChatMessage } from './gigachat-client';

/**
 * GigaChat behind @langchain/core's chat-model interface (plain text turns), over the same client as
 * the backend, so LangChain runnables and LangGraph nodes can call it with its token handling.
 */
export class ChatGigaChat extends BaseChatModel {
  constructor(
    private readonly client: GigaChatClient,
    params: BaseChatModelParams = {},
  ) {
    super(params);
  }

  _llmType(): string {
    return 'gigachat';
  }

  async _generate(
    messages: BaseMessage[],
    _options: this['ParsedCallOptions'],
    _run?: CallbackManagerForLLMRun,
  ): Promise<ChatResult> {
    const response = await this.client.chat({ messages: messages.map(toGigaChat) });
    const choice = response.choices?.[0];
    const text = choice?.message.content ?? '';
    const input = response.usage?.prompt_tokens ?? 0;
    const output = response.usage?.completion_tokens ?? 0;
    const message = new AIMessage({
      content: text,
      usage_metadata: {
        input_tokens: input,
        output_tokens: output,
        total_tokens: input + output,
        input_token_details: { cache_read: response.usage?.precached_prompt_tokens ?? 0 },
      },
    });
    return { generations: [{ text, message }] };
  }
}

function toGigaChat(message: BaseMessage): GigaChatMessage {
  const type = message.getType();
  const role = type === 'system' ? 'system' : type === 'ai' ? 'assistant' : 'user';
  return {
    role,
    content: typeof message.content === 'string' ? message.content : JSON.stringify(message.content),
  };
}
