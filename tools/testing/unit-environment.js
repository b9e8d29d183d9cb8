/* global URL */
// The unit tier's Jest environment: Node's, plus a guard. A unit spec reaches no service: no
// PostgreSQL, no Redis, nothing off this machine, no child process. Connecting to one of those ports
// (or any non-loopback host) or spawning a process fails the spec, with a line that names it,
// so a spec that tools/testing/test-tiers.js put in the wrong tier fails loudly instead of passing
// here only because the machine's PostgreSQL or Redis happens to run.
const dns = require('node:dns');
const net = require('node:net');
const childProcess = require('node:child_process');
const { relative } = require('node:path');
const { TestEnvironment } = require('jest-environment-node');

// The ports tests find PostgreSQL and Redis on: the defaults, the embedded PostgreSQL's, and whatever
// the environment points them at (tools/testing/with-services.js may move them).
function servicePorts(env) {
  const ports = new Map([
    [5432, 'PostgreSQL'],
    [54329, 'PostgreSQL (embedded)'],
    [6379, 'Redis'],
  ]);
  for (const [name, what] of [
    ['TEST_DATABASE_URL', 'PostgreSQL'],
    ['WAREHOUSE_URL', 'PostgreSQL'],
    ['REDIS_URL', 'Redis'],
  ]) {
    try {
      const url = env[name] && new URL(env[name]);
      if (url && url.port) ports.set(Number(url.port), what);
    } catch {
      // Not a URL: the spec that reads it reports that.
    }
  }
  if (env.T2S_EMBEDDED_PG_PORT) ports.set(Number(env.T2S_EMBEDDED_PG_PORT), 'PostgreSQL (embedded)');
  return ports;
}

const state = { testPath: '', pending: [], ports: servicePorts(process.env) };

function violation(what) {
  const spec = relative(process.cwd(), state.testPath);
  const error = new Error(
    `unit tier: ${spec} ${what}. Unit specs reach no service and start no process; ` +
      'tools/testing/test-tiers.js sorts the specs into tiers (README, "Tests").',
  );
  error.code = 'ECONNREFUSED';
  // The test that made the attempt fails with this error even if the code under test swallowed it.
  if (state.pending.length < 3) state.pending.push(error);
  return error;
}

// net's connect takes (options[, cb]), (port[, host][, cb]) or (path[, cb]); net.connect() hands it
// an array [options, cb]. Returns the arguments in the options form.
function normalize(args) {
  if (Array.isArray(args[0])) return normalize(args[0]);
  const [first, ...rest] = args;
  if (first !== null && typeof first === 'object') return [first, ...rest];
  if (typeof first === 'string' && !/^\d+$/.test(first)) return [{ path: first }, ...rest];
  const host = typeof rest[0] === 'string' ? rest.shift() : undefined;
  return [{ port: first, ...(host === undefined ? {} : { host }) }, ...rest];
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|::1|0\.0\.0\.0|::|::ffff:127\.\d+\.\d+\.\d+)$/i;

function serviceProblem(options) {
  if (options.path !== undefined) {
    return /\.s\.PGSQL\.|redis/i.test(options.path) ? `connected to the socket ${options.path}` : undefined;
  }
  const port = Number(options.port);
  if (state.ports.has(port)) {
    return `connected to ${options.host ?? 'localhost'}:${port} (${state.ports.get(port)})`;
  }
  return undefined;
}

function installGuard() {
  if (net.Socket.prototype.connect.t2sUnitGuard) return;
  const connect = net.Socket.prototype.connect;
  const guarded = function (...args) {
    const [options, ...rest] = normalize(args);
    const problem = serviceProblem(options);
    if (problem !== undefined) {
      const error = violation(problem);
      process.nextTick(() => this.destroy(error));
      return this;
    }
    const host = options.host;
    if (options.path !== undefined || host === undefined || LOOPBACK.test(host))
      return connect.apply(this, args);
    if (net.isIP(host) !== 0) {
      const error = violation(`connected to ${host}:${options.port}, off this machine`);
      process.nextTick(() => this.destroy(error));
      return this;
    }
    // A name: whatever resolves it (the caller's lookup or DNS) must answer with this machine.
    const lookup = options.lookup ?? dns.lookup;
    const checked = (hostname, lookupOptions, callback) =>
      lookup(hostname, lookupOptions, (error, address, family) => {
        const addresses = Array.isArray(address) ? address.map((a) => a.address) : [address];
        const away = error ? undefined : addresses.find((a) => !LOOPBACK.test(a));
        if (away === undefined) return callback(error, address, family);
        return callback(violation(`connected to ${hostname} (${away}):${options.port}, off this machine`));
      });
    return connect.call(this, { ...options, lookup: checked }, ...rest);
  };
  guarded.t2sUnitGuard = true;
  net.Socket.prototype.connect = guarded;

  for (const name of ['spawn', 'spawnSync', 'fork', 'exec', 'execSync', 'execFile', 'execFileSync']) {
    const original = childProcess[name];
    childProcess[name] = function (...args) {
      const command = typeof args[0] === 'string' ? args[0].split(' ')[0] : String(args[0]);
      throw violation(`started a child process (${name} ${command})`);
    };
    childProcess[name].original = original;
  }
}

class UnitTierEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    state.testPath = context.testPath;
    state.pending = [];
    installGuard();
  }

  // A violation fails the test it happened in (one in a beforeAll, the next test; one after the last
  // test, the file), even when the code under test swallowed the error.
  handleTestEvent(event, circus) {
    if (state.pending.length === 0) return;
    if (event.name === 'test_done') event.test.errors.push(...state.pending.splice(0));
    if (event.name === 'run_finish') circus.unhandledErrors.push(...state.pending.splice(0));
  }
}

module.exports = UnitTierEnvironment;
