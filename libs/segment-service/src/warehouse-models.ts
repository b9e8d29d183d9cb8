import { UnknownWarehouseError, type Catalog, type CatalogLookup } from '@t2s/catalog';
import { AppError } from '@t2s/contracts';
import { SemanticModel, warehouseSemanticModel, type ModelSource } from '@t2s/semantic';

export interface ModelOptions {
  modelSource?: ModelSource;
  /** The semantic model's name (config/warehouses/<name>) when it is not the warehouse's own. */
  modelName?: string;
}

/** A warehouse's semantic model over its catalog; SCHEMA_LINKING_FAILED when it has none. */
export function semanticModelOf(name: string, catalog: Catalog, options: ModelOptions = {}): SemanticModel {
  const schema = catalog.schemas[0] ?? name;
  const file = warehouseSemanticModel(options.modelName ?? name, catalog, schema, {
    ...(options.modelSource ? { source: options.modelSource } : {}),
  });
  if (!file) {
    throw new AppError(
      'SCHEMA_LINKING_FAILED',
      `No semantic model for warehouse ${name} (config/warehouses)`,
    );
  }
  return new SemanticModel(file, catalog, schema);
}

/**
 * The semantic models of the warehouses the gateway serves, for what it checks and lists without running
 * anything (criteria given as structure, the attributes a criteria builder completes from). One per
 * catalog: a catalog read again (a new generation of the cache) gets a model of its own.
 */
export class WarehouseModels {
  private readonly models = new WeakMap<Catalog, SemanticModel>();

  constructor(private readonly options: ModelOptions & { catalogs: CatalogLookup }) {}

  /** NOT_FOUND for a warehouse not served; SCHEMA_LINKING_FAILED for one without a semantic model. */
  async model(name: string): Promise<SemanticModel> {
    let catalog: Catalog;
    try {
      catalog = await this.options.catalogs(name);
    } catch (error) {
      if (error instanceof UnknownWarehouseError) throw new AppError('NOT_FOUND', error.message);
      throw error;
    }
    let model = this.models.get(catalog);
    if (!model) {
      model = semanticModelOf(name, catalog, this.options);
      this.models.set(catalog, model);
    }
    return model;
  }
}
