import { Controller, Get, Header } from '@nestjs/common';
import { buildOpenApiDocument, type OpenApiDocument } from '@t2s/contracts';
import { Public } from '../auth/public.decorator';
import { renderDocsPage } from './docs-page';

@Public()
@Controller('docs')
export class DocsController {
  // The contract is fixed for the life of the process: build it once.
  private readonly document = buildOpenApiDocument();
  private readonly page = renderDocsPage(this.document);

  @Get('openapi.json')
  openapi(): OpenApiDocument {
    return this.document;
  }

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
  docs(): string {
    return this.page;
  }
}
