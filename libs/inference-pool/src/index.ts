// The public API of @t2s/inference-pool: the llm queue's worker (global concurrency = GPU slots,
// rate limits, retries, metrics), the router over several OpenAI-compatible endpoints, the call
// store, and the backend the stages call the pool through (suspending the stage job while they wait).
export { EndpointRouter } from './endpoint-router';
export { LlmCallStore, type StoredAnswer } from './llm-call-store';
export { startLlmPool, type LlmPool, type LlmPoolOptions } from './llm-pool';
export { PoolMetrics } from './pool-metrics';
export { PooledLlmBackend } from './pooled-backend';
