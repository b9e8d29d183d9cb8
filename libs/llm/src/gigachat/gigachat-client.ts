import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { LlmCallError } from '../llm-errors';
import { postJson, type JsonResponse } from './http-json';

export interface GigaChatOptions {
  /** `https://ngw.devices.sberbank.ru:9443/api/v2/oauth` */
  authUrl: string;
  /** `https://gigachat.devices.sberbank.ru/api/v1` */
  baseUrl: string;
  /** The authorization key: base64 of `client_id:client_secret`, as the developer portal shows it. */
  credentials: string;
  /** `GIGACHAT_API_PERS`, `GIGACHAT_API_B2B` or `GIGACHAT_API_CORP`. */
  scope: string;
  model: string;
  timeoutMs: number;
  /** PEM file of the CA that signs GigaChat's certificates (the Russian Trusted Root CA). */
  caFile?: string;
  /** Refresh the access token this long before it expires (default 60 s; tokens live 30 minutes). */
  refreshMarginMs?: number;
  /** The clock, for specs. */
  now?: () => number;
}

export interface GigaChatMessage {
  role: 'system' | 'user' | 'assistant' | 'function';
  content: string;
}

export interface GigaChatFunction {
  name: string;
  description?: string;
  parameters: Record<string, unknown>;
}

export interface GigaChatResponse {
  choices: {
    message: { role: string; content: string; function_call?: { name: string; arguments: unknown } };
    finish_reason: string;
  }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number; precached_prompt_tokens?: number };
  model?: string;
}

/**
 * GigaChat's REST protocol: the OAuth client-credentials token (Basic auth, a new `RqUID` per token
 * request, the configured scope), cached and refreshed before it expires, one refresh and retry on a
 * 401; chat completions with functions; `/tokens/count`. Provider errors become ours: 429 and 5xx
 * `LLM_UNAVAILABLE` (with `Retry-After`), 402, 413, 422 and the content filter `LLM_REFUSED`.
 */
export class GigaChatClient {
  private token: { value: string; expiresAt: number } | null = null;
  private pending: Promise<string> | null = null;
  private readonly ca: Buffer | undefined;
  private readonly now: () => number;

  constructor(readonly options: GigaChatOptions) {
    this.ca = options.caFile ? readFileSync(options.caFile) : undefined;
    this.now = options.now ?? Date.now;
  }

  async chat(body: {
    messages: GigaChatMessage[];
    functions?: GigaChatFunction[];
    function_call?: 'auto' | 'none' | { name: string };
    max_tokens?: number;
  }): Promise<GigaChatResponse> {
    const response = await this.authorised('/chat/completions', {
      model: this.options.model,
      temperature: 0,
      ...body,
    });
    const answer = response as GigaChatResponse;
    if (answer.choices?.[0]?.finish_reason === 'blacklist') {
      throw new LlmCallError(
        'LLM_REFUSED',
        "gigachat: the provider's content filter refused the request (blacklist)",
      );
    }
    return answer;
  }

  /** Tokens of each text as the model counts them. */
  async countTokens(texts: string[]): Promise<number[]> {
    const response = (await this.authorised('/tokens/count', {
      model: this.options.model,
      input: texts,
    })) as {
      tokens: number;
    }[];
    return response.map((item) => item.tokens);
  }

  private async authorised(path: string, body: unknown): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken();
      const response = await this.post(`${this.options.baseUrl}${path}`, {
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify(body),
      });
      if (response.status === 401 && attempt === 0) {
        this.token = null; // revoked or expired early: one fresh token, one retry
        continue;
      }
      if (response.status >= 200 && response.status < 300) return response.body;
      throw statusError(response);
    }
  }

  private accessToken(): Promise<string> {
    const margin = this.options.refreshMarginMs ?? 60_000;
    if (this.token && this.token.expiresAt - margin > this.now()) return Promise.resolve(this.token.value);
    // One token request at a time: concurrent calls wait for the same one.
    this.pending ??= this.fetchToken().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  private async fetchToken(): Promise<string> {
    const response = await this.post(this.options.authUrl, {
      headers: {
        authorization: `Basic ${this.options.credentials}`,
        rquid: randomUUID(),
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: new URLSearchParams({ scope: this.options.scope }).toString(),
    });
    const token = response.body as { access_token?: string; expires_at?: number } | null;
    if (response.status !== 200 || !token?.access_token || typeof token.expires_at !== 'number') {
      throw new LlmCallError(
        'LLM_UNAVAILABLE',
        `gigachat: no access token (HTTP ${response.status}); check the authorization key and the scope`,
      );
    }
    this.token = { value: token.access_token, expiresAt: token.expires_at };
    return token.access_token;
  }

  private async post(
    url: string,
    request: { headers: Record<string, string>; body: string },
  ): Promise<JsonResponse> {
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    try {
      return await postJson(url, { ...request, signal, ...(this.ca ? { ca: this.ca } : {}) });
    } catch (error) {
      if (signal.aborted) throw new LlmCallError('LLM_TIMEOUT', 'gigachat: no answer in time');
      const code = (error as { code?: string }).code ?? 'error';
      throw new LlmCallError('LLM_UNAVAILABLE', `gigachat: unreachable (${code})`, undefined, error);
    }
  }
}

function statusError(response: JsonResponse): LlmCallError {
  const status = response.status;
  const detail = (response.body as { message?: string } | null)?.message;
  const said = detail ? `: ${String(detail).slice(0, 200)}` : '';
  if (status === 402)
    return new LlmCallError('LLM_REFUSED', `gigachat: the token quota is exhausted (HTTP 402)${said}`);
  if (status === 413)
    return new LlmCallError('LLM_REFUSED', `gigachat: the prompt is too large (HTTP 413)${said}`);
  if (status === 422)
    return new LlmCallError('LLM_REFUSED', `gigachat: the request is invalid (HTTP 422)${said}`);
  const retryAfter = Number(response.headers['retry-after']);
  return new LlmCallError(
    'LLM_UNAVAILABLE',
    `gigachat: ${status === 429 ? 'rate limited' : status === 401 ? 'the token was refused twice' : 'failing'} (HTTP ${status})${said}`,
    Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined,
  );
}
