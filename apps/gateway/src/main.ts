import { Logger } from '@nestjs/common';
import { openServiceStore } from '@t2s/service-store';
import type { ApiKeyVerifier } from './auth/api-key-store';
import { RejectingApiKeyStore } from './auth/rejecting-api-key.store';
import { createGatewayApp } from './bootstrap';
import { GatewayConfigError, loadGatewayConfig, type GatewayConfig } from './config/gateway.config';

// If closing hangs (a stuck connection), exit anyway rather than wait for the orchestrator's SIGKILL.
const SHUTDOWN_TIMEOUT_MS = 10_000;

function loadConfigOrExit(): GatewayConfig {
  try {
    return loadGatewayConfig();
  } catch (error) {
    if (!(error instanceof GatewayConfigError)) throw error;
    console.error(`gateway: ${error.message}`);
    process.exit(78); // EX_CONFIG: a restart will not help until the environment is fixed.
  }
}

/**
 * The API key store on the service database (migrated on start; safe with several replicas). Without
 * SERVICE_DATABASE_URL the gateway does not start an embedded PostgreSQL behind an operator's back: it
 * refuses every key and says so.
 */
async function openKeyStore(
  config: GatewayConfig,
  logger: Logger,
): Promise<{ store: ApiKeyVerifier; close: () => Promise<void> }> {
  if (!config.serviceDatabaseUrl) {
    logger.warn('SERVICE_DATABASE_URL is not set: no API key store, every /v1 request is answered 401');
    return { store: new RejectingApiKeyStore(), close: async () => undefined };
  }
  const serviceStore = await openServiceStore({ onProgress: (message) => logger.log(message) });
  logger.log(`API keys from ${serviceStore.label} (schema ${serviceStore.schema})`);
  return { store: serviceStore.apiKeys, close: () => serviceStore.close() };
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = new Logger('Gateway');
  const keys = await openKeyStore(config, logger);
  const app = await createGatewayApp({ config, apiKeyStore: keys.store, onShutdown: keys.close }).catch(
    async (error: unknown) => {
      await keys.close();
      throw error;
    },
  );
  // useProcessExit: exit 0 after a clean close, instead of re-raising the signal (exit 143).
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => setTimeout(() => process.exit(1), SHUTDOWN_TIMEOUT_MS).unref());
  }
  await app.listen(config.port, config.host);
  logger.log(`listening on ${await app.getUrl()}`);
}

main().catch((error: unknown) => {
  console.error('gateway: failed to start', error);
  process.exit(1);
});
