// Test support for specs that call models (import as `@t2s/llm/testing`).
export { startOpenAiStandIn, type OpenAiStandIn, type ScriptedReply } from './openai-stand-in';
