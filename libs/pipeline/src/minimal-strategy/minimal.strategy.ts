import type { PipelineStrategy } from '../strategy';
import { MinimalCriteriaStrategy } from './minimal-criteria.strategy';
import { MinimalLinkingStrategy } from './minimal-linking.strategy';
import { loadMinimalRules, type MinimalRules } from './minimal-rules.schema';
import { MinimalSqlStrategy } from './minimal-sql.strategy';

/** The minimal deterministic strategy over a rule table (by default `config/rules/minimal-criteria.json`). */
export function createMinimalStrategy(rules: MinimalRules = loadMinimalRules()): PipelineStrategy {
  return {
    name: 'minimal',
    criteria: new MinimalCriteriaStrategy(rules),
    linking: new MinimalLinkingStrategy(),
    sql: new MinimalSqlStrategy(),
  };
}
