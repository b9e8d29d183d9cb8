import type { ApiKeyRecord, ApiKeyVerifier } from '../auth/api-key-store';

/** The key the test gateway accepts. */
export const TEST_API_KEY = 't2s_test_0123456789abcdef';
export const TEST_API_KEY_RECORD: ApiKeyRecord = {
  id: 'key_test',
  name: 'jest',
  admin: false,
  createdAt: new Date('2026-01-01T00:00:00Z'),
};

/** In-memory keys for tests: no database, same contract as the Postgres store. */
export class FakeApiKeyStore implements ApiKeyVerifier {
  private readonly keys = new Map<string, ApiKeyRecord>([[TEST_API_KEY, TEST_API_KEY_RECORD]]);

  async verify(key: string): Promise<ApiKeyRecord | null> {
    return this.keys.get(key) ?? null;
  }
}
