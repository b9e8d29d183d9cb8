import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError } from '@t2s/contracts';
import { API_KEY_STORE, type ApiKeyVerifier } from './api-key-store';
import type { AuthenticatedRequest } from './authenticated-request';
import { IS_PUBLIC } from './public.decorator';

// Keys are short random tokens; refusing long values early keeps hashing and logging cheap.
const MAX_KEY_LENGTH = 256;
const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

function bearerToken(header: string | undefined): string | undefined {
  const match = header === undefined ? null : BEARER.exec(header);
  const key = match?.[1];
  return key !== undefined && key.length <= MAX_KEY_LENGTH ? key : undefined;
}

/** Global guard: `Authorization: Bearer <key>` on every route not marked `@Public()`. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(API_KEY_STORE) private readonly store: ApiKeyVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = bearerToken(request.headers.authorization);
    if (key === undefined)
      throw new AppError('UNAUTHORIZED', 'Missing API key: send Authorization: Bearer <key>');
    // A store failure (database down) propagates as a 500: it is not the client's fault.
    const record = await this.store.verify(key);
    if (record === null) throw new AppError('UNAUTHORIZED', 'Invalid or revoked API key');
    request.apiKey = record;
    return true;
  }
}
