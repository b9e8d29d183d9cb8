/**
 * Coded values a column comment documents, in the conventions warehouses are documented in:
 *   - `Значения: CODE — метка; CODE — метка.` (and `например CODE — метка, CODE — метка`);
 *   - `"POPLATEK MESICNE" stands for monthly issuance, 'A' stands for contract finished`;
 *   - `(categorical: "married","divorced"; note: "divorced" means divorced or widowed)`,
 *     `(binary: "yes","no")`, `possible values are "junior", "classic"`.
 */
export interface CommentCode {
  value: string;
  /** What the code means, when the comment says ("мужской", "monthly issuance"); else the code names itself. */
  label?: string;
}

export interface CommentCodes {
  /** `labelled`: code — meaning; `listed`: the values alone; `binary`: a yes/no pair. */
  kind: 'labelled' | 'listed' | 'binary';
  codes: CommentCode[];
  /** False for examples ("например") or an elided list ("..."): other codes exist. */
  complete: boolean;
}

const DASH = String.raw`\s+[—–-]\s+`;
const CODE = String.raw`[\p{L}\p{N}_.+/-]+`;

/** The coded values a comment documents, or null when it documents none. */
export function commentCodes(comment: string | null | undefined): CommentCodes | null {
  const text = comment ?? '';
  return russianValues(text) ?? standsFor(text) ?? quotedList(text);
}

/** `Значения: M — мужской; F — женский.` (complete), `например 77 — Москва, GROCERY — супермаркеты` (examples). */
function russianValues(text: string): CommentCodes | null {
  const listed = /Значения:\s*(.+)$/su.exec(text);
  if (listed) {
    const codes = pairs((listed[1] as string).split(/;\s*/));
    if (codes.length > 0) return { kind: 'labelled', codes, complete: true };
  }
  const examples = /(?:например|e\.g\.|for example)[,:]?\s+(.+)$/isu.exec(text);
  if (examples) {
    const codes = pairs((examples[1] as string).split(/[,;]\s*/));
    if (codes.length > 0) return { kind: 'labelled', codes, complete: false };
  }
  return null;
}

function pairs(parts: string[]): CommentCode[] {
  const pattern = new RegExp(String.raw`^(${CODE})${DASH}(.+?)\.?$`, 'u');
  return parts
    .map((part) => pattern.exec(part.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ value: m[1] as string, label: cleanLabel(m[2] as string) }))
    .filter((code) => code.label.length > 0);
}

/** `"POPLATEK MESICNE" stands for monthly issuance, 'A' stands for contract finished, no problems;` */
function standsFor(text: string): CommentCodes | null {
  const codes = [
    ...text.matchAll(/["']([^"']+)["']\s+stands for\s+(.+?)(?=[,;]\s*["']|[;.]\s|[;.)]?$)/gu),
  ].map((m) => ({ value: m[1] as string, label: cleanLabel(m[2] as string) }));
  return codes.length > 0 ? { kind: 'labelled', codes, complete: true } : null;
}

/**
 * `(categorical: "a","b", ..., "z"; note: "a" means x)`, `(binary: "yes","no")`, `possible values are
 * "junior", "classic", "gold"`, `the values in the data are "OWNER" and "DISPONENT"`.
 */
function quotedList(text: string): CommentCodes | null {
  const match =
    /\((categorical|binary|values?|one of)\s*:\s*([^;)]*)/iu.exec(text) ??
    /(?:possible values|values?)(?: in the data)?\s+(?:are|is)\s*:?\s*((?:["'][^"']*["'][\s,]*(?:and|or|\.{3})?[\s,]*)+)/iu.exec(
      text,
    );
  if (!match) return null;
  const kind = match.length === 3 && /binary/i.test(match[1] as string) ? 'binary' : 'listed';
  const list = match[match.length - 1] as string;
  const values = [...list.matchAll(/["']([^"']+)["']/gu)].map((m) => m[1] as string);
  if (values.length < 2) return null;
  // `note: "divorced" means divorced or widowed`: a meaning given after the list.
  const meanings = new Map(
    [...text.matchAll(/["']([^"']+)["']\s+means\s+(.+?)(?=[;.)]|$)/gu)].map((m) => [
      m[1] as string,
      cleanLabel(m[2] as string),
    ]),
  );
  const codes = [...new Set(values)].map((value) => {
    const label = meanings.get(value);
    return label ? { value, label } : { value };
  });
  return {
    kind: kind === 'binary' && codes.length === 2 ? 'binary' : 'listed',
    codes,
    complete: !/\.{3}|…/.test(list),
  };
}

/** A meaning without its trailing dot and bracketed detail: "массовый плюс (доход от 150 тыс.)" -> "массовый плюс". */
export function cleanLabel(label: string): string {
  return label
    .replace(/\s*\([^)]*\)/gu, '')
    .replace(/[.;,]+$/u, '')
    .trim();
}

const YES = /^(yes|y|true|t|1|да|д)$/iu;

/** The code of the "yes" side of a binary pair ("yes" of "yes","no"), if one is. */
export function yesCode(codes: CommentCodes): string | undefined {
  return codes.kind === 'binary' ? codes.codes.find((c) => YES.test(c.value))?.value : undefined;
}
