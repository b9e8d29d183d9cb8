// The Jest settings every run shares, over every project's specs. The two tiers build on it
// (jest.unit.config.js, jest.integration.config.js: `npm run test:unit`, `npm run test:integration`,
// through Nx); `npm run test:faults` uses it as it is, for the fault scenarios.
const { pathsToModuleNameMapper } = require('./tools/jest-paths.js');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/deploy'],
  testMatch: ['**/*.spec.ts'],
  // Fault scenarios hold outages for a minute: their own script (npm run test:faults), run by CI too.
  testPathIgnorePatterns: ['/node_modules/', '\\.fault\\.spec\\.ts$'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2023',
          parser: { syntax: 'typescript', decorators: true },
          // NestJS needs legacy decorators with design-time type metadata, as tsconfig declares.
          transform: { legacyDecorator: true, decoratorMetadata: true },
        },
      },
    ],
  },
  moduleNameMapper: pathsToModuleNameMapper(),
  testTimeout: 60000,
  maxWorkers: 2,
};
