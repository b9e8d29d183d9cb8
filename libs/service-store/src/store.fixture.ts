import { Pool } from 'pg';
import { segmentRequestSchema, type SegmentRequest, type SegmentRequestInput } from '@t2s/contracts';
import { createTestSchema, type TestSchema } from '@t2s/db';
import { runMigrations } from './migrate';
import { createRepositories } from './service-store';

/** A migrated schema of the test database with every repository over one pool; for specs only. */
export async function openTestStore(prefix = 'store') {
  const test: TestSchema = await createTestSchema(prefix);
  const pool = new Pool({ connectionString: test.url, max: 6 });
  await runMigrations(pool, { schema: test.schema });
  return {
    test,
    pool,
    schema: test.schema,
    ...createRepositories(pool, test.schema),
    close: async () => {
      await pool.end();
      await test.drop();
    },
  };
}

export type TestStore = Awaited<ReturnType<typeof openTestStore>>;

export function segmentRequest(overrides: Partial<SegmentRequestInput> = {}): SegmentRequest {
  return segmentRequestSchema.parse({
    offer: {
      product: { type: 'credit_card' },
      title: 'Молодёжная кредитная карта',
      channel: 'PUSH',
    },
    ...overrides,
  });
}
