/**
 * Client ids in batches of `batchSize`, in id order, by keyset queries (nothing held open between them):
 * `page(after, limit)` reads up to `limit` ids greater than `after` (all of them when null). Returns how
 * many it yielded, for the caller to check against what it expected (a result replaced meanwhile).
 */
export async function* keysetIds(
  page: (after: string | null, limit: number) => Promise<string[]>,
  batchSize: number,
): AsyncGenerator<string[], number, undefined> {
  let after: string | null = null;
  let delivered = 0;
  for (;;) {
    const ids = await page(after, batchSize);
    if (ids.length > 0) {
      delivered += ids.length;
      after = ids[ids.length - 1] ?? null;
      yield ids;
    }
    if (ids.length < batchSize) return delivered;
  }
}
