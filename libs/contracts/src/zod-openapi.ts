import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

/**
 * The one `z` every contract file imports. `.openapi('Name')` must exist before any schema is
 * declared, and ES module evaluation order only guarantees that if the extension runs in a module the
 * schema files import themselves (an entry-point side effect would race with them). The extension
 * patches zod's shared prototype, so consumers see `.openapi()` too; it is idempotent.
 */
extendZodWithOpenApi(z);

export { z };
