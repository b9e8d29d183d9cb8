// Texts nobody wrote for the parser (see criteria-parser.robustness.spec.ts): BIRD mini-dev's questions and
// evidence, and the eval set's offers and criteria, mangled at random but reproducibly.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const birdDir = process.env.BIRD_DIR ?? resolve(__dirname, '../../../../..', 'shared/datasets/bird-minidev');

interface BirdQuestion {
  question: string;
  evidence: string;
}

export function birdTexts(): string[] {
  const questions = JSON.parse(
    readFileSync(join(birdDir, 'mini_dev_postgresql.json'), 'utf8'),
  ) as BirdQuestion[];
  return questions.flatMap((q) => [q.question, q.evidence].filter((t) => t.trim().length > 0));
}

/** Offers' and criteria texts of the eval set, as they are written. */
export function evalTexts(): string[] {
  const dir = resolve(__dirname, '../../../..', 'eval/cases/bank');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => {
      const c = JSON.parse(readFileSync(join(dir, f), 'utf8')) as {
        criteria?: string;
        offer: { title: string; description?: string };
      };
      return [c.criteria, c.offer.title, c.offer.description].filter((t): t is string => Boolean(t));
    });
}

/** A deterministic generator (mulberry32), so a failure names a text that fails again. */
export function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function mangle(text: string, next: () => number): string {
  const words = text.split(/\s+/).filter(Boolean);
  const from = Math.floor(next() * words.length);
  const to = from + 1 + Math.floor(next() * (words.length - from));
  let part = words.slice(from, to);
  if (next() < 0.3) part = part.flatMap((w) => (next() < 0.2 ? [w, w] : [w]));
  let out = part.join(' ');
  if (next() < 0.3) out = out.replace(/[.,;:!?«»"()—-]/g, ' ');
  if (next() < 0.2) out = out.toUpperCase();
  return out;
}
