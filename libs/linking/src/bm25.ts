/**
 * Okapi BM25 over bags of words, the usual lexical retrieval (k1 = 1.2, b = 0.75).
 *
 * Written here, not taken from npm (issue 19). Measured on the cases of bench:linking, with the
 * candidates installed in a scratch folder (`npm install --prefix /tmp/bm25try minisearch
 * wink-bm25-text-search okapibm25`), by
 *   npx tsx apps/cli/src/bench/linking-ranker-bench.ts --from /tmp/bm25try --cases eval/cases
 * column recall @10/@20/@30 and mean link() ms on BIRD mini-dev (500) | bank offers (36) | bank criteria (47):
 *   this file              94.2/96.9/98.0 0.27 | 66.7/83.1/89.2 1.19 | 93.3/96.4/97.5 0.39
 *   wink-bm25-text-search  the same recall (the same formula), 0.28 | 1.34 | 0.39
 *   minisearch 7.2.0       92.3/96.6/97.9 0.32 | 58.7/79.8/86.4 2.07 | 90.1/95.0/97.0 0.51
 *     (BM25+ and a matched-terms factor; with d = 0, b = 0.75 still 92.7 | 61.9 | 89.9 at @10)
 *   okapibm25 1.4.1        94.0/96.9/97.9 0.66 | 49.0/73.7/84.7 25.2 | 89.1/94.0/97.3 6.9
 *     (substring matches, lengths counted by \w: Cyrillic words have none; every query rescans)
 * No package ranks better. wink ties but pulls in wink-nlp and a 3.8 MB English model unused here,
 * refuses fewer than 3 documents (a 2-table schema) and has had no release since 2024; this is 50 lines
 * without dependencies. Postings instead of a scan of every document took our bank offers from 1.75 to
 * 0.96 ms a link (the same scores and order: every link() of BIRD mini-dev compared equal).
 */
export class Bm25<Id> {
  private readonly docs: { id: Id; length: number }[] = [];
  /** Each word's postings: the documents (by position) holding it and how often. */
  private readonly postings = new Map<string, { doc: number; tf: number }[]>();
  private readonly averageLength: number;

  constructor(
    documents: readonly { id: Id; words: readonly string[] }[],
    private readonly k1 = 1.2,
    private readonly b = 0.75,
  ) {
    for (const { id, words } of documents) {
      const terms = new Map<string, number>();
      for (const w of words) terms.set(w, (terms.get(w) ?? 0) + 1);
      const doc = this.docs.length;
      for (const [w, tf] of terms) {
        const list = this.postings.get(w);
        if (list) list.push({ doc, tf });
        else this.postings.set(w, [{ doc, tf }]);
      }
      this.docs.push({ id, length: words.length });
    }
    this.averageLength = this.docs.reduce((sum, d) => sum + d.length, 0) / Math.max(1, this.docs.length);
  }

  /** Every document with a positive score, best first (ties in the order the documents were given). */
  search(query: readonly string[]): { id: Id; score: number }[] {
    const n = this.docs.length;
    const scores = new Map<number, number>();
    for (const term of new Set(query)) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5));
      for (const { doc, tf } of list) {
        const length = (this.docs[doc] as { length: number }).length;
        const score =
          (idf * tf * (this.k1 + 1)) / (tf + this.k1 * (1 - this.b + (this.b * length) / this.averageLength));
        scores.set(doc, (scores.get(doc) ?? 0) + score);
      }
    }
    return [...scores]
      .filter(([, score]) => score > 0)
      .sort(([a, x], [b, y]) => y - x || a - b)
      .map(([doc, score]) => ({ id: (this.docs[doc] as { id: Id }).id, score }));
  }
}
