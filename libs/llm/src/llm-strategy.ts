import type { BaselineStrategy } from '@t2s/baseline';
import type { Catalog } from '@t2s/catalog';
import { AppError, type Criterion, type ErrorCode, type Offer } from '@t2s/contracts';
import { schemaFromCatalog, type LinkSchema } from '@t2s/linking';
import type { SemanticModel } from '@t2s/semantic';
import type { LlmBackend } from './backend';
import { CriteriaAgent } from './agents/criteria-agent';
import { loadPrompt, type PromptFile } from './agents/prompt-file';
import { BudgetedBackend, DEFAULT_RUN_BUDGET, TokenBudget } from './token-budget';

export interface LlmStrategyOptions {
  backend: LlmBackend;
  /** The deterministic parts: the rule table's standard exclusions, linking and SQL by compiling. */
  baseline: BaselineStrategy;
  /** A prompt's tokens, counted locally with a real tokenizer (for the budget check before a call). */
  estimate: (text: string) => Promise<number>;
  /** Tokens a run may spend (default 200,000). */
  budget?: number;
  promptsDir?: string;
}

/**
 * The LLM strategy, in the pipeline's strategy shape (as the baseline, without importing it): the
 * criteria agent writes criteria in the representation from an offer or a marketer's text; the
 * offer's standard exclusions come from the rule table, as policy; linking and SQL compile the
 * representation, which every kept criterion is (R4, R7: SQL the compiler wrote always runs).
 */
export class LlmStrategy {
  readonly name = 'llm';
  private readonly prompt: PromptFile;
  private readonly schemas = new WeakMap<Catalog, LinkSchema>();

  constructor(private readonly options: LlmStrategyOptions) {
    this.prompt = loadPrompt('criteria', 'v1', options.promptsDir);
  }

  readonly criteria = {
    generate: async (input: {
      offer: Offer;
      criteriaText?: string;
      catalog: Catalog;
      tokensSpent?: number;
    }) => {
      const model = this.options.baseline.modelFor(input.catalog);
      const budget = new TokenBudget(this.options.budget ?? DEFAULT_RUN_BUDGET, {
        criteria: input.tokensSpent ?? 0,
      });
      const backend = new BudgetedBackend(this.options.backend, budget, 'criteria', this.options.estimate);
      const agent = new CriteriaAgent(backend, this.prompt, model, this.linkSchema(input.catalog, model));
      const fromText = input.criteriaText !== undefined;
      const result = await agent.run(
        fromText ? { text: input.criteriaText as string } : { offer: input.offer },
      );
      if (result.criteria.length === 0) {
        // Policy alone would be nearly every client: no audience read is a failure, not a segment.
        throw new AppError(
          'CRITERIA_UNPARSED',
          `The model wrote no criterion the warehouse can answer (${result.unparsed.join('; ') || 'none'})`,
        );
      }
      const criteria: Criterion[] = result.criteria.map((c, i) => ({
        id: `c${i + 1}`,
        text: c.text,
        kind: c.kind,
        source: 'llm',
        spec: { expr: c.expr, prompt: result.prompt },
      }));
      if (!fromText) {
        // Policy, not the model's call: the offered product's holders, its age limits, the standard
        // exclusions of the channel (the rule table).
        const seen = new Set(
          criteria.map((c) => JSON.stringify([c.kind, (c.spec as { expr: unknown }).expr])),
        );
        for (const rule of this.options.baseline.policyCriteria(input.offer, input.catalog)) {
          if (seen.has(JSON.stringify([rule.kind, (rule.spec as { expr: unknown }).expr]))) continue;
          criteria.push({ ...rule, id: `c${criteria.length + 1}` });
        }
      }
      const spent = budget.spent - (input.tokensSpent ?? 0);
      return { criteria, unparsed: result.unparsed, tokens: spent };
    },
  };

  readonly linking = {
    link: (input: { criteria: Criterion[]; catalog: Catalog }) => this.options.baseline.linking.link(input),
  };

  readonly sql = {
    generate: (input: {
      criteria: Criterion[];
      catalog: Catalog;
      previousError?: { code: ErrorCode; message: string };
    }) => {
      if (input.previousError) {
        // Compiled SQL does not change on a second try; the agents that write SQL themselves repair.
        throw new AppError(
          input.previousError.code,
          `The compiled SQL cannot be repaired: ${input.previousError.message}`,
        );
      }
      return this.options.baseline.sql.generate(input);
    },
  };

  private linkSchema(catalog: Catalog, model: SemanticModel): LinkSchema {
    const known = this.schemas.get(catalog);
    if (known) return known;
    const schema = schemaFromCatalog(catalog, model.schema, model.file);
    this.schemas.set(catalog, schema);
    return schema;
  }
}

export function createLlmStrategy(options: LlmStrategyOptions): LlmStrategy {
  return new LlmStrategy(options);
}
