import type { LinkSchema } from '@t2s/linking';
import { renderLinkedSchema } from '@t2s/linking';
import { segmentSql, type SegmentEntity } from '@t2s/semantic';
import { z } from 'zod';
import type { LlmBackend, LlmUsage } from '../backend';
import { extractSql } from '../extract-sql';
import { LlmCallError } from '../llm-errors';
import { renderExamples, type SqlExample } from './examples';
import { dataBlock, fill, type PromptFile } from './prompt-file';

export const llmSqlSchema = z.object({
  criteria: z.array(z.object({ id: z.string().min(1), sql: z.string().min(1) })),
});

export interface SqlPart {
  id: string;
  kind: 'include' | 'exclude';
  /** Compiled SQL of a criterion in the representation; absent for one the agent writes. */
  sql?: string;
  text: string;
}

/**
 * The SQL agent: for criteria the representation cannot say, one SELECT of client ids each over the
 * linked schema, written by the model; the compiled criteria keep their compiled SQL. The segment is
 * one query, a CTE per criterion, drawn from the client table as the compiler draws it (`segmentSql`).
 * A repair round sends back the failed SQL and its error.
 */
export class SqlAgent {
  constructor(
    private readonly backend: LlmBackend,
    private readonly prompt: PromptFile,
    private readonly schema: LinkSchema,
  ) {}

  /**
   * `entity`: the client table every segment is drawn from; `examples`: approved segments like this
   * one (already picked and filtered), shown as few-shot examples.
   */
  async run(
    parts: SqlPart[],
    linkedColumns: string[],
    entity: SegmentEntity,
    options: { previous?: { sql: string; message: string }; examples?: readonly SqlExample[] } = {},
  ): Promise<{ sql: string; perCriterion: { id: string; sql: string }[]; usage: LlmUsage[] }> {
    const { previous, examples = [] } = options;
    const open = parts.filter((p) => p.sql === undefined);
    const usage: LlmUsage[] = [];
    const written = new Map<string, string>();
    if (open.length > 0) {
      const user = fill(this.prompt.user, {
        task: 'Write one SELECT of client ids for each criterion.',
        criteria: dataBlock('criteria', open.map((p) => `${p.id}: ${p.text}`).join('\n')),
        schema: dataBlock('schema', renderLinkedSchema(this.schema, linkedColumns).trim()),
        examples: examples.length > 0 ? dataBlock('examples', renderExamples(examples)) : '',
        repair: previous
          ? `${dataBlock('previous_sql', previous.sql)}\n\n${dataBlock('error', previous.message)}`
          : '',
      });
      const answer = await this.backend.structured({
        name: 'criteria_sql',
        system: this.prompt.system,
        user,
        schema: llmSqlSchema,
      });
      usage.push(answer.usage);
      for (const item of answer.value.criteria) {
        const extracted = extractSql(item.sql);
        if (extracted.ok) written.set(item.id, extracted.sql);
      }
      const missing = open.filter((p) => !written.has(p.id)).map((p) => p.id);
      if (missing.length > 0) {
        throw new LlmCallError('LLM_BAD_OUTPUT', `the model wrote no SELECT for ${missing.join(', ')}`);
      }
    }
    const perCriterion = parts.map((p) => ({ id: p.id, sql: p.sql ?? (written.get(p.id) as string) }));
    const queries = parts.map((p, i) => ({ id: p.id, kind: p.kind, sql: perCriterion[i]!.sql }));
    return { sql: segmentSql(queries, entity), perCriterion, usage };
  }
}
