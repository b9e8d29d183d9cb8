// The integration tier (`npm run test:integration`): the specs that use PostgreSQL, Redis or other
// processes (the service's own, prometheus, chromium), and the few corpus specs too heavy for the fast
// tier, as tools/testing/test-tiers.js sorts them. `npm test` runs it under
// tools/testing/with-services.js, which provides PostgreSQL and Redis (TEST_DATABASE_URL, REDIS_URL).
const base = require('./jest.config.js');
const { classify, exactPathPatterns } = require('./tools/testing/test-tiers.js');

// tools/testing/run-tier.js names the specs itself; `npx jest -c jest.integration.config.js` sorts them here.
const others = process.env.T2S_TIER_SPECS_CHOSEN ? [] : classify().unit;

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testPathIgnorePatterns: [...base.testPathIgnorePatterns, ...exactPathPatterns(others)],
};
