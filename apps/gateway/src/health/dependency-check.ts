import type { RedisConnection } from '@t2s/queue';
import type { Pool } from 'pg';

/** One dependency `/readyz` probes; `check` rejects when it does not answer. */
export interface DependencyCheck {
  name: string;
  check(): Promise<void>;
}

export const DEPENDENCY_CHECKS = Symbol('DEPENDENCY_CHECKS');

export function redisCheck(redis: RedisConnection): DependencyCheck {
  return {
    name: 'redis',
    check: async () => {
      // The client is lazy and has no offline queue (a command while disconnected fails at once instead of
      // waiting): the first probe opens the connection, later ones ride ioredis's own reconnects.
      if (redis.status === 'wait') await redis.connect();
      const reply = await redis.ping();
      if (reply !== 'PONG') throw new Error(`unexpected PING reply ${reply}`);
    },
  };
}

export function postgresCheck(name: string, pool: Pool): DependencyCheck {
  return {
    name,
    check: async () => {
      await pool.query('select 1');
    },
  };
}
