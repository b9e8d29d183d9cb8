// The public API of @t2s/llm: what the LLM strategy needs around the model (its answers read safely).
export { extractSql, type ExtractedSql } from './extract-sql';
