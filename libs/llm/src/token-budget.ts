import type { Stage } from '@t2s/contracts';
import {
  BaseLlmBackend,
  type LlmBackend,
  type LlmCompletion,
  type LlmRequest,
  type LlmUsage,
} from './backend';
import { LlmCallError } from './llm-errors';

export const DEFAULT_RUN_BUDGET = 200_000;

/** The most an answer may take, counted against the budget before each call. */
export const MAX_ANSWER_TOKENS = 2_048;

/**
 * The share of a run's budget the criteria stage plans its prompts against (its examples from
 * precedents are cut to fit it). A quarter: today's worst criteria stage takes 13.8% of the default
 * budget, and the rest of the run (linking, SQL, their repair rounds) keeps three quarters.
 */
export const CRITERIA_SHARE = 0.25;

/** What a call costs against the budget: prompt tokens not served from cache, plus the answer's. */
export function billable(usage: LlmUsage): number {
  return Math.max(0, usage.promptTokens - usage.cachedTokens) + usage.completionTokens;
}

/**
 * A run's LLM tokens (R6): what each stage spent, and a refusal before sending any call that could take
 * the run over its limit (its prompt's estimate plus the most the answer may take).
 */
export class TokenBudget {
  private readonly byStage = new Map<Stage, number>();

  constructor(
    readonly limit: number = DEFAULT_RUN_BUDGET,
    spent: Partial<Record<Stage, number>> = {},
  ) {
    for (const [stage, tokens] of Object.entries(spent)) this.byStage.set(stage as Stage, tokens ?? 0);
  }

  get spent(): number {
    return [...this.byStage.values()].reduce((a, b) => a + b, 0);
  }

  get remaining(): number {
    return Math.max(0, this.limit - this.spent);
  }

  perStage(): Partial<Record<Stage, number>> {
    return Object.fromEntries(this.byStage);
  }

  /**
   * The prompt tokens each of a stage's `calls` may take when the stage keeps to `share` of the run's
   * limit, and to what is left of it, each answer counted at its longest.
   */
  promptAllowance(share: number, calls: number, answerTokens = MAX_ANSWER_TOKENS): number {
    const stage = Math.min(Math.floor(this.limit * share), this.remaining);
    return Math.max(0, Math.floor(stage / calls) - answerTokens);
  }

  /** Throws BUDGET_EXCEEDED when `tokens` more would pass the limit. */
  reserve(tokens: number, what: string): void {
    if (this.spent + tokens > this.limit) {
      throw new LlmCallError(
        'BUDGET_EXCEEDED',
        `${what} could take ${tokens} tokens; the run has ${this.remaining} of its ${this.limit} left`,
      );
    }
  }

  charge(stage: Stage, usage: LlmUsage): void {
    this.byStage.set(stage, (this.byStage.get(stage) ?? 0) + billable(usage));
  }
}

/**
 * A backend whose every call is checked against the run's budget before it is sent and charged to the
 * stage after. `estimate` counts a prompt's tokens locally (a real tokenizer); the backend may count
 * exactly too (GigaChat's `/tokens/count`) through `maxPromptTokens`.
 */
export class BudgetedBackend extends BaseLlmBackend {
  readonly name: string;
  readonly model: string;

  constructor(
    private readonly inner: LlmBackend,
    private readonly budget: TokenBudget,
    private readonly stage: Stage,
    private readonly estimate: (text: string) => Promise<number>,
    private readonly maxAnswerTokens = MAX_ANSWER_TOKENS,
  ) {
    super();
    this.name = inner.name;
    this.model = inner.model;
  }

  async complete(call: LlmRequest): Promise<LlmCompletion> {
    const prompt = (await this.estimate(call.system)) + (await this.estimate(call.user));
    this.budget.reserve(prompt + this.maxAnswerTokens, `the ${call.name} call`);
    const answer = await this.inner.complete({
      ...call,
      maxPromptTokens: Math.min(
        call.maxPromptTokens ?? Infinity,
        this.budget.remaining - this.maxAnswerTokens,
      ),
    });
    this.budget.charge(this.stage, answer.usage);
    return answer;
  }
}
