import type { RedisConnection } from '@t2s/queue';
import { Cluster } from 'ioredis';

/** Live workers per queue, as `/readyz` reports them. */
export interface WorkerPresence {
  queues: readonly string[];
  /** Queue -> live workers; rejects when Redis does not answer or refuses CLIENT LIST. */
  count(): Promise<Record<string, number>>;
}

export const WORKER_PRESENCE = Symbol('WORKER_PRESENCE');

/**
 * The name BullMQ gives a worker's blocking connection (CLIENT SETNAME `<prefix>:<base64(queue)>`, plus
 * `:w:<name>` for a named worker): what `Queue.getWorkers()` matches. Read here with one CLIENT LIST for
 * every queue instead of a BullMQ `Queue` per queue, whose connection setup never recovers from a first
 * attempt made while Redis is down. `worker-presence.spec.ts` checks it against a real BullMQ Worker.
 */
function workerClientName(prefix: string, queue: string): string {
  return `${prefix}:${Buffer.from(queue).toString('base64')}`;
}

/**
 * Counts the workers connected to Redis for each queue. Redis drops a dead process's connections at once
 * (its socket closes; the kernel does that even on SIGKILL), so the count follows deaths and restarts in
 * any deployment: `t2s up`, compose, Kubernetes. On a cluster, a queue's workers block on the one node
 * of its hash slot; the count is the largest seen on any node, as BullMQ counts.
 */
export function redisWorkerPresence(
  redis: RedisConnection,
  prefix: string,
  queues: readonly string[],
): WorkerPresence {
  const names = queues.map((queue) => [queue, workerClientName(prefix, queue)] as const);
  return {
    queues,
    count: async () => {
      if (redis.status === 'wait') await redis.connect();
      const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
      const lists = await Promise.all(nodes.map((node) => node.client('LIST') as Promise<string>));
      const perNode = lists.map((list) => clientNames(list));
      return Object.fromEntries(
        names.map(([queue, name]) => [
          queue,
          Math.max(
            0,
            ...perNode.map((all) => all.filter((n) => n === name || n.startsWith(`${name}:w:`)).length),
          ),
        ]),
      );
    },
  };
}

/** The `name=` field of each CLIENT LIST line (empty for unnamed clients). */
function clientNames(list: string): string[] {
  return list
    .split('\n')
    .map((line) => / name=(\S*)/.exec(` ${line}`)?.[1] ?? '')
    .filter(Boolean);
}
