import { QUEUE_PREFIX } from '@t2s/contracts';
import { Cluster, Redis, type RedisOptions } from 'ioredis';

/** A single Redis or a Redis Cluster: BullMQ and our own commands take either. */
export type RedisConnection = Redis | Cluster;

/**
 * The default BullMQ key prefix. BullMQ names every key `<prefix>:<queue>:<suffix>`; the braces make
 * `t2s` the Redis Cluster hash tag, so all keys of a queue (and its Lua scripts, which touch several
 * keys at once) land in one slot. The price: every t2s queue shares that slot, which is fine for the
 * few, thin-payload queues we have; a deployment that outgrows one slot picks its own prefix per pool.
 */
export const DEFAULT_QUEUE_PREFIX = `{${QUEUE_PREFIX}}`;

// A leading, non-empty `{tag}`: Redis hashes only the text between the first `{` and the next `}`.
const HASH_TAGGED_PREFIX = /^\{[^{}:]+\}[^{}]*$/;

/**
 * Returns the prefix to pass as BullMQ's `prefix` option, refusing one without a hash tag: on a Redis
 * Cluster such a prefix spreads a queue's keys over slots and BullMQ's multi-key scripts fail with
 * CROSSSLOT only in production, never against the single-node Redis of development and CI.
 */
export function queuePrefix(prefix: string = DEFAULT_QUEUE_PREFIX): string {
  if (!HASH_TAGGED_PREFIX.test(prefix)) {
    throw new Error(`Queue prefix ${JSON.stringify(prefix)} must start with a Redis hash tag like {t2s}`);
  }
  return prefix;
}

export interface RedisConnectionOptions {
  /**
   * Workers (and QueueEvents) hold blocking commands: BullMQ requires `maxRetriesPerRequest: null`
   * there, so a Redis blip makes a worker wait and reconnect instead of crashing its loop.
   */
  forWorker?: boolean;
  /** For logs and `CLIENT LIST`. */
  connectionName?: string;
}

// A producer (an HTTP request enqueueing a job) should fail fast and report, not hang on a dead Redis.
const PRODUCER_MAX_RETRIES_PER_REQUEST = 3;

/**
 * True for a URL naming a Redis Cluster: `redis://host:port?cluster=true` (any one node; the client
 * discovers the others from it).
 */
export function isClusterUrl(url: string): boolean {
  const flag = new URL(url).searchParams.get('cluster');
  return flag === 'true' || flag === '1';
}

/**
 * One ioredis connection, or a Cluster client for a `?cluster=true` URL. The caller owns it: BullMQ
 * does not close a connection instance it was given, so close workers and queues first, then `quit()`
 * this. `overrides` adjust the per-node options (the gateway's fail-fast probe client).
 */
export function createRedisConnection(
  url: string,
  options: RedisConnectionOptions = {},
  overrides: RedisOptions = {},
): RedisConnection {
  const redisOptions: RedisOptions = {
    maxRetriesPerRequest: options.forWorker ? null : PRODUCER_MAX_RETRIES_PER_REQUEST,
    // Commands wait until Redis has loaded its dataset instead of failing with LOADING after a restart.
    enableReadyCheck: true,
    ...(options.connectionName === undefined ? {} : { connectionName: options.connectionName }),
    ...overrides,
  };
  if (!isClusterUrl(url)) return new Redis(url, redisOptions);
  const parsed = new URL(url);
  return new Cluster([{ host: parsed.hostname, port: Number(parsed.port || 6379) }], {
    redisOptions: {
      ...redisOptions,
      ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
      ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
      ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
    },
    enableReadyCheck: true,
    // Keep commands issued while the slot map loads instead of failing them (unless told otherwise).
    enableOfflineQueue: overrides.enableOfflineQueue ?? true,
    lazyConnect: overrides.lazyConnect ?? false,
    ...(overrides.retryStrategy ? { clusterRetryStrategy: overrides.retryStrategy } : {}),
  });
}
