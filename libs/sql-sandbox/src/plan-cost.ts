import Cursor from 'pg-cursor';
import { SandboxRefusal } from './sandbox-refusal';
import type { WarehouseSession } from './warehouse-session';

/**
 * The planner's estimated total cost of `sql`. EXPLAIN goes over the extended protocol too, so that a
 * second statement stacked after the first is refused here as well rather than run by the simple protocol.
 */
export async function planCost(session: WarehouseSession, sql: string): Promise<number> {
  const cursor = session.client.query(new Cursor<Record<string, unknown>>(`explain (format json) ${sql}`));
  const rows = await session.wait(cursor.read(2));
  await session.wait(cursor.close());
  const plan = rows[0]?.['QUERY PLAN'];
  const cost = Array.isArray(plan)
    ? (plan[0] as { Plan?: { 'Total Cost'?: unknown } })?.Plan?.['Total Cost']
    : null;
  if (typeof cost !== 'number' || !Number.isFinite(cost)) {
    throw new SandboxRefusal({
      code: 'SQL_FAILED',
      message: 'EXPLAIN gave no total cost for the query',
      retryable: false,
    });
  }
  return cost;
}
