import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { ApiKeyRecord } from './api-key-store';
import type { AuthenticatedRequest } from './authenticated-request';

/** The key record `ApiKeyGuard` attached; only on authenticated routes. */
export const CurrentApiKey = createParamDecorator(
  (_data: unknown, context: ExecutionContext): ApiKeyRecord => {
    const { apiKey } = context.switchToHttp().getRequest<AuthenticatedRequest>();
    // Reaching here without a key means a route was made @Public() and still asked for one: a bug, so a 500.
    if (apiKey === null) throw new Error('CurrentApiKey used on a route without ApiKeyGuard');
    return apiKey;
  },
);
