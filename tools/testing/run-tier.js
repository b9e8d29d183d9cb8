/* global console */
// Runs one tier's specs of one project (the Nx targets test-unit and test-integration call it), or of
// the whole repository without a project root:
//   node tools/testing/run-tier.js unit|integration [projectRoot] [-- jest options]
// With no spec of that tier in the project it says so and succeeds without starting Jest.
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');
const { classify, ROOT } = require('./test-tiers.js');

const [tier, ...rest] = process.argv.slice(2);
const dash = rest.indexOf('--');
const roots = dash === -1 ? rest : rest.slice(0, dash);
const jestOptions = dash === -1 ? [] : rest.slice(dash + 1);
if (tier !== 'unit' && tier !== 'integration') {
  console.error('usage: node tools/testing/run-tier.js unit|integration [projectRoot...] [-- jest options]');
  process.exit(2);
}

const split = classify(roots);
const specs = tier === 'unit' ? split.unit : split.integration.map(([file]) => file);
const where = roots.length > 0 ? roots.join(', ') : 'the repository';
if (specs.length === 0) {
  console.log(`no ${tier} specs in ${where}`);
  process.exit(0);
}

const args = [
  join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'),
  '--config',
  join(ROOT, `jest.${tier}.config.js`),
  '--ci',
  // A project's unit specs run in one process: Nx runs two projects at a time on two cores.
  ...(tier === 'unit' && roots.length > 0 ? ['--runInBand'] : []),
  ...jestOptions,
  '--runTestsByPath',
  ...specs,
];
const result = spawnSync(process.execPath, args, {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, T2S_TIER_SPECS_CHOSEN: '1' },
});
process.exit(result.status ?? 1);
