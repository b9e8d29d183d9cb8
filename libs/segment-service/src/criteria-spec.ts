import { isNotForTargeting } from '@t2s/catalog';
import {
  AppError,
  type AttributeView,
  type CodedColumn,
  type CriterionSpecInput,
  type WarehouseAttributes,
} from '@t2s/contracts';
import { checkCriteriaSpec, knownCodes, type Attribute, type SemanticModel } from '@t2s/semantic';
import type { WarehouseModels } from './warehouse-models';

export type ModelLookup = Pick<WarehouseModels, 'model'>;

/**
 * INVALID_REQUEST unless criteria given as structure compile on the warehouse (R4), one detail per
 * problem at its path under `path` (`criteriaSpec.1.expr.attr`). Checked before anything is stored, so a
 * builder's mistake is answered at once rather than as a failed run.
 */
export async function checkCriteriaSpecOn(
  models: ModelLookup,
  warehouse: string,
  criteriaSpec: readonly CriterionSpecInput[],
  path = 'criteriaSpec',
): Promise<void> {
  let model: SemanticModel;
  try {
    model = await models.model(warehouse);
  } catch (error) {
    if (!AppError.is(error) || error.code !== 'SCHEMA_LINKING_FAILED') throw error;
    throw new AppError('INVALID_REQUEST', `Criteria as structure need a semantic model: ${error.message}`, {
      details: [{ path, reason: error.message }],
    });
  }
  const { problems } = checkCriteriaSpec(model, criteriaSpec);
  if (problems.length === 0) return;
  const details = problems.map((p) => ({
    path: p.path === '' ? path : `${path}.${p.path}`,
    reason: p.reason,
  }));
  const [first] = details;
  const more = details.length > 1 ? ` (and ${details.length - 1} more)` : '';
  throw new AppError(
    'INVALID_REQUEST',
    `The criteria do not fit warehouse ${warehouse}: ${first?.path}: ${first?.reason}${more}`,
    { details },
  );
}

/** Values of a column without labels in the model, at most, for it to be listed as codes. */
const MAX_UNLABELLED_CODES = 30;
const COMPARED = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between'] as const;
const DATED = ['gt', 'gte', 'lt', 'lte', 'between'] as const;

/** `GET /v1/warehouses/{name}/attributes`: what a criteria builder completes from. */
export async function warehouseAttributes(
  models: ModelLookup,
  warehouse: string,
): Promise<WarehouseAttributes> {
  let model: SemanticModel;
  try {
    model = await models.model(warehouse);
  } catch (error) {
    if (!AppError.is(error) || error.code !== 'SCHEMA_LINKING_FAILED') throw error;
    throw new AppError('NOT_FOUND', error.message);
  }
  return {
    warehouse,
    attributes: model.allAttributes().map(attributeView),
    columns: codedColumns(model),
  };
}

function attributeView(attribute: Attribute): AttributeView {
  return {
    name: attribute.name,
    label: attribute.label,
    ...(attribute.unit === undefined ? {} : { unit: attribute.unit }),
    type: attribute.type,
    operators: attribute.type === 'boolean' ? [] : [...(attribute.type === 'date' ? DATED : COMPARED)],
    window: attribute.measure.kind !== 'scalar',
  };
}

/**
 * Columns of coded values: labelled in the model, or value-indexed in the catalog (few distinct values),
 * never personal data nor what is known only after a campaign's contact; codes with the model's words.
 */
function codedColumns(model: SemanticModel): CodedColumn[] {
  const refs = new Set(Object.keys(model.file.labels));
  for (const table of model.catalog.tables) {
    if (table.schema !== model.schema) continue;
    // Few values make a code list; many (account numbers, names) are no list to pick from.
    for (const column of table.columns) {
      const count = column.values?.length ?? 0;
      if (count > 0 && count <= MAX_UNLABELLED_CODES) refs.add(`${table.name}.${column.name}`);
    }
  }
  const columns: CodedColumn[] = [];
  for (const ref of [...refs].sort()) {
    const column = model.graph.column(ref);
    // No values of personal data, even of a column criteria may filter by.
    if (!column || column.pii || isNotForTargeting(column)) continue;
    const labels = model.labelsOf(ref);
    const codes = [...(knownCodes(model, ref) ?? [])];
    columns.push({
      column: ref,
      comment: column.comment,
      values: codes.map((code) => {
        const terms = labels[code];
        const ru = terms?.ru[0] ?? terms?.en[0];
        const en = terms?.en[0] ?? terms?.ru[0];
        return ru && en ? { code, label: { ru, en } } : { code };
      }),
    });
  }
  return columns;
}
