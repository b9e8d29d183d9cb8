import { llmBackendFromEnv, OpenAiCompatibleBackend, type LlmBackend } from '@t2s/llm';
import { EndpointRouter } from '@t2s/inference-pool';

export class PoolConfigError extends Error {}

export interface PoolConfig {
  redisUrl: string;
  prefix: string | undefined;
  backend: LlmBackend;
  /** Global concurrency of the llm queue: GPUs times the calls each serves at once. */
  slots: number;
  metricsPort: number;
}

const positive = (env: NodeJS.ProcessEnv, name: string, fallback: number): number => {
  const raw = env[name];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new PoolConfigError(`${name} must be a positive integer`);
  return value;
};

/**
 * The pool's settings:
 * - `LLM_ENDPOINTS`: comma-separated OpenAI-compatible base URLs, one vLLM replica per GPU (or one
 *   tensor-parallel server), with `LLM_MODEL` and `LLM_API_KEY`; else one backend as
 *   `llmBackendFromEnv` builds it (`LLM_BASE_URL`, `GIGACHAT_*`, `LLM_CASSETTES`);
 * - `LLM_SLOTS`, else `LLM_GPUS` (4) times `LLM_SLOTS_PER_GPU` (8);
 * - `LLM_TIMEOUT_MS` per call, `REDIS_URL`, `QUEUE_PREFIX`, `METRICS_PORT` (9465; workers use 9464).
 */
export function loadPoolConfig(env: NodeJS.ProcessEnv = process.env): PoolConfig {
  const timeoutMs = positive(env, 'LLM_TIMEOUT_MS', 120_000);
  let backend: LlmBackend;
  const endpoints = (env['LLM_ENDPOINTS'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (endpoints.length > 0) {
    const model = env['LLM_MODEL'];
    if (!model) throw new PoolConfigError('LLM_MODEL must name the model the LLM_ENDPOINTS serve');
    backend = new EndpointRouter(
      endpoints.map(
        (baseUrl) =>
          new OpenAiCompatibleBackend({
            baseUrl,
            model,
            timeoutMs,
            ...(env['LLM_API_KEY'] ? { apiKey: env['LLM_API_KEY'] } : {}),
          }),
      ),
    );
  } else {
    const single = llmBackendFromEnv(env);
    if ('error' in single) throw new PoolConfigError(single.error);
    backend = single;
  }
  const slots = env['LLM_SLOTS']
    ? positive(env, 'LLM_SLOTS', 1)
    : positive(env, 'LLM_GPUS', 4) * positive(env, 'LLM_SLOTS_PER_GPU', 8);
  return {
    redisUrl: env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    prefix: env['QUEUE_PREFIX'],
    backend,
    slots,
    metricsPort: positive(env, 'METRICS_PORT', 9465),
  };
}
