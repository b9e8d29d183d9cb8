// Test support for specs that call models (import as `@t2s/llm/testing`): local servers that speak the
// providers' real protocols and answer what each test scripts.
export { startGigaChatStandIn, type GigaChatScriptedReply, type GigaChatStandIn } from './gigachat-stand-in';
export { startOpenAiStandIn, type OpenAiStandIn, type ScriptedReply } from './openai-stand-in';
export { llmFailure } from './stand-in-http';
