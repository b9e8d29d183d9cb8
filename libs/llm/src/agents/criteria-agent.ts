import { offerText } from '@t2s/baseline';
import type { Offer } from '@t2s/contracts';
import { renderLinkedSchema, type SchemaLinker } from '@t2s/linking';
import { exprSchema, type CriteriaCompiler, type Expr, type SemanticModel } from '@t2s/semantic';
import { z } from 'zod';
import type { LlmBackend, LlmUsage } from '../backend';
import { attributesSummary } from './model-summary';
import { dataBlock, fill, type PromptFile } from './prompt-file';

export const llmCriteriaSchema = z.object({
  criteria: z.array(
    z.object({
      kind: z.enum(['include', 'exclude']),
      /** Readable, in the offer's language: what a marketer reviews and edits. */
      text: z.string().min(1),
      /** Null when the representation cannot say it: the SQL agent writes it from the schema. */
      expr: exprSchema.nullable(),
    }),
  ),
  /** Parts of a marketer's text the model could not express, word for word. */
  unparsed: z.array(z.string()).default([]),
});
export type LlmCriteria = z.infer<typeof llmCriteriaSchema>;

export interface CriteriaAgentResult {
  criteria: { kind: 'include' | 'exclude'; text: string; expr: Expr | null }[];
  unparsed: string[];
  usage: LlmUsage[];
  prompt: string;
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

  async run(input: { offer: Offer } | { text: string }): Promise<CriteriaAgentResult> {
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
    const user = fill(this.prompt.user, values);
    const usage: LlmUsage[] = [];
    const ask = async (extra: string) => {
      const answer = await this.backend.structured({
        name: 'segment_criteria',
        system: this.prompt.system,
        user: extra ? `${user}\n\n${extra}` : user,
        schema: llmCriteriaSchema,
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
    return { criteria: checked.ok, unparsed, usage, prompt: this.prompt.id };
  }

  private check(answer: LlmCriteria) {
    const ok: CriteriaAgentResult['criteria'] = [];
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
