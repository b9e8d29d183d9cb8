import type { ApiKeyStore } from '@t2s/service-store';

export type { ApiKeyRecord } from '@t2s/service-store';

/** The slice of the store the gateway needs: it authenticates keys, it never issues or revokes them. */
export type ApiKeyVerifier = Pick<ApiKeyStore, 'verify'>;

/** DI token of the `ApiKeyVerifier` (an interface has no runtime class to inject by). */
export const API_KEY_STORE = Symbol('API_KEY_STORE');
