import type { ScanToken } from './pg-parser';

/**
 * An upper estimate of how deep the parse tree of a token stream goes, computed before parsing.
 *
 * Parsing itself is iterative (bison), but writing the tree out recurses once per tree level on the
 * native stack, and a stack overflow inside the WebAssembly damages the parser instance (see
 * pg-parser.ts). Depth comes from two things: brackets (`(`, `[`, CASE ... END) and chains of
 * operators within one bracket level, which the grammar builds left-deep (`1+1+1`, `a::t::t`,
 * `x COLLATE c COLLATE c`, `NOT NOT`, `a UNION b UNION c`, `a JOIN b JOIN c`).
 *
 * The estimate over-counts on purpose: every token that is not a name, a constant or a comment counts
 * one level at its bracket level. Commas, AND, OR, WHEN, THEN and ELSE start a new chain (the parser
 * builds flat lists for those), except that set operations and joins keep counting across them.
 * Real queries stay far below the limit (the BIRD gold queries peak at 55). Measured with Node's
 * default stack, the first crash comes at an estimate of about 3,800 (a COLLATE chain, the costliest
 * level per token); most shapes crash only above 5,000. The robustness spec checks every shape.
 */
export const MAX_NESTING_ESTIMATE = 1000;

const LEVEL_COST = 4;
const OPENERS = new Set(['(', '[', 'case']);
const CLOSERS = new Set([')', ']', 'end']);
const CHAIN_BREAKERS = new Set([',', 'and', 'or', 'when', 'then', 'else']);
const STICKY = new Set(['union', 'intersect', 'except', 'join']);
const LEAVES = new Set([
  'IDENT',
  'UIDENT',
  'ICONST',
  'FCONST',
  'SCONST',
  'USCONST',
  'BCONST',
  'XCONST',
  'PARAM',
  'SQL_COMMENT',
  'C_COMMENT',
]);

interface Level {
  chain: number;
  sticky: number;
}

export function nestingEstimate(tokens: readonly ScanToken[]): number {
  let levels: Level[] = [{ chain: 0, sticky: 0 }];
  let total = LEVEL_COST;
  let highest = total;
  for (const token of tokens) {
    if (LEAVES.has(token.tokenName)) continue;
    const word = token.keywordKind > 0 ? token.text.toLowerCase() : token.text;
    const level = levels[levels.length - 1] as Level;
    if (word === ';') {
      levels = [{ chain: 0, sticky: 0 }];
      total = LEVEL_COST;
    } else if (OPENERS.has(word)) {
      level.chain += 1;
      levels.push({ chain: 0, sticky: 0 });
      total += 1 + LEVEL_COST;
    } else if (CLOSERS.has(word)) {
      if (levels.length > 1) {
        levels.pop();
        total -= LEVEL_COST + level.chain + level.sticky;
      }
    } else if (CHAIN_BREAKERS.has(word)) {
      total -= level.chain;
      level.chain = 0;
    } else if (STICKY.has(word)) {
      level.sticky += 1;
      total += 1;
    } else {
      level.chain += 1;
      total += 1;
    }
    if (total > highest) highest = total;
  }
  return highest;
}
