import { checkSql, loadSqlGuard } from './sql-guard';
import { birdGold, birdPolicies, birdPredictions } from './testing/bird-dataset';

/**
 * Real SQL nobody here wrote (../shared/datasets/bird-minidev): the guard must accept every gold
 * query, which are read-only analytics, and must answer every real LLM prediction without throwing.
 */
const policies = birdPolicies();

function policyFor(dbId: string) {
  const policy = policies.get(dbId);
  if (!policy) throw new Error(`no schema for BIRD database ${dbId} in dev_tables.json`);
  return policy;
}

beforeAll(() => loadSqlGuard());

describe('BIRD mini-dev (PostgreSQL)', () => {
  it('accepts every gold query', () => {
    const gold = birdGold();
    expect(gold).toHaveLength(500);
    const failures = gold.flatMap(({ sql, dbId }, index) => {
      const verdict = checkSql(sql, policyFor(dbId));
      return verdict.ok ? [] : [`#${index} ${dbId} ${verdict.code}: ${verdict.reason} | ${sql}`];
    });
    expect(failures).toEqual([]);
  });

  it('answers every prediction of every model without throwing', () => {
    const predictions = birdPredictions();
    expect(predictions.size).toBeGreaterThanOrEqual(9);
    const counts: Record<string, number> = {};
    let total = 0;
    for (const queries of predictions.values()) {
      for (const { sql, dbId } of queries) {
        const verdict = checkSql(sql, policyFor(dbId));
        const key = verdict.ok ? 'OK' : verdict.code;
        counts[key] = (counts[key] ?? 0) + 1;
        total += 1;
      }
    }
    expect(total).toBe(predictions.size * 500);
    // Wrong SQL is expected (invented functions and tables, MySQL/SQLite dialect), crashes are not.
    expect(counts.OK).toBeGreaterThan(total / 2);
    const summary = Object.entries(counts)
      .sort(([, a], [, b]) => b - a)
      .map(([code, count]) => `${code} ${count}`)
      .join(', ');
    if (process.env.SQL_GUARD_QUIET === undefined) console.log(`BIRD predictions (${total}): ${summary}`);
  });
});
