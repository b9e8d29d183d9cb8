/**
 * A test gateway process: `createGatewayApp` with the in-memory key store, configured from the
 * environment, listening on a free port. The specs run it as a child process because Jest cannot load
 * NestJS 12 (ESM-only) without `--experimental-vm-modules`; see `spawn-gateway.ts`.
 */
import { createGatewayApp } from '../bootstrap';
import { loadGatewayConfig } from '../config/gateway.config';
import { unconfiguredServices } from '../segments/gateway-services';
import { FakeApiKeyStore } from './fake-api-key.store';

async function run(): Promise<void> {
  const config = { ...loadGatewayConfig(), port: 0, host: '127.0.0.1' };
  const app = await createGatewayApp({
    config,
    apiKeyStore: new FakeApiKeyStore(),
    services: unconfiguredServices(),
    logger: ['error'],
  });
  app.enableShutdownHooks(['SIGTERM'], { useProcessExit: true });
  // Never outlive the test run: when the parent goes away, our stdin closes.
  process.stdin.on('close', () => void app.close().then(() => process.exit(0)));
  process.stdin.resume();
  await app.listen(config.port, config.host);
  process.stdout.write(`listening on ${await app.getUrl()}\n`);
}

run().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
