import globals from 'globals';
// ESLint flat config. Module boundaries follow the `layer:` tag in each project.json (README,
// "Tests" has the table): contracts and base at the bottom, then the domain (catalog, guard, semantic
// model, precedents, the strategy interface), the strategies and the infrastructure adapters beside
// each other, the pipeline over both, the runtime libraries over the pipeline, and the apps on top.
// A project depends only on the layers its rule lists. Libraries are imported through their public
// index.ts only.
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

// Each layer and the layers it builds on directly (itself, when its projects use each other); it may
// also use whatever those build on.
const BUILDS_ON = {
  contracts: [],
  base: [],
  domain: ['domain', 'base', 'contracts'],
  strategy: ['strategy', 'domain'],
  infra: ['infra', 'domain'],
  pipeline: ['strategy', 'infra'],
  runtime: ['pipeline'],
  app: ['runtime'],
  deploy: [],
};
function usable(layer, seen = new Set()) {
  for (const under of BUILDS_ON[layer]) {
    if (seen.has(under)) continue;
    seen.add(under);
    usable(under, seen);
  }
  return seen;
}
const LAYER_CONSTRAINTS = Object.keys(BUILDS_ON).map((layer) => ({
  sourceTag: `layer:${layer}`,
  onlyDependOnLibsWithTags: [...usable(layer)].map((under) => `layer:${under}`),
}));

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.t2s/**', 'coverage/**', 'tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: LAYER_CONSTRAINTS,
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    languageOptions: {
      globals: { process: 'readonly', module: 'writable', require: 'readonly', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Services log through @t2s/telemetry's pino logger (JSON, with ids and the trace id), never the
    // console; the CLI's output, the benches and the specs print as they like.
    files: ['libs/**/*.ts', 'apps/**/*.ts'],
    ignores: ['apps/cli/**', '**/bench/**', '**/*.spec.ts', '**/testing/**'],
    rules: { 'no-console': 'error' },
  },
  {
    // The review console runs in the browser, as plain ES modules (no build step).
    files: ['apps/gateway/console/**/*.js'],
    languageOptions: { sourceType: 'module', globals: globals.browser },
  },
  prettier,
);
