import type { BaselineStrategy } from '@t2s/baseline';
import { countTokens, type Catalog } from '@t2s/catalog';
import { AppError, type Criterion } from '@t2s/contracts';
import { schemaFromCatalog, SchemaLinker, tableOf, type LinkSchema } from '@t2s/linking';
import { nearestPrecedents } from '@t2s/precedents';
import { CriteriaCompiler, exprSchema, segmentEntity, type Expr, type SemanticModel } from '@t2s/semantic';
import type { CriteriaInput, LinkingInput, PipelineStrategy, SqlInput } from '@t2s/strategy';
import type { LlmBackend } from './backend';
import { CriteriaAgent } from './agents/criteria-agent';
import { LinkingAgent } from './agents/linking-agent';
import { loadPrompt, type PromptFile } from './agents/prompt-file';
import { pickExamples, type ExampleSource } from './agents/examples';
import { SqlAgent, type SqlPart } from './agents/sql-agent';
import { BudgetedBackend, CRITERIA_SHARE, DEFAULT_RUN_BUDGET, TokenBudget } from './token-budget';

export interface LlmStrategyOptions {
  backend: LlmBackend;
  /** The deterministic parts: the rule table's policy, linking and SQL by compiling. */
  baseline: BaselineStrategy;
  /**
   * A prompt's tokens, counted locally for the budget check before a call; default the catalog's real
   * tokenizer (o200k_base).
   */
  estimate?: (text: string) => Promise<number>;
  /** Tokens a run may spend (default 200,000). */
  budget?: number;
  promptsDir?: string;
  /**
   * Approved segments, for few-shot examples in the SQL prompt (retrieved per warehouse, ranked
   * against the criteria the agent writes); none when absent.
   */
  examples?: ExampleSource;
}

const LINKED_COLUMNS = 30;
/** Past campaigns shown to the criteria agent at most (the nearest; fewer when they do not fit). */
const PRECEDENT_EXAMPLES = 3;
/** The criteria stage's calls at most: the first and the repair round; examples leave room for both. */
const CRITERIA_CALLS = 2;

interface Bound {
  model: SemanticModel;
  schema: LinkSchema;
  linker: SchemaLinker;
  compiler: CriteriaCompiler;
}

/**
 * The LLM strategy:
 * - criteria: the criteria agent reads the offer or the marketer's text into the representation, or,
 *   where it cannot say a criterion, into a precise text; for an offer the rule table adds the policy;
 * - linking: compiled criteria name their tables; for the others retrieval offers columns and the
 *   linking agent keeps those the query needs (keys added back);
 * - SQL: compiled where the representation says it (SQL that always runs), the SQL agent for the
 *   rest; a repair round (the failed SQL and its error) goes back to the agent.
 */
export class LlmStrategy implements PipelineStrategy {
  readonly name = 'llm';
  private readonly criteriaPrompt: PromptFile;
  /** The criteria prompt with past campaigns as examples: used only when an offer has some. */
  private readonly criteriaPrecedentsPrompt: PromptFile;
  private readonly sqlPrompt: PromptFile;
  private readonly linkingPrompt: PromptFile;
  private readonly bound = new WeakMap<Catalog, Bound>();

  private readonly estimate: (text: string) => Promise<number>;

  constructor(private readonly options: LlmStrategyOptions) {
    this.estimate = options.estimate ?? (async (text) => (await countTokens(text)).tokens);
    this.criteriaPrompt = loadPrompt('criteria', 'v2', options.promptsDir);
    this.criteriaPrecedentsPrompt = loadPrompt('criteria', 'v3', options.promptsDir);
    this.sqlPrompt = loadPrompt('sql', 'v2', options.promptsDir);
    this.linkingPrompt = loadPrompt('linking', 'v1', options.promptsDir);
  }

  /**
   * Does the slow first-use work now (the catalog's linker and compiler, the tokenizer's tables): a
   * worker calls it at start so its first job does not block the event loop long enough to lose the
   * job's lock.
   */
  async prepare(catalog: Catalog): Promise<void> {
    this.bind(catalog);
    await this.estimate('');
  }

  readonly criteria = {
    // The nearest of the warehouse's precedents are the criteria prompt's examples for an offer.
    generate: async (input: CriteriaInput) => {
      const { model, linker, compiler } = this.bind(input.catalog);
      const budget = this.budget('criteria', input.tokensSpent);
      const backend = new BudgetedBackend(this.options.backend, budget, 'criteria', this.estimate);
      const agent = new CriteriaAgent(backend, this.criteriaPrompt, model, linker, compiler);
      const fromText = input.criteriaText !== undefined;
      const nearest = fromText
        ? []
        : nearestPrecedents(input.offer, input.precedents ?? [], { k: PRECEDENT_EXAMPLES }).map(
            (n) => n.precedent,
          );
      const result = await agent.run(
        fromText ? { text: input.criteriaText as string } : { offer: input.offer },
        nearest.length === 0
          ? undefined
          : {
              nearest,
              prompt: this.criteriaPrecedentsPrompt,
              maxPromptTokens: budget.promptAllowance(CRITERIA_SHARE, CRITERIA_CALLS),
              estimate: this.estimate,
            },
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
        ...(c.provenance
          ? { source: 'precedent' as const, provenance: c.provenance }
          : { source: 'llm' as const }),
        spec:
          c.expr === null ? { prompt: result.prompt, sql: 'agent' } : { expr: c.expr, prompt: result.prompt },
      }));
      if (!fromText) {
        // Policy, not the model's call: the offered product's holders, its age limits, the standard
        // exclusions of the channel (the rule table).
        const seen = new Set(criteria.map((c) => JSON.stringify([c.kind, exprOf(c)])));
        for (const rule of this.options.baseline.policyCriteria(input.offer, input.catalog)) {
          if (seen.has(JSON.stringify([rule.kind, exprOf(rule)]))) continue;
          criteria.push({ ...rule, id: `c${criteria.length + 1}` });
        }
      }
      return {
        criteria,
        unparsed: result.unparsed,
        tokens: budget.spent - (input.tokensSpent ?? 0),
        prompt: result.prompt,
      };
    },
  };

  readonly linking = {
    link: async (input: LinkingInput) => {
      const compiled = input.criteria.filter((c) => exprOf(c) !== null);
      const written = input.criteria.filter((c) => exprOf(c) === null);
      const base = compiled.length
        ? await this.options.baseline.linking.link({ criteria: compiled, catalog: input.catalog })
        : { tables: [], byCriterion: {} as Record<string, string[]>, tokens: 0 };
      const byCriterion: Record<string, string[]> = { ...base.byCriterion };
      let tokens = 0;
      let prompt: string | undefined;
      if (written.length > 0) {
        const { model, linker } = this.bind(input.catalog);
        const budget = this.budget('linking', input.tokensSpent);
        const agent = new LinkingAgent(
          new BudgetedBackend(this.options.backend, budget, 'linking', this.estimate),
          this.linkingPrompt,
          linker,
        );
        const { linked } = await agent.run(written.map((c) => ({ id: c.id, text: c.text })));
        for (const c of written)
          byCriterion[c.id] = (linked[c.id]?.tables ?? []).map((t) => `${model.schema}.${t}`).sort();
        tokens = budget.spent - (input.tokensSpent ?? 0);
        prompt = this.linkingPrompt.id;
      }
      const tables = [...new Set(Object.values(byCriterion).flat())].sort();
      return { tables, byCriterion, tokens, ...(prompt ? { prompt } : {}) };
    },
  };

  readonly sql = {
    // The tables linking kept are read per criterion (`spec.linked`); the warehouse's approved segments
    // are the examples.
    generate: async (input: Omit<SqlInput, 'linked'>) => {
      const written = input.criteria.filter((c) => exprOf(c) === null);
      if (written.length === 0) {
        if (input.previousError) {
          // Compiled SQL does not change on a second try: only SQL the agent wrote can be repaired.
          throw new AppError(
            input.previousError.code,
            `The compiled SQL cannot be repaired: ${input.previousError.message}`,
          );
        }
        return this.options.baseline.sql.generate(input);
      }
      const { model, schema, linker, compiler } = this.bind(input.catalog);
      const parts: SqlPart[] = input.criteria.map((c) => {
        const expr = exprOf(c);
        return { id: c.id, kind: c.kind, text: c.text, ...(expr ? { sql: compiler.expr(expr) } : {}) };
      });
      // What linking kept (its tables, in each criterion's spec), as the columns retrieval finds there.
      const columns = [...new Set(written.flatMap((c) => this.linkedColumns(c, linker, model.schema)))];
      const budget = this.budget('sql', input.tokensSpent);
      const agent = new SqlAgent(
        new BudgetedBackend(this.options.backend, budget, 'sql', this.estimate),
        this.sqlPrompt,
        schema,
      );
      const previous = input.previousError && {
        sql: input.previousError.sql,
        message: input.previousError.message,
      };
      const examples = await this.examplesFor(input.warehouse, written.map((c) => c.text).join('\n'), schema);
      const result = await agent.run(parts, columns, segmentEntity(model), {
        ...(previous ? { previous } : {}),
        examples,
      });
      return {
        sql: result.sql,
        perCriterion: result.perCriterion,
        tokens: budget.spent - (input.tokensSpent ?? 0),
        prompt: this.sqlPrompt.id,
      };
    },
  };

  private async examplesFor(warehouse: string | undefined, criteria: string, schema: LinkSchema) {
    if (warehouse === undefined || !this.options.examples) return [];
    return pickExamples(await this.options.examples.examples(warehouse), criteria, schema);
  }

  private linkedColumns(criterion: Criterion, linker: SchemaLinker, schemaName: string): string[] {
    const retrieved = linker.link(criterion.text, { columns: LINKED_COLUMNS });
    const linked = (criterion.spec as { linked?: unknown } | undefined)?.linked;
    if (!Array.isArray(linked)) return retrieved.columns;
    const tables = new Set(linked.map((t) => String(t).replace(`${schemaName}.`, '')));
    const kept = retrieved.columns.filter((c) => tables.has(tableOf(c)));
    return linker.expand(kept, SchemaLinker.timed(criterion.text)).columns;
  }

  private budget(stage: 'criteria' | 'linking' | 'sql', spent = 0): TokenBudget {
    return new TokenBudget(this.options.budget ?? DEFAULT_RUN_BUDGET, { [stage]: spent });
  }

  private bind(catalog: Catalog): Bound {
    const known = this.bound.get(catalog);
    if (known) return known;
    const model = this.options.baseline.modelFor(catalog);
    const schema = schemaFromCatalog(catalog, model.schema, model.file);
    const bound = { model, schema, linker: new SchemaLinker(schema), compiler: new CriteriaCompiler(model) };
    this.bound.set(catalog, bound);
    return bound;
  }
}

/** The criterion's representation, or null for one the SQL agent writes. */
function exprOf(criterion: Criterion): Expr | null {
  const parsed = exprSchema.safeParse((criterion.spec as { expr?: unknown } | undefined)?.expr);
  return parsed.success ? parsed.data : null;
}

export function createLlmStrategy(options: LlmStrategyOptions): LlmStrategy {
  return new LlmStrategy(options);
}
