import { Controller, Get } from '@nestjs/common';
import type { ApiKeyRecord } from '../auth/api-key-store';
import { CurrentApiKey } from '../auth/current-api-key.decorator';

/** Lets a caller check its key end to end (and us check the guard) without touching any segment. */
@Controller('v1')
export class WhoamiController {
  @Get('whoami')
  whoami(@CurrentApiKey() apiKey: ApiKeyRecord): { id: string; name: string } {
    return { id: apiKey.id, name: apiKey.name };
  }
}
