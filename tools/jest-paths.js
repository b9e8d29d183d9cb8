// Maps the tsconfig path aliases (@t2s/*) to source files for Jest, so there is one list of aliases.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

function pathsToModuleNameMapper() {
  const base = JSON.parse(readFileSync(join(__dirname, '..', 'tsconfig.base.json'), 'utf8'));
  const mapper = {};
  for (const [alias, [target]] of Object.entries(base.compilerOptions.paths)) {
    mapper[`^${alias.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`] = `<rootDir>/${target.replace(/^\.\//, '')}`;
  }
  return mapper;
}

module.exports = { pathsToModuleNameMapper };
