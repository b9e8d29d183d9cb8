// Test support: a 3-primary Redis Cluster on loopback from the machine's redis-server, for specs that
// run the service against a cluster. Each node is a child process; stop() kills them and removes the data.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, startProcess, stopService, waitForOutput, type ChildService } from '@t2s/process';

const run = promisify(execFile);

export interface RedisCluster {
  ports: number[];
  /** A URL the service takes: any node, with `?cluster=true`. */
  url: string;
  stop(): Promise<void>;
}

/** Starts three primaries, joins them with `redis-cli --cluster create` and waits for `cluster_state:ok`. */
export async function startRedisCluster(nodes = 3): Promise<RedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 't2s-redis-cluster-'));
  const children: ChildService[] = [];
  const stop = async () => {
    await Promise.all(children.map((child) => stopService(child).catch(() => undefined)));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const ports: number[] = [];
    for (let i = 0; i < nodes; i++) ports.push(await freePort());
    for (const port of ports) {
      const child = startProcess(`redis-${port}`, 'redis-server', [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        join(dir, `nodes-${port}.conf`),
        '--cluster-node-timeout',
        '5000',
        '--dir',
        dir,
        '--dbfilename',
        `dump-${port}.rdb`,
        '--save',
        '',
        '--appendonly',
        'no',
      ]);
      children.push(child);
      await waitForOutput(child, /Ready to accept connections/, 10_000);
    }
    await run('redis-cli', [
      '--cluster',
      'create',
      ...ports.map((port) => `127.0.0.1:${port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    // The nodes agree on the slot map a moment after `create` returns; wait for it on every node.
    const deadline = Date.now() + 20_000;
    for (const port of ports) {
      for (;;) {
        const { stdout } = await run('redis-cli', ['-p', String(port), 'cluster', 'info']);
        if (stdout.includes('cluster_state:ok')) break;
        if (Date.now() > deadline)
          throw new Error(`redis cluster node ${port} never reached cluster_state:ok`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    return { ports, url: `redis://127.0.0.1:${ports[0]}?cluster=true`, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
