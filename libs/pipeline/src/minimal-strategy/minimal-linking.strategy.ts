import { AppError } from '@t2s/contracts';
import type { LinkingInput, LinkingResult, LinkingStrategy } from '../strategy';
import type { MinimalCriterionSpec } from './minimal-criteria.strategy';

function specTables(spec: unknown): string[] | null {
  const tables = (spec as Partial<MinimalCriterionSpec> | undefined)?.tables;
  return Array.isArray(tables) && tables.every((t) => typeof t === 'string') ? tables : null;
}

/**
 * The minimal strategy's criteria already name their tables (rendered from templates), so linking is a
 * check that each one is still in the catalog; the catalog may have changed between stages.
 */
export class MinimalLinkingStrategy implements LinkingStrategy {
  async link({ criteria, catalog }: LinkingInput): Promise<LinkingResult> {
    const known = new Set(catalog.tables.map((t) => `${t.schema}.${t.name}`));
    const byCriterion: Record<string, string[]> = {};
    for (const criterion of criteria) {
      const tables = specTables(criterion.spec);
      if (tables === null || tables.length === 0) {
        throw new AppError('SCHEMA_LINKING_FAILED', `Criterion ${criterion.id} names no warehouse table`, {
          stage: 'linking',
        });
      }
      const missing = tables.filter((t) => !known.has(t));
      if (missing.length > 0) {
        throw new AppError(
          'SCHEMA_LINKING_FAILED',
          `Criterion ${criterion.id} needs ${missing.join(', ')}, which the catalog does not have`,
          { stage: 'linking' },
        );
      }
      byCriterion[criterion.id] = tables;
    }
    const tables = [...new Set(Object.values(byCriterion).flat())].sort();
    return { tables, byCriterion, tokens: 0 };
  }
}
