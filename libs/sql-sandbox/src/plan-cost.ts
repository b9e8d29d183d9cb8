import { randomUUID } from 'node:crypto';
import { SandboxRefusal } from './sandbox-refusal';
import type { WarehouseSession } from './warehouse-session';

/**
 * The planner's estimated total cost of `sql`. EXPLAIN goes over the extended protocol too (a named
 * statement: Parse refuses a second statement stacked after the first, where the simple protocol would
 * run it). Not through pg-cursor: a cancel that lands while the server plans (a statement planned past
 * its own timer) leaves a pg-cursor read unsettled for good, while a plain query gets its 57014.
 * The session ends with DISCARD ALL, which drops the prepared statement on the server.
 */
export async function planCost(session: WarehouseSession, sql: string): Promise<number> {
  const name = `sandbox_explain_${randomUUID().replace(/-/g, '')}`;
  let rows: Record<string, unknown>[];
  try {
    ({ rows } = await session.wait(
      session.client.query<Record<string, unknown>>({ name, text: `explain (format json) ${sql}` }),
    ));
  } finally {
    forgetStatement(session, name);
  }
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

/** pg remembers every named statement it parsed on a connection; these are single-use. */
function forgetStatement(session: WarehouseSession, name: string): void {
  const parsed = (
    session.client as unknown as { connection?: { parsedStatements?: Record<string, unknown> } }
  ).connection?.parsedStatements;
  if (parsed) delete parsed[name];
}
