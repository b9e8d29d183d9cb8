import type { LlmCompletion, LlmRequest } from '@t2s/llm';
import type { RedisConnection } from '@t2s/queue';

const TTL_SECONDS = 24 * 3600;

export type StoredAnswer =
  | { ok: true; completion: LlmCompletion }
  | { ok: false; code: string; message: string; retryAfterMs?: number };

/**
 * Where an LLM call's request and answer live while it travels: the queue's job carries only the
 * call id (prompts are large), Redis keeps both for a day under the queue's hash tag.
 */
export class LlmCallStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
  ) {}

  private key(callId: string): string {
    return `${this.prefix}:llm-call:${callId}`;
  }

  async putRequest(callId: string, request: LlmRequest): Promise<void> {
    await this.redis
      .multi()
      .hset(this.key(callId), 'request', JSON.stringify(request))
      .expire(this.key(callId), TTL_SECONDS)
      .exec();
  }

  async request(callId: string): Promise<LlmRequest | null> {
    const text = await this.redis.hget(this.key(callId), 'request');
    return text === null ? null : (JSON.parse(text) as LlmRequest);
  }

  async putAnswer(callId: string, answer: StoredAnswer): Promise<void> {
    await this.redis.hset(this.key(callId), 'answer', JSON.stringify(answer));
  }

  async answer(callId: string): Promise<StoredAnswer | null> {
    const text = await this.redis.hget(this.key(callId), 'answer');
    return text === null ? null : (JSON.parse(text) as StoredAnswer);
  }
}
