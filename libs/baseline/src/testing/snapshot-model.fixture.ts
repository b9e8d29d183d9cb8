// Test support (not exported by the lib): a warehouse's committed catalog snapshot (comments and value
// index included, `@t2s/catalog/testing`) with its semantic model from config/warehouses, for specs of
// the parser that need a real catalog but no database. What a reference table's name means (its code)
// is read from the code column's documented labels: its comment's `CODE — label` pairs and the model's
// labels, a name standing for the code whose label's words it has (the most of them).
import type { Catalog } from '@t2s/catalog';
import { loadCatalogSnapshot, type SnapshotWarehouse } from '@t2s/catalog/testing';
import {
  findSemanticModelFile,
  SemanticModel,
  warehouseSemanticModel,
  type SemanticModelFile,
} from '@t2s/semantic';
import { phraseStems } from '../text/tokens';
import { modelFixture, NAMED_CODES, type ModelFixture, type Names } from './meaning';

export function snapshotModel(warehouse: SnapshotWarehouse): ModelFixture {
  const catalog = loadCatalogSnapshot(warehouse);
  const file = findSemanticModelFile(warehouse);
  if (!file) throw new Error(`config/warehouses/${warehouse}.annotations.json declares no semantic model`);
  const model = new SemanticModel(file, catalog, catalog.schemas[0] as string);
  return modelFixture(catalog, file, model, namesFromLabels(catalog, file));
}

/**
 * A warehouse's snapshot with the model the service reads it with: the hand file over the bootstrap, or
 * the bootstrap alone (Bank Marketing).
 */
export function snapshotWarehouseModel(warehouse: SnapshotWarehouse): SemanticModel {
  const catalog = loadCatalogSnapshot(warehouse);
  const file = warehouseSemanticModel(warehouse, catalog, warehouse);
  if (!file) throw new Error(`no model for ${warehouse}`);
  return new SemanticModel(file, catalog, warehouse);
}

function namesFromLabels(catalog: Catalog, file: SemanticModelFile): Names {
  const names: Names = new Map();
  const column = (table: string, name: string) =>
    catalog.tables.find((t) => t.name === table)?.columns.find((c) => c.name === name);
  for (const [table, name, code] of NAMED_CODES) {
    const nameColumn = column(table, name);
    const codeColumn = column(table, code);
    if (!nameColumn || !codeColumn) continue;
    const labels: { code: string; stems: string[] }[] = [];
    for (const m of (codeColumn.comment ?? '').matchAll(/([A-Z][A-Z0-9_]+)\s+[—-]\s+([^,;.]+)/g))
      labels.push({ code: m[1] as string, stems: phraseStems(m[2] as string) });
    for (const [value, terms] of Object.entries(file.labels[`${table}.${code}`] ?? {}))
      for (const label of [...terms.ru, ...terms.en]) labels.push({ code: value, stems: phraseStems(label) });
    const codes = new Map<string, string>();
    for (const value of nameColumn.values ?? []) {
      const words = new Set(phraseStems(value));
      const fits = labels
        .filter((l) => l.stems.length > 0 && l.stems.every((s) => words.has(s)))
        .sort((a, b) => b.stems.length - a.stems.length);
      const best = fits[0];
      const rival = fits.find((l) => l.code !== best?.code && l.stems.length === best?.stems.length);
      if (best && !rival) codes.set(value, best.code);
    }
    names.set(`${table}.${name}`, { column: `${table}.${code}`, codes });
  }
  return names;
}
