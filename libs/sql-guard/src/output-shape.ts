import { reject } from './guard-rejection';
import { isObject } from './tree-walker';

function isStar(target: unknown): boolean {
  const value = isObject(target) && isObject(target.ResTarget) ? target.ResTarget.val : undefined;
  if (!isObject(value)) return false;
  const path = isObject(value.ColumnRef)
    ? value.ColumnRef.fields
    : isObject(value.A_Indirection)
      ? value.A_Indirection.indirection
      : undefined;
  const last: unknown = Array.isArray(path) ? path[path.length - 1] : undefined;
  return isObject(last) && 'A_Star' in last;
}

/**
 * A segment query returns one column, the client id. For a set operation the leftmost SELECT decides
 * the columns (PostgreSQL checks that the other arms match).
 */
export function checkSingleColumn(select: Record<string, unknown>): void {
  let arm = select;
  while (arm.op !== undefined && arm.op !== 'SETOP_NONE' && isObject(arm.larg)) arm = arm.larg;

  if (Array.isArray(arm.valuesLists)) {
    const row: unknown = arm.valuesLists[0];
    const items = isObject(row) && isObject(row.List) && Array.isArray(row.List.items) ? row.List.items : [];
    if (items.length !== 1) {
      reject(
        'OUTPUT_SHAPE',
        `a segment query returns exactly one column (the client id); VALUES gives ${items.length}`,
      );
    }
    return;
  }
  const targets = Array.isArray(arm.targetList) ? arm.targetList : [];
  if (targets.some(isStar)) {
    reject('OUTPUT_SHAPE', 'a segment query returns exactly one column (the client id); * returns them all');
  }
  if (targets.length !== 1) {
    reject(
      'OUTPUT_SHAPE',
      `a segment query returns exactly one column (the client id); this one returns ${targets.length}`,
    );
  }
}
