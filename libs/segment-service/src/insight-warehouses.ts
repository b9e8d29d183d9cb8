import { AppError } from '@t2s/contracts';
import type { CatalogLookup } from '@t2s/catalog';
import type { ModelSource, SemanticModel } from '@t2s/semantic';
import { catalogGuards, loadSqlGuard } from '@t2s/sql-guard';
import { SandboxExecutor, type AuditSink } from '@t2s/sql-sandbox';
import type { InsightWarehouse } from './segment-insights';
import { semanticModelOf } from './warehouse-models';

export interface InsightWarehousesOptions {
  catalogs: CatalogLookup;
  /** Logs in as the executor role (SELECT only), as the execution workers' sandbox does. */
  executorUrl: string;
  audit: AuditSink;
  /** Explain and portrait answer a person waiting on a page: a short timeout. */
  statementTimeoutMs: number;
  maxCost: number;
  modelSource?: ModelSource;
  /** The semantic model's name (config/warehouses/<name>) when it is not the warehouse's own. */
  modelName?: string;
  /** JIT off in the insights' transactions (default): see SandboxExecutorOptions.noJit. */
  noJit?: boolean;
  onWarning?: (message: string) => void;
}

/**
 * One sandbox and semantic model per warehouse, opened on first use: the catalog's guards (the counting
 * policy for explain and portrait, the person policy for a person's SQL), two connections each.
 */
export class InsightWarehouses {
  private readonly opened = new Map<string, Promise<{ model: SemanticModel; sandbox: SandboxExecutor }>>();

  constructor(private readonly options: InsightWarehousesOptions) {}

  warehouse(name: string): Promise<InsightWarehouse> {
    let opening = this.opened.get(name);
    if (!opening) {
      opening = this.open(name);
      this.opened.set(name, opening);
      // A failure (warehouse down at first use) is not remembered: the next request tries again.
      opening.catch(() => this.opened.delete(name));
    }
    return opening;
  }

  async close(): Promise<void> {
    const opened = await Promise.allSettled(this.opened.values());
    this.opened.clear();
    await Promise.all(opened.map((o) => (o.status === 'fulfilled' ? o.value.sandbox.close() : undefined)));
  }

  private async open(name: string): Promise<{ model: SemanticModel; sandbox: SandboxExecutor }> {
    let catalog;
    try {
      catalog = await this.options.catalogs(name);
    } catch (error) {
      throw new AppError(
        'WAREHOUSE_UNAVAILABLE',
        `Warehouse ${name} could not be read: ${(error as Error).message}`,
      );
    }
    const model = semanticModelOf(name, catalog, this.options);
    await loadSqlGuard();
    const guards = catalogGuards(catalog);
    const { statementTimeoutMs } = this.options;
    const sandbox = new SandboxExecutor({
      warehouseUrl: this.options.executorUrl,
      guard: guards.generated,
      person: { guard: guards.person, statementTimeoutMs },
      counts: guards.counts,
      statementTimeoutMs,
      maxCost: this.options.maxCost,
      audit: this.options.audit,
      poolSize: 2,
      applicationName: 't2s-insights',
      noJit: this.options.noJit ?? true,
      ...(this.options.onWarning ? { onWarning: this.options.onWarning } : {}),
    });
    return { model, sandbox };
  }
}

/** For a deployment that has no executor role to read the warehouse with: every call is a clear 503. */
export function noInsightWarehouses(reason: string): Pick<InsightWarehouses, 'warehouse' | 'close'> {
  return {
    warehouse: () => Promise.reject(new AppError('WAREHOUSE_UNAVAILABLE', reason)),
    close: async () => undefined,
  };
}
