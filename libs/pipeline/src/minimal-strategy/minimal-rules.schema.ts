import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * The minimal strategy's rule table (`config/rules/minimal-criteria.json`). Kept as data so product
 * people can add a keyword or change an age band without a code change; validated on load so a typo
 * fails at start-up, not in the middle of a run.
 */
const paramValue = z.union([z.number(), z.string(), z.array(z.string())]);

const criterionRef = z.object({
  template: z.string().min(1),
  kind: z.enum(['include', 'exclude']).default('include'),
  /** `$channel` is replaced by the offer's channel. */
  params: z.record(z.string(), paramValue).default({}),
});

export const minimalRulesSchema = z.object({
  version: z.literal(1),
  templates: z.record(
    z.string(),
    z.object({
      /** Readable criterion; `{param}` placeholders. */
      text: z.string().min(1),
      /** A SELECT returning `client_id`; `{t:table}` names a catalog table, `{param}` a parameter. */
      sql: z.string().min(1),
    }),
  ),
  offerRules: z.array(
    z.object({ keywords: z.array(z.string().min(1)).min(1), criteria: z.array(criterionRef) }),
  ),
  standard: z.array(criterionRef),
  phrases: z.array(
    criterionRef.extend({
      /** Case-insensitive regular expression; `$1`, `$2`... in params are its groups. */
      pattern: z.string().min(1),
    }),
  ),
});

export type MinimalRules = z.infer<typeof minimalRulesSchema>;
export type RuleCriterion = z.infer<typeof criterionRef>;
export type ParamValue = z.infer<typeof paramValue>;

export const DEFAULT_RULES_FILE = 'config/rules/minimal-criteria.json';

/** Reads and validates the rule table (relative paths from the current directory, as config files are). */
export function loadMinimalRules(file = DEFAULT_RULES_FILE): MinimalRules {
  const parsed = minimalRulesSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`rules file ${file}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  const rules = parsed.data;
  const refs = [...rules.standard, ...rules.phrases, ...rules.offerRules.flatMap((rule) => rule.criteria)];
  for (const ref of refs) {
    if (!Object.hasOwn(rules.templates, ref.template)) {
      throw new Error(`rules file ${file}: unknown template "${ref.template}"`);
    }
  }
  for (const phrase of rules.phrases) new RegExp(phrase.pattern, 'iu'); // throws on a bad pattern
  return rules;
}
