// The segment SQL of every eval case (own, dev and unseen), as the baseline writes it on the catalog
// snapshots with the demo bank's reference rows from a fixture: a committed Jest snapshot, so that a
// change in how a segment query is built (one `segmentSql` for the compiler, the SQL agent and the
// counted pass) shows as a diff of the SQL itself. No database.
import { loadCatalogSnapshot, type SnapshotWarehouse } from '@t2s/catalog/testing';
import { AppError, offerSchema } from '@t2s/contracts';
import { createBaselineStrategy } from './baseline.strategy';
import { evalCaseFiles } from './testing/eval-case-files';
import { referenceFixture } from './testing/reference-rows.fixture';

interface EvalCaseFile {
  warehouse: SnapshotWarehouse;
  offer: unknown;
  criteria?: string;
}

const cases = evalCaseFiles<EvalCaseFile>();

const strategy = createBaselineStrategy({
  references: (catalog) => referenceFixture(catalog.schemas[0] ?? ''),
});
const catalogs = new Map<SnapshotWarehouse, ReturnType<typeof loadCatalogSnapshot>>();

it('reads every case of the eval set', () => {
  expect(cases.length).toBeGreaterThan(400);
});

describe.each(cases)('$path', ({ file }) => {
  it('writes the segment SQL it wrote before', async () => {
    let catalog = catalogs.get(file.warehouse);
    if (!catalog) catalogs.set(file.warehouse, (catalog = loadCatalogSnapshot(file.warehouse)));
    let sql: string;
    try {
      const { criteria } = await strategy.criteria.generate({
        offer: offerSchema.parse(file.offer),
        ...(file.criteria === undefined ? {} : { criteriaText: file.criteria }),
        catalog,
      });
      sql = (await strategy.sql.generate({ criteria, catalog })).sql;
    } catch (error) {
      sql = `-- ${AppError.from(error).code}`;
    }
    expect(sql).toMatchSnapshot();
  });
});
