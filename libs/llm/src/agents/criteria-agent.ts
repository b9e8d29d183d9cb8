import { offerText } from '@t2s/baseline';
import type { CriterionProvenance, Offer } from '@t2s/contracts';
import { renderLinkedSchema, type SchemaLinker } from '@t2s/linking';
import type { Precedent } from '@t2s/precedents';
import { exprSchema, type CriteriaCompiler, type Expr, type SemanticModel } from '@t2s/semantic';
import { z } from 'zod';
import type { LlmBackend, LlmUsage } from '../backend';
import { attributesSummary } from './model-summary';
import { fitPrecedents, provenanceOf } from './precedent-examples';
import { dataBlock, fill, type PromptFile } from './prompt-file';

const llmCriterionSchema = z.object({
  kind: z.enum(['include', 'exclude']),
  /** Readable, in the offer's language: what a marketer reviews and edits. */
  text: z.string().min(1),
  /** Null when the representation cannot say it: the SQL agent writes it from the schema. */
  expr: exprSchema.nullable(),
});

/** Parts of a marketer's text the model could not express, word for word. */
const unparsedSchema = z.array(z.string()).default([]);

export const llmCriteriaSchema = z.object({
  criteria: z.array(llmCriterionSchema),
  unparsed: unparsedSchema,
});

/** The answer when the prompt shows past campaigns: a criterion may name the one it was taken from. */
export const llmPrecedentCriteriaSchema = z.object({
  criteria: z.array(
    llmCriterionSchema.extend({
      campaign: z
        .string()
        .nullable()
        .optional()
        .describe('The name of the <precedents> campaign this criterion is taken from, exactly as shown'),
    }),
  ),
  unparsed: unparsedSchema,
});
export type LlmCriteria = z.infer<typeof llmPrecedentCriteriaSchema>;

export interface CriteriaAgentResult {
  criteria: {
    kind: 'include' | 'exclude';
    text: string;
    expr: Expr | null;
    /** The campaign shown as an example that the model says the criterion comes from. */
    provenance?: CriterionProvenance;
  }[];
  unparsed: string[];
  usage: LlmUsage[];
  /** The prompt file that wrote the criteria (with examples or without). */
  prompt: string;
  /** The campaigns the prompt showed, nearest first (none without precedents or room for them). */
  shown: Precedent[];
}

/** Past campaigns to show as examples, and the room for them. */
export interface PrecedentExamples {
  /** The nearest campaigns, nearest first: the farthest are dropped first when they do not fit. */
  nearest: readonly Precedent[];
  /** The prompt file that has a `{{precedents}}` block. */
  prompt: PromptFile;
  /** The most tokens the first call's prompt (system, user, answer schema) may take with them. */
  maxPromptTokens: number;
  estimate: (text: string) => Promise<number>;
}

const LINKED_COLUMNS = 30;

/**
 * The criteria agent: an offer (or a marketer's text) plus what the bank has (the semantic model's
 * attributes and the schema part retrieval links to the text) to criteria in the representation, as
 * structured output. Every criterion must compile against the catalog (R4); those that do not are
 * sent back once with the compiler's messages, and what still fails is reported as unparsed, with
 * its text, never dropped silently.
 */
export class CriteriaAgent {
  /** The linker and compiler are the caller's, built once per catalog (an index over every column). */
  constructor(
    private readonly backend: LlmBackend,
    private readonly prompt: PromptFile,
    private readonly model: SemanticModel,
    private readonly linker: SchemaLinker,
    private readonly compiler: CriteriaCompiler,
  ) {}

  /**
   * For an offer with `examples`, the criteria prompt shows the nearest campaigns that fit its token
   * room; with none (or no room), the prompt is the plain one, byte for byte.
   */
  async run(
    input: { offer: Offer } | { text: string },
    examples?: PrecedentExamples,
  ): Promise<CriteriaAgentResult> {
    const source = 'text' in input ? input.text : offerText(input.offer);
    const linked = this.linker.link(source, { columns: LINKED_COLUMNS });
    const values = {
      task:
        'text' in input
          ? "Turn the marketer's criteria text into criteria. Add nothing the text does not say."
          : 'Write the audience criteria for this offer.',
      input:
        'text' in input
          ? dataBlock('criteria_text', input.text)
          : dataBlock('offer', JSON.stringify(offerData(input.offer), null, 1)),
      attributes: dataBlock('attributes', attributesSummary(this.model)),
      schema: dataBlock('schema', renderLinkedSchema(this.linker.schema, linked.columns).trim()),
    };
    let prompt = this.prompt;
    let user = fill(prompt.user, values);
    let schema: z.ZodType<LlmCriteria> = llmCriteriaSchema;
    let shown: Precedent[] = [];
    if ('offer' in input && examples && examples.nearest.length > 0) {
      const { estimate } = examples;
      const fixed =
        (await estimate(examples.prompt.system)) +
        (await estimate(JSON.stringify(z.toJSONSchema(llmPrecedentCriteriaSchema))));
      const withText = (text: string) =>
        fill(examples.prompt.user, { ...values, precedents: dataBlock('precedents', text) });
      const fitted = await fitPrecedents(
        examples.nearest,
        examples.maxPromptTokens,
        async (text) => fixed + (await estimate(withText(text))),
      );
      if (fitted.shown.length > 0) {
        prompt = examples.prompt;
        user = withText(fitted.text);
        schema = llmPrecedentCriteriaSchema;
        shown = fitted.shown;
      }
    }
    const usage: LlmUsage[] = [];
    const ask = async (extra: string) => {
      const answer = await this.backend.structured({
        name: 'segment_criteria',
        system: prompt.system,
        user: extra ? `${user}\n\n${extra}` : user,
        schema,
      });
      usage.push(answer.usage);
      return answer.value;
    };
    let answer = await ask('');
    let checked = this.check(answer);
    if (checked.failed.length > 0) {
      // One more round, told exactly what does not exist.
      const errors = checked.failed.map((f) => `- "${f.text}": ${f.error}`).join('\n');
      answer = await ask(
        dataBlock(
          'errors',
          `These criteria name what the warehouse does not have; fix them or drop them:\n${errors}`,
        ),
      );
      checked = this.check(answer);
    }
    const unparsed = [...answer.unparsed, ...checked.failed.map((f) => f.text)];
    const criteria = checked.ok.map(({ campaign, ...criterion }) => {
      const provenance = provenanceOf(campaign, shown);
      return provenance ? { ...criterion, provenance } : criterion;
    });
    return { criteria, unparsed, usage, prompt: prompt.id, shown };
  }

  private check(answer: LlmCriteria) {
    const ok: LlmCriteria['criteria'] = [];
    const failed: { text: string; error: string }[] = [];
    for (const criterion of answer.criteria) {
      if (criterion.expr === null) {
        ok.push(criterion);
        continue;
      }
      try {
        this.compiler.expr(criterion.expr);
        ok.push(criterion);
      } catch (error) {
        // Compiling is pure: whatever it refuses (an unknown attribute, column or value type) is the model's.
        failed.push({ text: criterion.text, error: error instanceof Error ? error.message : String(error) });
      }
    }
    return { ok, failed };
  }
}

function offerData(offer: Offer) {
  return {
    product: offer.product,
    title: offer.title,
    description: offer.description,
    conditions: offer.conditions,
    channel: offer.channel,
  };
}
