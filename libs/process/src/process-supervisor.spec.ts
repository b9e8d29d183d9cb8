// The supervisor over real child processes (plain `node -e` scripts standing in for the gateway and the
// workers): restarts, the death budget, and the processes it must not restart.
import { startProcess, stopService, waitForOutput, type ChildService } from './child-service';
import { lastMessage, ProcessSupervisor, type SupervisedProcess } from './process-supervisor';
import { RestartPolicy } from './restart-policy';

// Prints "serving" and stays up; or, with `exitCode`, exits at once (a worker that cannot start).
function nodeProcess(name: string, exitCode?: number) {
  const starts: ChildService[] = [];
  const script =
    exitCode === undefined
      ? "console.log('serving'); setInterval(() => {}, 1000)"
      : `console.error('boom'); process.exit(${exitCode})`;
  const spec: SupervisedProcess = {
    name,
    start: () => {
      const child = startProcess(name, process.execPath, ['-e', script]);
      starts.push(child);
      return child;
    },
    ready: (child) => waitForOutput(child, /serving/, 10_000),
  };
  return { spec, starts };
}

describe('ProcessSupervisor', () => {
  const started: ChildService[][] = [];
  const fast = () => new RestartPolicy({ initialDelayMs: 20, maxDelayMs: 100 });
  afterEach(async () => {
    for (const child of started.flat()) await stopService(child, 2_000).catch(() => undefined);
    started.length = 0;
  });

  it('restarts a SIGKILLed worker and leaves the others running', async () => {
    const gateway = nodeProcess('gateway');
    const worker = nodeProcess('worker:sql');
    started.push(gateway.starts, worker.starts);
    const restarted: string[] = [];
    const scheduled: string[] = [];
    let serving: (name: string) => void = () => undefined;
    const back = new Promise<string>((resolve) => (serving = resolve));
    const supervisor = new ProcessSupervisor([{ ...gateway.spec, restart: false }, worker.spec], fast(), {
      onRestartScheduled: (name, exit, delayMs) => scheduled.push(`${name} ${exit.signal} ${delayMs}`),
      onRestarted: (name, restarts) => {
        restarted.push(`${name} ${restarts}`);
        serving(name);
      },
    });
    await supervisor.start();
    const first = supervisor.current('worker:sql') as ChildService;
    first.child.kill('SIGKILL');
    expect(await back).toBe('worker:sql');
    expect(scheduled).toEqual(['worker:sql SIGKILL 20']);
    expect(restarted).toEqual(['worker:sql 1']);
    expect(supervisor.current('worker:sql')).not.toBe(first);
    expect(supervisor.current('worker:sql')?.child.exitCode).toBeNull();
    expect(gateway.starts).toHaveLength(1);
    expect(supervisor.running.map((c) => c.name).sort()).toEqual(['gateway', 'worker:sql']);
    supervisor.halt();
  });

  it('gives up at the fifth death within a minute, naming the worker and its exit code', async () => {
    const gateway = nodeProcess('gateway');
    const worker = nodeProcess('worker:linking', 3);
    started.push(gateway.starts, worker.starts);
    const supervisor = new ProcessSupervisor([{ ...gateway.spec, restart: false }, worker.spec], fast());
    await expect(supervisor.start()).rejects.toThrow(
      /^worker:linking died \(exit code 3\): 5 deaths within 60 s; last message: boom$/,
    );
    const failure = await supervisor.failed;
    expect(failure).toMatchObject({ name: 'worker:linking', exit: { code: 3, signal: null } });
    expect(worker.starts).toHaveLength(5);
    // Nothing is started any more; the rest keeps running until its owner stops it.
    expect(gateway.starts[0]?.child.exitCode).toBeNull();
  });

  it('stops everything when a process that must not restart dies', async () => {
    const gateway = nodeProcess('gateway');
    const worker = nodeProcess('worker:sql');
    started.push(gateway.starts, worker.starts);
    const supervisor = new ProcessSupervisor([{ ...gateway.spec, restart: false }, worker.spec], fast());
    await supervisor.start();
    gateway.starts[0]?.child.kill('SIGKILL');
    expect(await supervisor.failed).toMatchObject({
      name: 'gateway',
      message: 'gateway exited (signal SIGKILL)',
    });
  });

  it('restarts nothing after halt(): a shutdown stops processes on purpose', async () => {
    const worker = nodeProcess('worker:sql');
    started.push(worker.starts);
    const scheduled: string[] = [];
    const supervisor = new ProcessSupervisor([worker.spec], fast(), {
      onRestartScheduled: (name) => scheduled.push(name),
    });
    await supervisor.start();
    supervisor.halt();
    // The supervisor's exit handler was attached first, so it has run once stopService sees the exit.
    await stopService(supervisor.current('worker:sql') as ChildService);
    expect(scheduled).toEqual([]);
    expect(worker.starts).toHaveLength(1);
  });
});

describe('lastMessage', () => {
  it("is the last line that reads as a message, past an error's stack and fields", () => {
    const output = [
      'worker: service store postgres://… (schema t2s)',
      'worker: failed to start Error: listen EADDRINUSE: address already in use 0.0.0.0:9464',
      '    at Server.setupListenHandle [as _listen2] (node:net:1940:16)',
      "  code: 'EADDRINUSE',",
      "  syscall: 'listen',",
      '}',
      '',
    ].join('\n');
    expect(lastMessage(output)).toBe(
      'worker: failed to start Error: listen EADDRINUSE: address already in use 0.0.0.0:9464',
    );
    expect(lastMessage('')).toBe('(nothing)');
  });

  it('reads a JSON log line as its message and its error', () => {
    const output = [
      '{"level":30,"service":"worker:sql","msg":"service store postgres://… (schema t2s)"}',
      '{"level":60,"service":"worker:sql","err":{"type":"Error","message":"listen EADDRINUSE: address already in use 0.0.0.0:9464","stack":"Error: listen EADDRINUSE\\n    at x"},"msg":"failed to start"}',
      '',
    ].join('\n');
    expect(lastMessage(output)).toBe(
      'failed to start: listen EADDRINUSE: address already in use 0.0.0.0:9464',
    );
    expect(lastMessage('{"level":30,"msg":"serving"}\n{not json')).toBe('{not json');
  });
});
