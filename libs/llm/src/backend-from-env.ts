import type { LlmBackend } from './backend';
import { CassetteBackend, type CassetteMode } from './cassette-backend';
import { GigaChatBackend } from './gigachat/gigachat-backend';
import { OpenAiCompatibleBackend } from './openai-backend';

const DEFAULT_TIMEOUT_MS = 120_000;

/**
 * The LLM backend the environment configures, or why it cannot be built (a one-line reason):
 *
 * - `LLM_BASE_URL` (+ `LLM_MODEL`, `LLM_API_KEY`): an OpenAI-compatible server such as vLLM;
 * - `GIGACHAT_CREDENTIALS` (+ `GIGACHAT_SCOPE`, `GIGACHAT_MODEL`, `GIGACHAT_AUTH_URL`,
 *   `GIGACHAT_BASE_URL`, `GIGACHAT_CA_BUNDLE_FILE`): GigaChat;
 * - `LLM_CASSETTES=dir` wraps either in record/replay (`LLM_CASSETTE_MODE` replay, record or auto;
 *   replay alone needs no model at all).
 *
 * `LLM_TIMEOUT_MS` bounds each call (default 120 s).
 */
export function llmBackendFromEnv(env: NodeJS.ProcessEnv): LlmBackend | { error: string } {
  const timeoutMs = Number(env['LLM_TIMEOUT_MS'] ?? DEFAULT_TIMEOUT_MS);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0)
    return { error: 'LLM_TIMEOUT_MS must be a positive integer' };
  let backend: LlmBackend | undefined;
  if (env['LLM_BASE_URL']) {
    const model = env['LLM_MODEL'];
    if (!model) return { error: 'LLM_MODEL must name the model served at LLM_BASE_URL' };
    backend = new OpenAiCompatibleBackend({
      baseUrl: env['LLM_BASE_URL'],
      model,
      timeoutMs,
      ...(env['LLM_API_KEY'] ? { apiKey: env['LLM_API_KEY'] } : {}),
    });
  } else if (env['GIGACHAT_CREDENTIALS']) {
    backend = new GigaChatBackend({
      authUrl: env['GIGACHAT_AUTH_URL'] ?? 'https://ngw.devices.sberbank.ru:9443/api/v2/oauth',
      baseUrl: env['GIGACHAT_BASE_URL'] ?? 'https://gigachat.devices.sberbank.ru/api/v1',
      credentials: env['GIGACHAT_CREDENTIALS'],
      scope: env['GIGACHAT_SCOPE'] ?? 'GIGACHAT_API_CORP',
      model: env['GIGACHAT_MODEL'] ?? 'GigaChat-2-Max',
      timeoutMs,
      ...(env['GIGACHAT_CA_BUNDLE_FILE'] ? { caFile: env['GIGACHAT_CA_BUNDLE_FILE'] } : {}),
    });
  }
  const cassettes = env['LLM_CASSETTES'];
  if (cassettes) {
    const mode = (env['LLM_CASSETTE_MODE'] ?? (backend ? 'auto' : 'replay')) as CassetteMode;
    if (!['record', 'replay', 'auto'].includes(mode))
      return { error: 'LLM_CASSETTE_MODE is record, replay or auto' };
    if (mode !== 'replay' && !backend)
      return { error: `LLM_CASSETTE_MODE=${mode} needs LLM_BASE_URL or GIGACHAT_CREDENTIALS` };
    return new CassetteBackend(cassettes, mode, backend);
  }
  return (
    backend ?? {
      error:
        'no LLM configured: set LLM_BASE_URL and LLM_MODEL (vLLM), GIGACHAT_CREDENTIALS (GigaChat) or LLM_CASSETTES (replay)',
    }
  );
}
