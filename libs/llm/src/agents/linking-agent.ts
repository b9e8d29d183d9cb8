import { renderLinkedSchema, SchemaLinker } from '@t2s/linking';
import { z } from 'zod';
import type { LlmBackend, LlmUsage } from '../backend';
import { dataBlock, fill, type PromptFile } from './prompt-file';

export const llmLinkingSchema = z.object({
  criteria: z.array(z.object({ id: z.string().min(1), columns: z.array(z.string()) })),
});

export interface LinkedCriterion {
  tables: string[];
  columns: string[];
}

const RETRIEVED = 30;

/**
 * Schema linking's LLM step: retrieval offers each criterion its best columns, the model keeps those
 * the query needs, and the keys that join them are added back. A name the model invents, or one
 * retrieval did not offer, is dropped; a criterion left with nothing keeps what retrieval found.
 */
export class LinkingAgent {
  /** The linker is the caller's, built once per catalog. */
  constructor(
    private readonly backend: LlmBackend,
    private readonly prompt: PromptFile,
    private readonly linker: SchemaLinker,
  ) {}

  async run(
    criteria: { id: string; text: string }[],
  ): Promise<{ linked: Record<string, LinkedCriterion>; dropped: string[]; usage: LlmUsage[] }> {
    const offered = new Map(criteria.map((c) => [c.id, this.linker.link(c.text, { columns: RETRIEVED })]));
    const all = [...new Set([...offered.values()].flatMap((l) => l.columns))];
    const user = fill(this.prompt.user, {
      task: 'List the columns each criterion needs.',
      criteria: dataBlock('criteria', criteria.map((c) => `${c.id}: ${c.text}`).join('\n')),
      schema: dataBlock('schema', renderLinkedSchema(this.linker.schema, all).trim()),
    });
    const answer = await this.backend.structured({
      name: 'schema_links',
      system: this.prompt.system,
      user,
      schema: llmLinkingSchema,
    });
    const chosen = new Map(answer.value.criteria.map((c) => [c.id, c.columns]));
    const linked: Record<string, LinkedCriterion> = {};
    const dropped: string[] = [];
    for (const c of criteria) {
      const retrieval = offered.get(c.id) as { tables: string[]; columns: string[] };
      const allowed = new Set(retrieval.columns);
      const picked = (chosen.get(c.id) ?? []).filter((column) => {
        if (allowed.has(column)) return true;
        dropped.push(column);
        return false;
      });
      linked[c.id] = picked.length > 0 ? this.linker.expand(picked, SchemaLinker.timed(c.text)) : retrieval;
    }
    return { linked, dropped, usage: [answer.usage] };
  }
}
