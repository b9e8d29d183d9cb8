import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { Pool } from 'pg';
import { createTestSchema, type TestSchema } from '@t2s/db';
import { PgApiKeyStore } from '@t2s/service-store';

/** `t2s apikey` as an operator runs it, against a schema of the test database made for this file. */
const repoRoot = resolve(__dirname, '../../../..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function t2s(args: string[], env: Record<string, string>, timeoutMs = 30_000): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/cli/src/main.ts', ...args], {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`t2s ${args.join(' ')} did not exit within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      fail(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

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
