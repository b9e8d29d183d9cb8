import type { FastifyRequest } from 'fastify';
import type { ApiKeyRecord } from './api-key-store';

/** A request that passed `ApiKeyGuard`; `apiKey` is declared on every request at bootstrap (stable shape). */
export type AuthenticatedRequest = FastifyRequest & { apiKey: ApiKeyRecord | null };
