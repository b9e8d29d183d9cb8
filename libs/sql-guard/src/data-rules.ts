import { outputLineage, type ColumnReads, type Lineage } from './column-scope';
import type { GuardPolicy } from './guard.types';
import { reject, shown } from './guard-rejection';
import { isObject, someNode } from './tree-walker';

/**
 * What a query may read and return (after the tree walker has checked what it may call):
 *   - no column the catalog marks as personal data, in any position, named or through `*`, a
 *     whole-row reference, USING or NATURAL (PII_COLUMN); PII the bank approved for filtering may
 *     be compared but never returned;
 *   - in generated SQL, no column known only during or after the current campaign's contact or
 *     recording its outcome, in any position (NOT_FOR_TARGETING): a segment chosen by the outcome is
 *     the outcome, not a forecast of it (the policy lists none for a person's SQL);
 *   - a segment query returns the entity's key, or a column whose foreign key leads to it, as it is:
 *     not an expression, a literal or a count (OUTPUT_NOT_ENTITY_KEY).
 * Belt and braces: a column reference named like a PII or not-for-targeting column of a relation the
 * query reads is refused even where the lineage resolves it elsewhere, so a resolution mistake cannot
 * open a leak (the executor role holds no privilege on PII columns either; on the others, which a
 * person's SQL may read, the guard is the only wall).
 */
export function checkDataRules(
  select: Record<string, unknown>,
  policy: GuardPolicy,
  relationsRead: ReadonlySet<string>,
): void {
  checkNamedLikeForbidden(select, forbiddenColumnNames(policy, relationsRead));

  const reads: ColumnReads = {
    read(lineage, what) {
      for (const source of lineage.sources) {
        if (piiKind(policy, source) === 'pii') {
          reject('PII_COLUMN', `${shown(what)} reads ${shown(source)}, which holds personal data`);
        }
        if (isNotForTargeting(policy, source)) {
          reject('NOT_FOR_TARGETING', `${shown(what)} reads ${shown(source)}, ${NOT_FOR_TARGETING}`);
        }
      }
    },
    unresolved(names) {
      // PostgreSQL decides: it refuses the query, or reads a column checkNamedLikePii let through.
      unresolved.push(names.join('.'));
    },
  };
  const unresolved: string[] = [];
  const outputs = outputLineage(select, policy, reads);

  for (const { lineage } of outputs) {
    const pii = [...lineage.sources].find((source) => piiKind(policy, source) !== null);
    if (pii !== undefined) {
      reject(
        'PII_COLUMN',
        `the query returns ${shown(pii)}, personal data that may be used for filtering only`,
      );
    }
  }
  if (policy.outputColumns === 1) {
    if (outputs.length !== 1) {
      const star = outputs.some((o) => o.name === '*') ? ', * over columns not all known' : '';
      reject(
        'OUTPUT_SHAPE',
        `a segment query returns exactly one column (the client id); this one returns ${outputs.length}${star}`,
      );
    }
    checkEntityKey(outputs[0]?.lineage, policy, unresolved);
  }
}

function checkEntityKey(output: Lineage | undefined, policy: GuardPolicy, unresolved: string[]): void {
  if (output?.key) return;
  if (policy.entityKeys.length === 0) {
    reject(
      'OUTPUT_NOT_ENTITY_KEY',
      'this warehouse names no client entity (the annotations\' "entity"), so no column can be a segment\'s output',
    );
  }
  const sources = [...(output?.sources ?? [])];
  const what =
    sources.length === 0 && unresolved.length > 0
      ? `${shown(unresolved[0] as string)}, which names no column of the relations it reads`
      : sources.length === 0
        ? 'a value computed from no column (a literal, a count, a constant)'
        : sources.length === 1
          ? `${shown(sources[0] as string)}, or a value computed from it`
          : `a value computed from ${sources.slice(0, 3).map(shown).join(', ')}`;
  reject(
    'OUTPUT_NOT_ENTITY_KEY',
    `a segment query returns the client key (${policy.entityKeys.join(', ')}) or a column whose foreign key leads to it, as it is; this one returns ${what}`,
  );
}

function piiKind(policy: GuardPolicy, source: string): 'pii' | 'filterable' | null {
  const dot = source.lastIndexOf('.');
  const info = policy.columns.get(source.slice(0, dot));
  const column = source.slice(dot + 1);
  if (info?.pii.has(column)) return 'pii';
  if (info?.piiFilterable.has(column)) return 'filterable';
  return null;
}

const NOT_FOR_TARGETING =
  "which is known only during or after the campaign's contact or records its outcome: no segment may be chosen by it";

function isNotForTargeting(policy: GuardPolicy, source: string): boolean {
  const dot = source.lastIndexOf('.');
  return policy.columns.get(source.slice(0, dot))?.notForTargeting?.has(source.slice(dot + 1)) ?? false;
}

interface Forbidden {
  code: 'PII_COLUMN' | 'NOT_FOR_TARGETING';
  /** `schema.table.column` */
  column: string;
}

/**
 * Names of the columns no query under this policy may read, of the relations the query reads: PII
 * (not approved for filtering), then those not for targeting (PII wins a name both hold).
 */
function forbiddenColumnNames(
  policy: GuardPolicy,
  relationsRead: ReadonlySet<string>,
): Map<string, Forbidden> {
  const names = new Map<string, Forbidden>();
  for (const relation of relationsRead) {
    for (const column of policy.columns.get(relation)?.notForTargeting ?? [])
      names.set(column, { code: 'NOT_FOR_TARGETING', column: `${relation}.${column}` });
  }
  for (const relation of relationsRead) {
    for (const column of policy.columns.get(relation)?.pii ?? [])
      names.set(column, { code: 'PII_COLUMN', column: `${relation}.${column}` });
  }
  return names;
}

/** Every column reference and USING name in the tree, by its last name part. */
function checkNamedLikeForbidden(tree: unknown, forbidden: ReadonlyMap<string, Forbidden>): void {
  if (forbidden.size === 0) return;
  someNode(tree, (node) => {
    const names: unknown[] = [];
    if (isObject(node.ColumnRef) && Array.isArray(node.ColumnRef.fields))
      names.push(node.ColumnRef.fields.at(-1));
    if (Array.isArray(node.usingClause)) names.push(...node.usingClause);
    for (const name of names) {
      const text = isObject(name) && isObject(name.String) ? name.String.sval : undefined;
      const found = typeof text === 'string' ? forbidden.get(text) : undefined;
      if (found?.code === 'PII_COLUMN') {
        reject(
          'PII_COLUMN',
          `${shown(text as string)} names ${shown(found.column)}, which holds personal data`,
        );
      }
      if (found?.code === 'NOT_FOR_TARGETING') {
        reject(
          'NOT_FOR_TARGETING',
          `${shown(text as string)} names ${shown(found.column)}, ${NOT_FOR_TARGETING}`,
        );
      }
    }
  });
}
