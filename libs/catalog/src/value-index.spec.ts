// Which columns the value index scans, and under which cap: every text column of a table small enough
// to scan, up to thousands of values; on a large table only what its statistics call low-cardinality.
import { catalogColumn } from './testing/catalog-builders';
import {
  DEFAULT_LARGE_TABLE_MAX_DISTINCT,
  DEFAULT_MAX_DISTINCT,
  isValueIndexCandidate,
  resolveValueIndexOptions,
  valueIndexCap,
  type ValueIndexColumn,
} from './value-index';

function input(rows: number, distinctEstimate: number | null, own?: number): ValueIndexColumn {
  return {
    schema: 'bank',
    table: 't',
    tableKind: 'table',
    tableRowsRaw: rows,
    tableBytes: rows * 100,
    textLike: true,
    column: catalogColumn('name', { distinctEstimate }),
    ...(own === undefined ? {} : { maxDistinct: own }),
  };
}

describe('the value index cap', () => {
  const options = resolveValueIndexOptions();

  it('is thousands of values on a table small enough to scan, and low on a large one', () => {
    expect(DEFAULT_MAX_DISTINCT).toBe(5_000);
    expect(valueIndexCap(input(20_000, null), options)).toBe(DEFAULT_MAX_DISTINCT);
    expect(valueIndexCap(input(5_000_000, 40), options)).toBe(DEFAULT_LARGE_TABLE_MAX_DISTINCT);
    // An unanalysed table (reltuples -1) is judged by its size on disk.
    expect(valueIndexCap({ ...input(-1, null), tableBytes: 1024 }, options)).toBe(DEFAULT_MAX_DISTINCT);
  });

  it("keeps a column's own cap from the annotations", () => {
    expect(valueIndexCap(input(5_000_000, 400, 500), options)).toBe(500);
  });

  it('scans a large table only when its statistics say the column is within the cap', () => {
    const large = (estimate: number | null) => input(5_000_000, estimate);
    expect(isValueIndexCandidate(large(40), valueIndexCap(large(40), options))).toBe(true);
    expect(isValueIndexCandidate(large(3_000), valueIndexCap(large(3_000), options))).toBe(false);
    expect(isValueIndexCandidate(large(null), valueIndexCap(large(null), options))).toBe(false);
    const small = input(20_000, 3_000);
    expect(isValueIndexCandidate(small, valueIndexCap(small, options))).toBe(true);
  });

  it('never lets the large-table cap exceed the overall one', () => {
    expect(resolveValueIndexOptions({ maxDistinct: 2 }).largeTableMaxDistinct).toBe(2);
  });
});
