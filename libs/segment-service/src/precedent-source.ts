import { readCriteria, type Precedent, type PrecedentCriterion } from '@t2s/precedents';
import type { SemanticModel } from '@t2s/semantic';
import type { PrecedentStore, StoredPrecedent } from '@t2s/service-store';
import { loadParser } from '@t2s/sql-guard';

export interface PrecedentSourceDeps {
  store: Pick<PrecedentStore, 'list' | 'saveCriteria'>;
  /** The semantic model a warehouse's SQL is read with (the one the strategy compiles with). */
  model: (warehouse: string) => Promise<SemanticModel>;
  /** How long a warehouse's list is served before it is read again; default 60 s. */
  ttlMs?: number;
  clock?: () => number;
  onWarning?: (message: string) => void;
}

const DEFAULT_TTL_MS = 60_000;

/**
 * A warehouse's precedents as the criteria stage reads them: listed from the store at most once per
 * `ttlMs`, and those not read yet (an approval's SQL; an import is read before it is stored) read into
 * criteria here and saved, so each SQL is read once whichever worker gets to it first.
 */
export class PrecedentSource {
  private readonly entries = new Map<string, { at: number; precedents: Promise<Precedent[]> }>();
  private readonly ttlMs: number;
  private readonly clock: () => number;

  constructor(private readonly deps: PrecedentSourceDeps) {
    this.ttlMs = deps.ttlMs ?? DEFAULT_TTL_MS;
    this.clock = deps.clock ?? Date.now;
  }

  /** What `StageDeps.precedents` is: a failed read is not cached, so the stage's retry reads again. */
  readonly precedents = (warehouse: string): Promise<Precedent[]> => {
    const cached = this.entries.get(warehouse);
    if (cached && this.clock() - cached.at < this.ttlMs) return cached.precedents;
    const precedents = this.load(warehouse);
    this.entries.set(warehouse, { at: this.clock(), precedents });
    precedents.catch(() => {
      if (this.entries.get(warehouse)?.precedents === precedents) this.entries.delete(warehouse);
    });
    return precedents;
  };

  private async load(warehouse: string): Promise<Precedent[]> {
    const stored = await this.deps.store.list(warehouse);
    const unread = stored.filter((p) => p.criteria === null);
    if (unread.length === 0) return stored.map((p) => toPrecedent(p, p.criteria ?? []));
    const [model] = await Promise.all([this.deps.model(warehouse), loadParser()]);
    const read = new Map<string, PrecedentCriterion[]>();
    for (const precedent of unread) {
      const { criteria, coverage } = this.read(precedent, model);
      // False when another worker saved it first: the same SQL, read the same.
      await this.deps.store.saveCriteria(precedent.id, criteria, coverage);
      read.set(precedent.id, criteria);
    }
    return stored.map((p) => toPrecedent(p, read.get(p.id) ?? p.criteria ?? []));
  }

  /**
   * Reads one precedent's SQL. An SQL the reader cannot take apart (it passed the guard when it was
   * approved) stays whole, as one criterion of its own SQL: shown as written, never read again.
   */
  private read(precedent: StoredPrecedent, model: SemanticModel) {
    try {
      return readCriteria(precedent.sql, model);
    } catch (error) {
      this.deps.onWarning?.(
        `precedent ${precedent.id} (${precedent.campaign}): its SQL could not be read into criteria, kept whole: ${(error as Error).message}`,
      );
      return { criteria: [{ kind: 'include' as const, sql: precedent.sql }], coverage: 0 };
    }
  }
}

/** The store's row as @t2s/precedents types it: the criteria are what `readCriteria` wrote. */
function toPrecedent(stored: StoredPrecedent, criteria: readonly unknown[]): Precedent {
  return {
    id: stored.id,
    campaign: stored.campaign,
    warehouse: stored.warehouse,
    offer: stored.offer,
    sql: stored.sql,
    ...(stored.approvedAt !== undefined ? { approvedAt: stored.approvedAt } : {}),
    ...(stored.approvedBy !== undefined ? { approvedBy: stored.approvedBy } : {}),
    origin: stored.origin,
    criteria: criteria as PrecedentCriterion[],
  };
}
