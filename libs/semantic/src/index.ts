// The public API of @t2s/semantic: a warehouse's semantic layer (entity, key graph, business
// attributes, labels of coded values), the criteria representation, and its compiler to SQL and
// renderer to Russian or English text.

export * from './representation';
export {
  semanticModelSchema,
  attributeSchema,
  measureSchema,
  termsSchema,
  type SemanticModelFile,
  type Attribute,
  type Measure,
  type Terms,
} from './semantic-model.schema';
export { SemanticModel, SemanticModelError, findSemanticModelFile } from './semantic-model';
export { findOutcomesSpec, outcomesSql } from './outcomes-spec';
export { outcomesSpecSchema, type OutcomesSpec } from './semantic-model.schema';
export { bootstrapSemanticModel } from './bootstrap/bootstrap-model';
export { mergeSemanticModels } from './bootstrap/merge-model';
export { CURRENCY_UNITS, unitFromComment, type Unit } from './bootstrap/units';
export {
  warehouseSemanticModel,
  parseModelSource,
  MODEL_SOURCES,
  type ModelSource,
} from './bootstrap/model-source';
export { SchemaGraph, type Step, type KeyStep, type BridgeStep } from './schema-graph';
export { CriteriaCompiler, CompileError, compare } from './compile';
export {
  countedSegmentSql,
  cteName,
  cteNames,
  funnelOf,
  segmentEntity,
  segmentSql,
  MAX_COUNTED_CRITERIA,
  type CriterionQuery,
  type FunnelCounts,
  type SegmentEntity,
} from './segment-sql';
export { inlineReportDate, reportDateSql, reportDateWriter } from './report-date';
export { CriteriaRenderer, type Language } from './render';
export {
  NO_REFERENCES,
  orElse,
  referenceRows,
  type ReferenceScalar,
  type ReferenceValues,
} from './render-references';
export { renderingFaults, type RenderingFault } from './rendering-faults';
export { checkCriteriaSpec, knownCodes, type SpecProblem } from './spec-check';
export {
  ClientExplainer,
  type ClientExplanation,
  type ExplainedCriterion,
  type ExplainPart,
  type ExplainQuery,
  type ReadValue,
} from './explain';
export {
  PortraitBuilder,
  portraitOf,
  type Portrait,
  type PortraitBucket,
  type PortraitCounts,
  type PortraitLine,
} from './portrait';
