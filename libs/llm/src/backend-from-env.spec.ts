import { llmBackendFromEnv } from './backend-from-env';
import { CassetteBackend } from './cassette-backend';
import { GigaChatBackend } from './gigachat/gigachat-backend';
import { OpenAiCompatibleBackend } from './openai-backend';

describe('llmBackendFromEnv', () => {
  it('builds vLLM, GigaChat or replay from the environment', () => {
    expect(
      llmBackendFromEnv({ LLM_BASE_URL: 'http://vllm:8000/v1', LLM_MODEL: 'Qwen/Qwen2.5-72B-Instruct' }),
    ).toBeInstanceOf(OpenAiCompatibleBackend);
    const giga = llmBackendFromEnv({ GIGACHAT_CREDENTIALS: 'a2V5', GIGACHAT_SCOPE: 'GIGACHAT_API_PERS' });
    expect(giga).toBeInstanceOf(GigaChatBackend);
    expect((giga as GigaChatBackend).client.options).toMatchObject({
      scope: 'GIGACHAT_API_PERS',
      model: 'GigaChat-2-Max',
    });
    expect(llmBackendFromEnv({ LLM_CASSETTES: 'eval/cassettes' })).toBeInstanceOf(CassetteBackend);
  });

  it('says what is missing instead of failing later', () => {
    expect(llmBackendFromEnv({})).toEqual({ error: expect.stringContaining('no LLM configured') });
    expect(llmBackendFromEnv({ LLM_BASE_URL: 'http://vllm:8000/v1' })).toEqual({
      error: expect.stringContaining('LLM_MODEL'),
    });
    expect(llmBackendFromEnv({ LLM_CASSETTES: 'x', LLM_CASSETTE_MODE: 'record' })).toEqual({
      error: expect.stringContaining('needs LLM_BASE_URL'),
    });
    expect(llmBackendFromEnv({ LLM_BASE_URL: 'u', LLM_MODEL: 'm', LLM_TIMEOUT_MS: 'soon' })).toEqual({
      error: expect.stringContaining('LLM_TIMEOUT_MS'),
    });
  });
});
