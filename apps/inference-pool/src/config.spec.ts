import { EndpointRouter } from '@t2s/inference-pool';
import { GigaChatBackend } from '@t2s/llm';
import { loadPoolConfig, PoolConfigError } from './config';

describe('loadPoolConfig', () => {
  it('routes over one endpoint per GPU with 4 x 8 slots by default', () => {
    const config = loadPoolConfig({
      LLM_ENDPOINTS:
        'http://vllm-0:8000/v1, http://vllm-1:8000/v1,http://vllm-2:8000/v1,http://vllm-3:8000/v1',
      LLM_MODEL: 'Qwen/Qwen2.5-72B-Instruct-AWQ',
    });
    expect(config.backend).toBeInstanceOf(EndpointRouter);
    expect((config.backend as EndpointRouter).inFlight()).toEqual([0, 0, 0, 0]);
    expect(config.slots).toBe(32);
    expect(config.metricsPort).toBe(9465);
  });

  it('takes GigaChat from its variables and slots as given', () => {
    const config = loadPoolConfig({ GIGACHAT_CREDENTIALS: 'a2V5', LLM_SLOTS: '10' });
    expect(config.backend).toBeInstanceOf(GigaChatBackend);
    expect(config.slots).toBe(10);
  });

  it('refuses settings it cannot use, with the variable named', () => {
    expect(() => loadPoolConfig({})).toThrow(PoolConfigError);
    expect(() => loadPoolConfig({ LLM_ENDPOINTS: 'http://x/v1' })).toThrow(/LLM_MODEL/);
    expect(() => loadPoolConfig({ LLM_ENDPOINTS: 'http://x/v1', LLM_MODEL: 'm', LLM_GPUS: '0' })).toThrow(
      /LLM_GPUS/,
    );
  });
});
