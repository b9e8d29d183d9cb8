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
          depConstraints: [
            { sourceTag: 'layer:contracts', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'layer:base', onlyDependOnLibsWithTags: [] },
            {
              sourceTag: 'layer:domain',
              onlyDependOnLibsWithTags: ['layer:domain', 'layer:base', 'layer:contracts'],
            },
            {
              sourceTag: 'layer:strategy',
              onlyDependOnLibsWithTags: ['layer:strategy', 'layer:domain', 'layer:base', 'layer:contracts'],
            },
            {
              sourceTag: 'layer:infra',
              onlyDependOnLibsWithTags: ['layer:infra', 'layer:domain', 'layer:base', 'layer:contracts'],
            },
            {
              sourceTag: 'layer:pipeline',
              onlyDependOnLibsWithTags: [
                'layer:strategy',
                'layer:infra',
                'layer:domain',
                'layer:base',
                'layer:contracts',
              ],
            },
            {
              sourceTag: 'layer:runtime',
              onlyDependOnLibsWithTags: [
                'layer:pipeline',
                'layer:strategy',
                'layer:infra',
                'layer:domain',
                'layer:base',
                'layer:contracts',
              ],
            },
            {
              sourceTag: 'layer:app',
              onlyDependOnLibsWithTags: [
                'layer:runtime',
                'layer:pipeline',
                'layer:strategy',
                'layer:infra',
                'layer:domain',
                'layer:base',
                'layer:contracts',
              ],
            },
            { sourceTag: 'layer:deploy', onlyDependOnLibsWithTags: [] },
          ],
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
