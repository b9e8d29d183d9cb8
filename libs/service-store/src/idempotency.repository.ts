import type { Pool } from 'pg';
import { AppError } from '@t2s/contracts';
import { storeTables, type StoreTables } from './store-tables';

/**
 * A claim older than this with no answer belongs to a request that died between claiming and
 * answering (a crashed gateway); a repeat may then take it over instead of being refused forever.
 */
const STALE_CLAIM_SECONDS = 60;

export type IdempotencyClaim<T> = { state: 'claimed' } | { state: 'replay'; response: T };

/**
 * Idempotency for requests whose effect is not one row with a unique key (revisions, re-runs, batches):
 * claim the key, act, store the answer. A repeat with the same body gets the stored answer; another body,
 * or a repeat while the first is still being processed, is IDEMPOTENCY_CONFLICT.
 */
export class IdempotencyRepository {
  private readonly t: StoreTables;

  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.t = storeTables(schema);
  }

  async claim<T>(ref: IdempotencyRef, requestHash: string): Promise<IdempotencyClaim<T>> {
    const claimed = await this.pool.query(
      `insert into ${this.t.idempotency} as r (api_key_id, scope, key, request_hash) values ($1, $2, $3, $4)
       on conflict (api_key_id, scope, key) do update set request_hash = excluded.request_hash, claimed_at = now()
         where r.completed_at is null and r.claimed_at < now() - make_interval(secs => $5)`,
      [ref.apiKeyId, ref.scope, ref.key, requestHash, STALE_CLAIM_SECONDS],
    );
    if (claimed.rowCount === 1) return { state: 'claimed' };
    const { rows } = await this.pool.query<{ request_hash: string; response: T | null }>(
      `select request_hash, response from ${this.t.idempotency} where api_key_id = $1 and scope = $2 and key = $3`,
      [ref.apiKeyId, ref.scope, ref.key],
    );
    const existing = rows[0];
    if (existing && existing.request_hash !== requestHash) {
      throw new AppError(
        'IDEMPOTENCY_CONFLICT',
        'This Idempotency-Key was already used with a different request',
      );
    }
    if (!existing || existing.response === null) {
      throw new AppError(
        'IDEMPOTENCY_CONFLICT',
        'A request with this Idempotency-Key is still being processed; retry it in a few seconds',
      );
    }
    return { state: 'replay', response: existing.response };
  }

  async complete(ref: IdempotencyRef, response: unknown): Promise<void> {
    await this.pool.query(
      `update ${this.t.idempotency} set response = $4, completed_at = now()
       where api_key_id = $1 and scope = $2 and key = $3`,
      [ref.apiKeyId, ref.scope, ref.key, JSON.stringify(response)],
    );
  }

  /** Drops a claim whose request failed, so the client's retry with the same key runs it. */
  async release(ref: IdempotencyRef): Promise<void> {
    await this.pool.query(
      `delete from ${this.t.idempotency} where api_key_id = $1 and scope = $2 and key = $3 and completed_at is null`,
      [ref.apiKeyId, ref.scope, ref.key],
    );
  }

  /**
   * Runs `act` at most once per key: the first call acts and stores the answer, a repeat with the same
   * request gets the stored answer. A failed `act` releases the key.
   */
  async once<T>(ref: IdempotencyRef | null, requestHash: string, act: () => Promise<T>): Promise<T> {
    if (ref === null) return act();
    const claim = await this.claim<T>(ref, requestHash);
    if (claim.state === 'replay') return claim.response;
    let response: T;
    try {
      response = await act();
    } catch (error) {
      await this.release(ref).catch(() => undefined);
      throw error;
    }
    await this.complete(ref, response);
    return response;
  }
}

export interface IdempotencyRef {
  apiKeyId: string;
  /** What the key is used for, e.g. `rerun:<segment id>`; one key may be reused in another scope. */
  scope: string;
  key: string;
}
