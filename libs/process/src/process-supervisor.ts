import type { ChildService, Exit } from './child-service';
import { describeExit, RestartPolicy } from './restart-policy';

export interface SupervisedProcess {
  name: string;
  /** Starts one incarnation of the process. */
  start(): ChildService;
  /** Resolves once an incarnation serves (it rejects if the process exits first or takes too long). */
  ready(child: ChildService): Promise<unknown>;
  /**
   * false: its death stops everything instead of a restart (the gateway: a new one could listen on
   * another port, and clients hold the old URL).
   */
  restart?: boolean;
}

export interface SupervisorFailure {
  name: string;
  exit: Exit | undefined;
  /** One line for the operator: which process, how it ended, why the service stops. */
  message: string;
  /** What the process printed last, for the error report. */
  output: string;
}

export interface SupervisorHooks {
  /** A process died and starts again after `delayMs`. */
  onRestartScheduled?(name: string, exit: Exit, delayMs: number, deathsInWindow: number): void;
  /** A restarted process serves again. */
  onRestarted?(name: string, restarts: number): void;
}

/**
 * Keeps a set of child processes running: a process that dies without being asked to is started again
 * when `RestartPolicy` says, until the policy gives up (or a process that must not restart dies); then
 * `failed` resolves and no process is started any more. The owner stops the survivors (`halt()`, then
 * its own shutdown order through `current()`).
 */
export class ProcessSupervisor {
  readonly failed: Promise<SupervisorFailure>;
  private readonly children = new Map<string, ChildService>();
  private readonly restarts = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private failure: SupervisorFailure | undefined;
  private halted = false;
  private resolveFailed: (failure: SupervisorFailure) => void = () => undefined;

  constructor(
    private readonly processes: readonly SupervisedProcess[],
    private readonly policy: RestartPolicy = new RestartPolicy(),
    private readonly hooks: SupervisorHooks = {},
  ) {
    this.failed = new Promise((resolve) => (this.resolveFailed = resolve));
  }

  /**
   * Starts every process and resolves once each has served at least once (a process that dies while
   * starting is restarted like any other); rejects with the failure's message if the service fails first.
   */
  async start(): Promise<void> {
    const firstReady = this.processes.map(
      (spec) => new Promise<void>((resolveReady) => this.launch(spec, resolveReady)),
    );
    const failed = this.failed.then((failure) => {
      throw new SupervisorFailedError(failure);
    });
    await Promise.race([Promise.all(firstReady), failed]);
  }

  /** The running incarnation of each process, by name. */
  current(name: string): ChildService | undefined {
    return this.children.get(name);
  }

  get running(): ChildService[] {
    return [...this.children.values()];
  }

  /** From now on, exits are expected: nothing restarts, pending restarts are cancelled. */
  halt(): void {
    this.halted = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private launch(spec: SupervisedProcess, onFirstReady: () => void): void {
    const child = spec.start();
    this.children.set(spec.name, child);
    this.policy.started(spec.name);
    const restarts = this.restarts.get(spec.name) ?? 0;
    void child.exited.then((exit) => this.exited(spec, child, exit, onFirstReady));
    spec.ready(child).then(
      () => {
        onFirstReady();
        if (restarts > 0 && this.children.get(spec.name) === child)
          this.hooks.onRestarted?.(spec.name, restarts);
      },
      (error: unknown) => {
        // An exit is handled by `exited`; a process that is alive but never became ready is a failure.
        if (child.child.exitCode !== null || child.child.signalCode !== null) return;
        const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
        this.fail({
          name: spec.name,
          exit: undefined,
          message: message || spec.name,
          output: child.output(),
        });
      },
    );
  }

  private exited(spec: SupervisedProcess, child: ChildService, exit: Exit, onFirstReady: () => void): void {
    if (this.halted || this.failure || this.children.get(spec.name) !== child) return;
    if (spec.restart === false) {
      this.fail({
        name: spec.name,
        exit,
        message: `${spec.name} exited (${describeExit(exit)})`,
        output: child.output(),
      });
      return;
    }
    const decision = this.policy.died(spec.name, exit);
    if (decision.action === 'stop') {
      this.fail({ name: spec.name, exit, message: decision.reason, output: child.output() });
      return;
    }
    this.hooks.onRestartScheduled?.(spec.name, exit, decision.delayMs, decision.deathsInWindow);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.halted || this.failure) return;
      this.restarts.set(spec.name, (this.restarts.get(spec.name) ?? 0) + 1);
      this.launch(spec, onFirstReady);
    }, decision.delayMs);
    this.timers.add(timer);
  }

  private fail(failure: SupervisorFailure): void {
    if (this.failure) return;
    this.failure = failure;
    this.halt();
    this.resolveFailed(failure);
  }
}

/** The service failed while starting: `failure` says which process and how. */
export class SupervisorFailedError extends Error {
  override readonly name = 'SupervisorFailedError';
  constructor(readonly failure: SupervisorFailure) {
    super(`${failure.message}; last message: ${lastMessage(failure.output)}`);
  }
}

/**
 * The last line a process printed that reads as a message: not indented and not a lone brace, so an
 * error's stack frames and the fields Node prints after it are skipped. A JSON log line (pino) reads as
 * its message and its error's ("failed to start: listen EADDRINUSE ...").
 */
export function lastMessage(output: string): string {
  const lines = output.split('\n').filter((line) => /^\S/.test(line) && /[A-Za-z]/.test(line));
  const line = lines.at(-1)?.trim();
  return line === undefined ? '(nothing)' : (messageOfJson(line) ?? line);
}

function messageOfJson(line: string): string | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const entry = JSON.parse(line) as { msg?: unknown; err?: { message?: unknown } };
    if (typeof entry.msg !== 'string') return undefined;
    return typeof entry.err?.message === 'string' ? `${entry.msg}: ${entry.err.message}` : entry.msg;
  } catch {
    return undefined;
  }
}
