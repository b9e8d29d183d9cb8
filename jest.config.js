// One Jest run over every project; tests talk to the real PostgreSQL (and later Redis) on this machine.
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
