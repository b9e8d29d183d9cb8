import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { VENDOR_FILES, withImportMap } from './console-vendor';

/** Where the review console is served; its files are public, its API calls carry the person's key. */
export const CONSOLE_PATH = '/console/';

const CONSOLE_ROOT = join(__dirname, '../../console');

/**
 * Serves the review console (Preact, htm and CodeMirror as plain ES modules, no build step) under
 * /console/: index.html with the import map written from the vendor table, the vendored modules that
 * table names (nothing else under node_modules), and the console's own files.
 * Registered on Fastify directly: these are static files, outside Nest's API-key guard.
 */
export async function mountConsole(app: NestFastifyApplication): Promise<void> {
  const page = withImportMap(readFileSync(join(CONSOLE_ROOT, 'index.html'), 'utf8'));
  await app.register(async (scope: FastifyInstance) => {
    scope.get('/console', async (_request, reply) => reply.redirect(CONSOLE_PATH));
    for (const path of [CONSOLE_PATH, `${CONSOLE_PATH}index.html`])
      scope.get(path, async (_request, reply) => reply.type('text/html; charset=utf-8').send(page));
    scope.get('/console/vendor/:name', async (request, reply) => {
      const file = VENDOR_FILES.get((request.params as { name: string }).name);
      if (!file)
        return reply
          .code(404)
          .send({ error: { code: 'NOT_FOUND', message: 'No such file', requestId: request.id } });
      return reply.type('text/javascript; charset=utf-8').send(createReadStream(file));
    });
    await scope.register(fastifyStatic, {
      root: CONSOLE_ROOT,
      prefix: CONSOLE_PATH,
      decorateReply: false,
      index: false,
    });
  });
}
