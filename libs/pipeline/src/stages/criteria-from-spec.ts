import type { Catalog } from '@t2s/catalog';
import { AppError, type Criterion, type CriterionSpecInput } from '@t2s/contracts';
import {
  checkCriteriaSpec,
  CriteriaRenderer,
  SemanticModel,
  warehouseSemanticModel,
  type Language,
} from '@t2s/semantic';
import type { StageDeps } from './stage-deps';

const defaultModels = new WeakMap<Catalog, SemanticModel>();

/**
 * The semantic model criteria given as structure are read with: the deps' (the worker passes the
 * baseline's, so structure, parser and compiler agree), else the warehouse's own model file.
 */
export function semanticModelFor(catalog: Catalog, deps: Pick<StageDeps, 'semanticModel'>): SemanticModel {
  if (deps.semanticModel) return deps.semanticModel(catalog);
  const known = defaultModels.get(catalog);
  if (known) return known;
  const schema = catalog.schemas[0] ?? '';
  const file = warehouseSemanticModel(schema, catalog, schema);
  if (!file) throw new AppError('SCHEMA_LINKING_FAILED', `No semantic model for warehouse ${schema}`);
  const model = new SemanticModel(file, catalog, schema);
  defaultModels.set(catalog, model);
  return model;
}

/** The request's language: Russian when its text (the criteria, else the offer's words) has Cyrillic. */
export function requestLanguage(text: string): Language {
  return /[а-яё]/i.test(text) ? 'ru' : 'en';
}

/**
 * Criteria a person gave as structure, as the stage stores them: checked again against the warehouse
 * (the gateway checked them on arrival, but the catalog may have changed since), each criterion's text
 * written from its structure, `source: person`. Nothing is parsed, so nothing is left unparsed.
 */
export function criteriaFromSpec(
  model: SemanticModel,
  input: readonly CriterionSpecInput[],
  language: Language,
): Criterion[] {
  const { specs, problems } = checkCriteriaSpec(model, input);
  const first = problems[0];
  if (first) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    throw new AppError('SCHEMA_LINKING_FAILED', `criteriaSpec.${first.path}: ${first.reason}${more}`);
  }
  const renderer = new CriteriaRenderer(model, language);
  return specs.map((spec) => ({
    id: spec.id,
    text: renderer.expr(spec.expr),
    kind: spec.kind,
    source: 'person',
    spec: { expr: spec.expr },
  }));
}
