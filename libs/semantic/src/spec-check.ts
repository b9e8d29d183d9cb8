import type { z } from 'zod';
import { CriteriaCompiler } from './compile';
import { CompileError } from './errors';
import {
  criterionSpecSchema,
  predicateSchema,
  type Comparison,
  type CriterionSpec,
  type Predicate,
  type RowCondition,
} from './representation';
import type { SemanticModel } from './semantic-model';

/** One thing wrong with criteria given as structure, at a dot path into them (`1.expr.attr`). */
export interface SpecProblem {
  path: string;
  reason: string;
}

type Path = readonly (string | number)[];

/**
 * Criteria given as JSON (a criteria builder's, or an API client's), read against the representation,
 * then against the warehouse (R4): every attribute, table, column and code must exist, and every
 * criterion must compile. Each problem names the field it is about, so a client can point at it; the
 * criteria come back parsed only when there is none.
 */
export function checkCriteriaSpec(
  model: SemanticModel,
  input: readonly unknown[],
): { specs: CriterionSpec[]; problems: SpecProblem[] } {
  const problems: SpecProblem[] = [];
  const specs: CriterionSpec[] = [];
  input.forEach((item, index) => {
    const parsed = readCriterion(item, [index], problems);
    if (parsed) specs.push(parsed);
  });
  if (problems.length > 0) return { specs: [], problems };
  const compiler = new CriteriaCompiler(model);
  specs.forEach((spec, index) => checkExpr(model, compiler, spec.expr, [index, 'expr'], problems));
  if (problems.length === 0) {
    try {
      compiler.segment(specs);
    } catch (error) {
      if (!(error instanceof CompileError)) throw error;
      problems.push({ path: '', reason: error.message });
    }
  }
  return { specs: problems.length === 0 ? specs : [], problems };
}

/** The representation's shape, walked by hand where its unions would only say "no branch matched". */
function readCriterion(item: unknown, at: Path, problems: SpecProblem[]): CriterionSpec | null {
  const { expr, ...rest } = typeof item === 'object' && item !== null ? (item as { expr?: unknown }) : {};
  const shell = criterionSpecSchema.omit({ expr: true }).safeParse(rest);
  const before = problems.length;
  if (!shell.success) pushIssues(shell.error.issues, at, problems);
  readExpr(expr, [...at, 'expr'], problems);
  if (problems.length > before) return null;
  return criterionSpecSchema.parse(item);
}

function readExpr(expr: unknown, at: Path, problems: SpecProblem[]): void {
  if (typeof expr !== 'object' || expr === null || Array.isArray(expr)) {
    problems.push({ path: dot(at), reason: 'Must be a predicate object or {and}, {or}, {not}' });
    return;
  }
  const keys = Object.keys(expr);
  const record = expr as Record<string, unknown>;
  if ('type' in record) {
    const parsed = predicateSchema.safeParse(expr);
    if (!parsed.success) pushIssues(parsed.error.issues, at, problems);
    return;
  }
  const op = keys.length === 1 ? keys[0] : undefined;
  if (op === 'not') return readExpr(record['not'], [...at, 'not'], problems);
  if (op === 'and' || op === 'or') {
    const list = record[op];
    if (!Array.isArray(list) || list.length === 0) {
      problems.push({ path: dot([...at, op]), reason: 'Must be a non-empty array of expressions' });
      return;
    }
    list.forEach((child, i) => readExpr(child, [...at, op, i], problems));
    return;
  }
  problems.push({
    path: dot(at),
    reason: 'Must have `type` (attr, related, aggregate) or be exactly one of {and}, {or}, {not}',
  });
}

/** Zod issues as problems; a union's issue is replaced by those of the branch that got furthest. */
function pushIssues(issues: readonly z.core.$ZodIssue[], at: Path, problems: SpecProblem[]): void {
  for (const issue of issues) {
    const path = [...at, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const depth = (branch: readonly z.core.$ZodIssue[]) => Math.max(...branch.map((i) => i.path.length));
      const best = [...issue.errors].sort((a, b) => depth(b) - depth(a) || a.length - b.length)[0];
      if (best && best.length > 0 && depth(best) > 0) {
        pushIssues(best, path, problems);
        continue;
      }
    }
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) problems.push({ path: dot([...path, key]), reason: 'Unrecognized key' });
      continue;
    }
    problems.push({ path: dot(path), reason: issue.message });
  }
}

/** What the warehouse must have for one expression, then whether each predicate compiles. */
function checkExpr(
  model: SemanticModel,
  compiler: CriteriaCompiler,
  expr: CriterionSpec['expr'],
  at: Path,
  problems: SpecProblem[],
): void {
  if ('and' in expr)
    return expr.and.forEach((e, i) => checkExpr(model, compiler, e, [...at, 'and', i], problems));
  if ('or' in expr)
    return expr.or.forEach((e, i) => checkExpr(model, compiler, e, [...at, 'or', i], problems));
  if ('not' in expr) return checkExpr(model, compiler, expr.not, [...at, 'not'], problems);
  const before = problems.length;
  checkNames(model, expr, at, problems);
  if (problems.length > before) return;
  try {
    compiler.predicate(expr);
  } catch (error) {
    if (!(error instanceof CompileError)) throw error;
    problems.push({ path: dot(at), reason: error.message });
  }
}

function checkNames(model: SemanticModel, predicate: Predicate, at: Path, problems: SpecProblem[]): void {
  const column = (ref: string, path: Path) => {
    const [table = '', name = ''] = ref.split('.');
    if (!model.graph.hasColumn(table, name)) {
      problems.push({ path: dot(path), reason: `No column ${ref} in the warehouse` });
      return false;
    }
    return true;
  };
  const condition = (cond: RowCondition, path: Path): void => {
    if ('all' in cond) return cond.all.forEach((c, i) => condition(c, [...path, 'all', i]));
    if ('any' in cond) return cond.any.forEach((c, i) => condition(c, [...path, 'any', i]));
    if ('not' in cond) return condition(cond.not, [...path, 'not']);
    if (column(cond.column, [...path, 'column']))
      codes(model, cond.column, cond.cmp, [...path, 'cmp'], problems);
  };
  const table = (name: string, path: Path) => {
    if (!model.graph.table(name))
      problems.push({ path: dot(path), reason: `No table ${name} in the warehouse` });
  };
  switch (predicate.type) {
    case 'attr': {
      const attribute = model.attribute(predicate.attr);
      if (!attribute) {
        problems.push({
          path: dot([...at, 'attr']),
          reason: `No attribute ${predicate.attr} in the semantic model`,
        });
        return;
      }
      if (attribute.type === 'boolean' && predicate.cmp) {
        problems.push({
          path: dot([...at, 'cmp']),
          reason: `${predicate.attr} is a yes/no attribute: no comparison (wrap it in {not} for its absence)`,
        });
      }
      if (attribute.type !== 'boolean' && !predicate.cmp) {
        problems.push({
          path: dot([...at, 'cmp']),
          reason: `Attribute ${predicate.attr} needs a comparison`,
        });
      }
      if (predicate.where) condition(predicate.where, [...at, 'where']);
      return;
    }
    case 'related':
      if (predicate.table !== undefined) table(predicate.table, [...at, 'table']);
      if (predicate.where) condition(predicate.where, [...at, 'where']);
      if (predicate.window) column(predicate.window.column, [...at, 'window', 'column']);
      return;
    case 'aggregate':
      table(predicate.table, [...at, 'table']);
      if (predicate.column !== undefined) column(predicate.column, [...at, 'column']);
      if (predicate.where) condition(predicate.where, [...at, 'where']);
      if (predicate.share) condition(predicate.share, [...at, 'share']);
      if (predicate.window) column(predicate.window.column, [...at, 'window', 'column']);
      return;
  }
}

/** The codes a column is known to hold: its labels in the model and its catalog value index. */
export function knownCodes(model: SemanticModel, ref: string): Set<string> | null {
  const labelled = Object.keys(model.labelsOf(ref));
  const indexed = model.graph.column(ref)?.values ?? [];
  if (labelled.length === 0 && indexed.length === 0) return null;
  return new Set([...labelled, ...indexed]);
}

/** A code compared with a coded column must be one it holds: a misspelt code matches nobody, silently. */
function codes(model: SemanticModel, ref: string, cmp: Comparison, at: Path, problems: SpecProblem[]): void {
  const known = knownCodes(model, ref);
  if (known === null) return;
  const check = (value: unknown, path: Path) => {
    if (typeof value === 'string' && !known.has(value)) {
      problems.push({ path: dot(path), reason: `No code ${JSON.stringify(value)} in ${ref}` });
    }
  };
  if (cmp.op === 'eq' || cmp.op === 'ne') check(cmp.value, [...at, 'value']);
  if (cmp.op === 'in' || cmp.op === 'not_in') cmp.values.forEach((v, i) => check(v, [...at, 'values', i]));
}

function dot(path: Path): string {
  return path.join('.');
}
