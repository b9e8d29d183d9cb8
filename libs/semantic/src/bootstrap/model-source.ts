import type { Catalog } from '@t2s/catalog';
import { findSemanticModelFile, SemanticModelError } from '../semantic-model';
import type { SemanticModelFile } from '../semantic-model.schema';
import { bootstrapSemanticModel } from './bootstrap-model';
import { mergeSemanticModels } from './merge-model';

/**
 * Which model a warehouse is read with: `merged` (the default: the bootstrap refined by the hand file,
 * or the bootstrap alone when there is none), `hand` (the hand file alone, as before the bootstrap) or
 * `bootstrap` (the catalog alone, to measure what the hand file adds).
 */
export const MODEL_SOURCES = ['merged', 'hand', 'bootstrap'] as const;
export type ModelSource = (typeof MODEL_SOURCES)[number];

/** A model source from configuration text (T2S_MODEL); unset is `merged`. */
export function parseModelSource(value: string | undefined): ModelSource {
  if (value === undefined || value === '') return 'merged';
  const source = MODEL_SOURCES.find((s) => s === value);
  if (!source)
    throw new SemanticModelError(`T2S_MODEL must be one of ${MODEL_SOURCES.join(', ')}, got "${value}"`);
  return source;
}

/**
 * The semantic model of a warehouse's schema: its hand file (`config/warehouses/<warehouse>.annotations.json`)
 * merged over the model bootstrapped from the schema's catalog, as `source` says. Undefined when the
 * source gives none (no hand file for `hand`; no client entity in the catalog and no hand file).
 */
export function warehouseSemanticModel(
  warehouse: string,
  catalog: Catalog,
  schema: string,
  options: { source?: ModelSource; dir?: string } = {},
): SemanticModelFile | undefined {
  const source = options.source ?? 'merged';
  const hand = source === 'bootstrap' ? undefined : findSemanticModelFile(warehouse, options.dir);
  if (source === 'hand') return hand;
  if (!catalog.entities.some((e) => e.schema === schema)) return hand;
  const bootstrap = { ...bootstrapSemanticModel(catalog, schema), warehouse };
  return hand ? mergeSemanticModels(bootstrap, hand) : bootstrap;
}
