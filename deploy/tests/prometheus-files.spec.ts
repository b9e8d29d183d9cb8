// The Prometheus files parse and name what the stack runs (promtool checks their semantics in
// `npm run test:ops`).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const deploy = join(__dirname, '..');

describe('deploy/prometheus', () => {
  it('scrapes the gateway, the workers and the inference pool, and loads the alert rules', () => {
    const config = parse(readFileSync(join(deploy, 'prometheus/prometheus.yml'), 'utf8')) as {
      rule_files: string[];
      scrape_configs: { job_name: string }[];
    };
    expect(config.rule_files).toEqual(['alerts.yml']);
    expect(config.scrape_configs.map((s) => s.job_name)).toEqual([
      't2s-gateway',
      't2s-worker',
      't2s-inference-pool',
    ]);
  });
});
