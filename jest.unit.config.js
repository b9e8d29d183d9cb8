// The unit tier (`npm run test:unit`): the specs that need no PostgreSQL, no Redis and no other
// process and are light enough for the fast tier, as tools/testing/test-tiers.js sorts them. They run
// under an environment that fails a spec which reaches a service or starts a process anyway, so they
// pass with the machine's PostgreSQL and Redis stopped.
const base = require('./jest.config.js');
const { classify, exactPathPatterns } = require('./tools/testing/test-tiers.js');

// tools/testing/run-tier.js names the specs itself; `npx jest -c jest.unit.config.js` sorts them here.
const others = process.env.T2S_TIER_SPECS_CHOSEN ? [] : classify().integration.map(([file]) => file);

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testEnvironment: '<rootDir>/tools/testing/unit-environment.js',
  testPathIgnorePatterns: [...base.testPathIgnorePatterns, ...exactPathPatterns(others)],
  // A unit spec that waits this long is waiting for something it should not need.
  testTimeout: 20000,
  reporters: ['default', '<rootDir>/tools/testing/unit-budget-reporter.js'],
};
