import { Pool } from 'pg';
import { createTestSchema, type TestSchema } from '@t2s/db';
import { PgApiKeyStore } from '@t2s/service-store';
import { runCli, type CliRun } from '../testing/run-cli';

const t2s = (args: string[], env: Record<string, string>): Promise<CliRun> => runCli(args, { env });

describe('t2s apikey', () => {
  let test: TestSchema;
  let pool: Pool;
  let env: Record<string, string>;

  beforeAll(async () => {
    test = await createTestSchema('apikey_cli');
    pool = new Pool({ connectionString: test.url, max: 2 });
    env = { SERVICE_DATABASE_URL: test.url, SERVICE_DATABASE_SCHEMA: test.schema };
  });

  afterAll(async () => {
    await pool?.end();
    await test?.drop();
  });

  it('creates a key (migrating first) and prints it alone on stdout; revoke disables it', async () => {
    const created = await t2s(['apikey', 'create', '--name', 'ci'], env);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^t2s_[A-Za-z0-9_-]{40,}\n$/);
    const key = created.stdout.trim();

    const keys = new PgApiKeyStore(pool, test.schema);
    const record = await keys.verify(key);
    expect(record).toMatchObject({ name: 'ci', admin: false });
    expect(created.stderr).toContain(`with id ${record?.id}`);

    const revoked = await t2s(['apikey', 'revoke', '--id', record!.id], env);
    expect({ code: revoked.code, stdout: revoked.stdout }).toEqual({ code: 0, stdout: '' });
    expect(await keys.verify(key)).toBeNull();

    const again = await t2s(['apikey', 'revoke', '--id', record!.id], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('no active API key');
  });

  it('exits 2 on bad input', async () => {
    const badId = await t2s(['apikey', 'revoke', '--id', 'nope'], env);
    expect({ code: badId.code, stdout: badId.stdout }).toEqual({ code: 2, stdout: '' });
    const noName = await t2s(['apikey', 'create'], env);
    expect(noName.code).toBe(2);
    const badSchema = await t2s(['apikey', 'create', '--name', 'x'], {
      ...env,
      SERVICE_DATABASE_SCHEMA: 'Bad-Name',
    });
    expect(badSchema.code).toBe(2);
    expect(badSchema.stderr).toContain('SERVICE_DATABASE_SCHEMA');
  });
});
