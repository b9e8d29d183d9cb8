/** Okapi BM25 over bags of words, the usual lexical retrieval (k1 = 1.2, b = 0.75). */
export class Bm25<Id> {
  private readonly docs: { id: Id; terms: Map<string, number>; length: number }[] = [];
  private readonly frequency = new Map<string, number>();
  private averageLength = 0;

  constructor(
    documents: readonly { id: Id; words: readonly string[] }[],
    private readonly k1 = 1.2,
    private readonly b = 0.75,
  ) {
    for (const { id, words } of documents) {
      const terms = new Map<string, number>();
      for (const w of words) terms.set(w, (terms.get(w) ?? 0) + 1);
      for (const w of terms.keys()) this.frequency.set(w, (this.frequency.get(w) ?? 0) + 1);
      this.docs.push({ id, terms, length: words.length });
    }
    this.averageLength = this.docs.reduce((sum, d) => sum + d.length, 0) / Math.max(1, this.docs.length);
  }

  /** Every document with a positive score, best first. */
  search(query: readonly string[]): { id: Id; score: number }[] {
    const n = this.docs.length;
    const terms = [...new Set(query)];
    const scored: { id: Id; score: number }[] = [];
    for (const doc of this.docs) {
      let score = 0;
      for (const term of terms) {
        const tf = doc.terms.get(term);
        if (!tf) continue;
        const df = this.frequency.get(term) ?? 0;
        const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        score +=
          (idf * tf * (this.k1 + 1)) /
          (tf + this.k1 * (1 - this.b + (this.b * doc.length) / this.averageLength));
      }
      if (score > 0) scored.push({ id: doc.id, score });
    }
    return scored.sort((x, y) => y.score - x.score);
  }
}
