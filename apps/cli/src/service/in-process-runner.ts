import { Client, type Pool } from 'pg';
import { createBaselineStrategy } from '@t2s/baseline';
import { createCatalogCache, type Catalog } from '@t2s/catalog';
import { InProcessRunner, precedentsFor, precedentsOfCases, type EvalCase } from '@t2s/evaluation';
import { readCriteria } from '@t2s/precedents';
import { createLlmStrategy, llmBackendFromEnv } from '@t2s/llm';
import { parseModelSource, type SemanticModel } from '@t2s/semantic';
import { catalogGuards, loadSqlGuard } from '@t2s/sql-guard';
import { MemoryAuditSink, SandboxExecutor } from '@t2s/sql-sandbox';
import { progress, UsageError } from '../command-runner';
import { executorUrl, grantExecutor } from '../executor-grant';

/**
 * The evaluation's in-process runner over one warehouse: the executor role granted on the cases'
 * schemas, their catalogs, and one sandbox per schema with the workers' guard and limits.
 */
export async function openInProcessRunner(options: {
  strategy: string;
  warehouseUrl: string;
  pool: Pool;
  schemas: string[];
  executorRole: string;
  closers: (() => Promise<unknown>)[];
  /** Cases whose offers and target SQL are the precedents (`precedentsFor` leaves each case's own out). */
  precedentCases?: EvalCase[];
  /** How many precedents of the offer's product type at most (the learning curve). */
  precedentsPerType?: number;
}): Promise<InProcessRunner> {
  const strategy = strategyNamed(options.strategy);
  const admin = new Client({ connectionString: options.warehouseUrl });
  await admin.connect();
  try {
    for (const schema of options.schemas) await grantExecutor(admin, options.executorRole, schema);
  } finally {
    await admin.end();
  }
  const catalogs = createCatalogCache({ pool: options.pool, schemas: options.schemas, onWarning: progress });
  await loadSqlGuard();
  const models = createBaselineStrategy({ modelSource: parseModelSource(process.env['T2S_MODEL']) });
  const modelOf = new Map<string, SemanticModel>();
  for (const schema of new Set(options.precedentCases?.map((c) => c.warehouse)))
    modelOf.set(schema, models.modelFor(await catalogs(schema)));
  const precedentSet = options.precedentCases
    ? precedentsOfCases(options.precedentCases, (sql, warehouse) =>
        readCriteria(sql, modelOf.get(warehouse) as SemanticModel),
      )
    : undefined;
  const sandboxes = new Map<string, SandboxExecutor>();
  const audit = new MemoryAuditSink();
  const url = executorUrl(process.env, options.warehouseUrl, options.executorRole);
  options.closers.push(async () => Promise.all([...sandboxes.values()].map((s) => s.close())));
  return new InProcessRunner({
    strategy,
    catalogs,
    semanticModel: (catalog) => models.modelFor(catalog),
    ...(precedentSet
      ? {
          precedents: (evalCase: EvalCase) =>
            precedentsFor(evalCase, precedentSet, options.precedentsPerType),
        }
      : {}),
    sandboxFor: async (warehouse) => {
      const known = sandboxes.get(warehouse);
      if (known) return known;
      const catalog: Catalog = await catalogs(warehouse);
      const guards = catalogGuards(catalog);
      const sandbox = new SandboxExecutor({
        warehouseUrl: url,
        guard: guards.generated,
        person: { guard: guards.person, statementTimeoutMs: 300_000 },
        counts: guards.counts,
        statementTimeoutMs: 300_000,
        maxCost: 1e11,
        audit,
        poolSize: 2,
      });
      sandboxes.set(warehouse, sandbox);
      return sandbox;
    },
  });
}

/**
 * The baseline, or the LLM strategy over the backend the environment configures (LLM_BASE_URL,
 * GIGACHAT_CREDENTIALS or LLM_CASSETTES; see `llmBackendFromEnv`).
 */
function strategyNamed(name: string) {
  // T2S_MODEL=hand|bootstrap|merged: which semantic model the baseline reads (default merged).
  const baseline = () => createBaselineStrategy({ modelSource: parseModelSource(process.env['T2S_MODEL']) });
  if (name === 'baseline') return baseline();
  if (name !== 'llm') throw new UsageError(`unknown strategy ${name}`);
  const backend = llmBackendFromEnv(process.env);
  if ('error' in backend) throw new UsageError(`--strategy llm: ${backend.error}`);
  return createLlmStrategy({ backend, baseline: baseline() });
}
