// Nx plugin: gives every project (each project.json) the two test tiers as targets, so a new library
// is tested without anyone remembering to add them. nx.json's targetDefaults add caching and inputs.
//   test-unit         the project's unit specs (no service, no process), Jest in band
//   test-integration  the project's integration specs, against TEST_DATABASE_URL and REDIS_URL
// tools/testing/run-tier.js picks the project's specs of the tier (tools/testing/test-tiers.js).
const { dirname } = require('node:path');

module.exports = {
  name: 't2s-test-tiers',
  createNodesV2: [
    '**/project.json',
    (projectFiles) =>
      projectFiles.map((file) => {
        const root = dirname(file);
        const target = (tier) => ({
          command: `node tools/testing/run-tier.js ${tier} ${root}`,
          metadata: { description: `The ${tier} specs of ${root} (see the README, "Tests")` },
        });
        return [
          file,
          {
            projects: {
              [root]: { targets: { 'test-unit': target('unit'), 'test-integration': target('integration') } },
            },
          },
        ];
      }),
  ],
};
