import type { ApiKeyRecord, ApiKeyVerifier } from './api-key-store';

/**
 * The store when no service database is configured: it fails closed (no key is valid) rather than open,
 * and the gateway still serves probes, metrics and docs.
 */
export class RejectingApiKeyStore implements ApiKeyVerifier {
  async verify(_key: string): Promise<ApiKeyRecord | null> {
    return null;
  }
}
