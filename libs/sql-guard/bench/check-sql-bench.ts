/**
 * How long checkSql takes on the legitimate segment corpus and the BIRD gold queries: first cold (the
 * first checks after loading also pay for V8 compiling the 1.7 MB WebAssembly into optimised code),
 * then warm, each query checked `rounds` times. Prints the median, p99 and maximum per check.
 *
 *   npx tsx libs/sql-guard/bench/check-sql-bench.ts [rounds]
 */
import { performance } from 'node:perf_hooks';
import legitSegments from '../src/corpus/legit-segments.json';
import { checkSql, loadSqlGuard, policyFromCatalog, type GuardPolicy } from '../src/index';
import { BANK_TEST_CATALOG } from '../src/testing/bank-test-catalog';
import { birdGold, birdPolicies } from '../src/testing/bird-dataset';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
}

function timeChecks(queries: { sql: string; policy: GuardPolicy }[], rounds: number): number[] {
  const times: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    for (const { sql, policy } of queries) {
      const started = performance.now();
      checkSql(sql, policy);
      times.push(performance.now() - started);
    }
  }
  return times.sort((a, b) => a - b);
}

function report(label: string, times: number[]): void {
  console.log(
    `${label}: ${times.length} checks; median ${percentile(times, 0.5).toFixed(3)} ms, ` +
      `p99 ${percentile(times, 0.99).toFixed(3)} ms, max ${percentile(times, 1).toFixed(3)} ms`,
  );
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 20);
  const started = performance.now();
  await loadSqlGuard();
  console.log(`loadSqlGuard: ${(performance.now() - started).toFixed(0)} ms`);

  const bank = policyFromCatalog(BANK_TEST_CATALOG);
  const segments = legitSegments.map(({ sql }) => ({ sql, policy: bank }));
  const policies = birdPolicies();
  const gold = birdGold().map(({ sql, dbId }) => ({ sql, policy: policies.get(dbId) as GuardPolicy }));
  const chars = (queries: { sql: string }[]) =>
    Math.round(queries.reduce((sum, { sql }) => sum + sql.length, 0) / queries.length);

  report(`segment corpus, cold (${chars(segments)} chars on average)`, timeChecks(segments, 1));
  report(`BIRD gold, cold (${chars(gold)} chars on average)`, timeChecks(gold, 1));
  report('segment corpus, warm', timeChecks(segments, rounds * 10));
  report('BIRD gold, warm', timeChecks(gold, rounds));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
