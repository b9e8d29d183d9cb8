// The public API of @t2s/llm: what the LLM strategy needs around the model: backends behind
// @langchain/core's chat-model interface, their errors as ours, and model answers read safely.
export {
  BaseLlmBackend,
  completeInSpan,
  parseAnswer,
  type LlmAnswer,
  type LlmBackend,
  type LlmCompletion,
  type LlmRequest,
  type LlmUsage,
  type StructuredCall,
} from './backend';
export { extractSql, type ExtractedSql } from './extract-sql';
export { classifyLlmError, LlmCallError } from './llm-errors';
export { OpenAiCompatibleBackend, type OpenAiCompatibleOptions } from './openai-backend';
export { GigaChatBackend } from './gigachat/gigachat-backend';
export { GigaChatClient, type GigaChatOptions } from './gigachat/gigachat-client';
export { CassetteBackend, type CassetteMode } from './cassette-backend';
export {
  BudgetedBackend,
  billable,
  CRITERIA_SHARE,
  DEFAULT_RUN_BUDGET,
  MAX_ANSWER_TOKENS,
  TokenBudget,
} from './token-budget';
export {
  CriteriaAgent,
  llmCriteriaSchema,
  llmPrecedentCriteriaSchema,
  type CriteriaAgentResult,
  type PrecedentExamples,
} from './agents/criteria-agent';
export { fitPrecedents, renderPrecedents, type FittedPrecedents } from './agents/precedent-examples';
export { dataBlock, fill, loadPrompt, type PromptFile } from './agents/prompt-file';
export { pickExamples, renderExamples, type ExampleSource, type SqlExample } from './agents/examples';
export { createLlmStrategy, LlmStrategy, type LlmStrategyOptions } from './llm-strategy';
export { llmBackendFromEnv } from './backend-from-env';
