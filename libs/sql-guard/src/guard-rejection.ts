import type { GuardCode } from './guard.types';

/** Thrown inside the checks to stop at the first problem; checkSql turns it into a verdict. */
export class GuardRejection extends Error {
  constructor(
    readonly code: GuardCode,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'GuardRejection';
  }
}

export function reject(code: GuardCode, reason: string): never {
  throw new GuardRejection(code, reason);
}

/** A name as it goes into a one-line reason: quoted, shortened, invisible characters made visible. */
export function shown(name: string): string {
  const visible = name.replace(
    /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu,
    (c) => `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`,
  );
  return `"${visible.length > 80 ? `${visible.slice(0, 77)}...` : visible}"`;
}

/** Reasons are one line of bounded length, whatever the parser echoed back from the input. */
export function oneLine(text: string, max = 300): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 3)}...` : line;
}
