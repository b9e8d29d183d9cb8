import { createHash } from 'node:crypto';
import type { ConversionGroup } from '@t2s/contracts';

/**
 * The control group of a segment: a client is held out when the first 8 bytes of
 * sha256("<segment id>:<client id>"), read as an unsigned big-endian integer, fall below share × 2^64.
 * It depends on nothing but the two ids, so the same client of the same segment lands in the same group on
 * every run, in the CSV export and in the report alike; another segment draws its own group. PostgreSQL
 * computes the same split (`controlGroupSql`): bytea compares bytewise, which for 8 bytes is the unsigned
 * integer order, so the store counts groups without sending ids back here.
 */
export function controlThreshold(share: number): Buffer {
  if (!(share > 0 && share <= 0.5)) throw new RangeError(`A control share is in (0, 0.5]: ${share}`);
  // share × 2^64 is a double ≥ 2^53 here, hence an integer; the threshold is exact to the double.
  const threshold = BigInt(share * 2 ** 64);
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(threshold);
  return bytes;
}

/** Which group a client of a segment is in; always `target` without a control share. */
export function controlGroupOf(
  segmentId: string,
  clientId: string,
  share: number | null | undefined,
  threshold: Buffer | null = share ? controlThreshold(share) : null,
): ConversionGroup {
  if (threshold === null) return 'target';
  const digest = createHash('sha256').update(`${segmentId}:${clientId}`, 'utf8').digest();
  return Buffer.compare(digest.subarray(0, 8), threshold) < 0 ? 'control' : 'target';
}

/**
 * The same test in SQL: true for a control client. `segmentParam` (uuid or text) and `thresholdParam`
 * (bytea, `controlThreshold`) are placeholders, `clientColumn` a text column.
 */
export function controlGroupSql(segmentParam: string, clientColumn: string, thresholdParam: string): string {
  return `substring(sha256(convert_to(${segmentParam}::text || ':' || ${clientColumn}, 'UTF8')) from 1 for 8) < ${thresholdParam}::bytea`;
}

/** The share a segment's options hold, or null (no control group). */
export function controlShareOf(options: { controlShare?: number | undefined }): number | null {
  return typeof options.controlShare === 'number' && options.controlShare > 0 ? options.controlShare : null;
}
