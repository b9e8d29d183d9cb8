// `t2s up` as an operator runs it, with workers that cannot start: every worker process is told to serve
// its metrics on a port this spec holds, so each dies at start (EADDRINUSE). Restarting cannot help; the
// fifth death within a minute stops the whole service with one line and exit code 1.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { Client } from 'pg';
import { createTestSchema, testDatabaseUrl, type TestSchema } from '@t2s/db';
import { freePort } from '@t2s/process';
import { dropExecutorRole } from '@t2s/warehouse';
import { runCli } from '../testing/run-cli';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

describe('t2s up', () => {
  let warehouse: TestSchema;
  let store: TestSchema;
  let taken: Server;
  let takenPort: number;
  const role = `t2s_up_${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    warehouse = await createTestSchema('up_wh');
    await warehouse.client.query(`create table "${warehouse.schema}".client (client_id bigint primary key)`);
    store = await createTestSchema('up_store');
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    takenPort = (taken.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => taken?.close(resolve));
    const admin = new Client({ connectionString: testDatabaseUrl() });
    await admin.connect();
    try {
      await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where usename = $1', [role]);
      await dropExecutorRole(admin, role);
    } finally {
      await admin.end();
    }
    await store?.drop();
    await warehouse?.drop();
  });

  it('stops the whole service when workers keep dying, naming the worker and its exit code', async () => {
    const run = await runCli(
      ['up', '--port', String(await freePort()), '--schema', warehouse.schema, '--executor-role', role],
      {
        env: {
          WAREHOUSE_URL: testDatabaseUrl(),
          SERVICE_DATABASE_URL: testDatabaseUrl(),
          SERVICE_DATABASE_SCHEMA: store.schema,
          REDIS_URL,
          QUEUE_PREFIX: `{t2s-up-${randomBytes(4).toString('hex')}}`,
          WEBHOOK_SECRET: randomBytes(32).toString('hex'),
          METRICS_PORT: String(takenPort),
        },
        timeoutMs: 150_000,
      },
    );
    expect(run.code).toBe(1);
    const errors = run.stderr.split('\n').filter((line) => line.startsWith('t2s: error:'));
    expect(errors).toEqual([
      expect.stringMatching(
        /^t2s: error: worker:(\w+) died \(exit code 1\): 5 deaths within 60 s; the service is stopped\. worker:\1's last message: failed to start: listen EADDRINUSE: address already in use \S+$/,
      ),
    ]);
    // Restarts were tried first, with backoff.
    expect(run.stderr).toMatch(
      /\[supervisor\] worker:\w+ died \(exit code 1\); restarting it in 0\.5 s \(death 1 in 60 s; 5 stop the service\)/,
    );
  }, 180_000);
});
