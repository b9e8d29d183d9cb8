import { AppError } from '@t2s/contracts';
import type { SqlInput, SqlResult, SqlStrategy } from '../strategy';
import { buildSegmentSql, type SqlCriterion } from './segment-sql.builder';

/**
 * Compiles the criteria's own SQL fragments into the segment query. Deterministic, so a repair round
 * cannot fix its output; it is there as the baseline and for criteria a person edited.
 */
export class MinimalSqlStrategy implements SqlStrategy {
  async generate({ criteria }: SqlInput): Promise<SqlResult> {
    const compiled: SqlCriterion[] = [];
    for (const criterion of criteria) {
      if (criterion.sql === undefined || criterion.sql.trim() === '') {
        throw new AppError('SCHEMA_LINKING_FAILED', `Criterion ${criterion.id} has no SQL fragment`, {
          stage: 'sql',
        });
      }
      compiled.push({ id: criterion.id, kind: criterion.kind, sql: criterion.sql });
    }
    if (!compiled.some((c) => c.kind === 'include')) {
      throw new AppError('CRITERIA_UNPARSED', 'No include criterion: the audience would be unbounded', {
        stage: 'sql',
      });
    }
    return {
      sql: buildSegmentSql(compiled),
      perCriterion: compiled.map(({ id, sql }) => ({ id, sql })),
      tokens: 0,
    };
  }
}
