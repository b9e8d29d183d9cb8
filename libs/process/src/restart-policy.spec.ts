import { RestartPolicy } from './restart-policy';

const killed = { code: null, signal: 'SIGKILL' as const };
const crashed = { code: 1, signal: null };

describe('RestartPolicy', () => {
  let now: number;
  const policy = (options = {}) => new RestartPolicy(options, () => now);
  beforeEach(() => (now = 1_000_000));

  it('restarts a dying process after 0.5 s, doubling each death in a row up to the cap', () => {
    const p = policy({ maxDeaths: 100 });
    const delays: number[] = [];
    p.started('worker:sql');
    for (let i = 0; i < 9; i++) {
      now += 100;
      const decision = p.died('worker:sql', killed);
      if (decision.action !== 'restart') throw new Error(`stopped: ${JSON.stringify(decision)}`);
      delays.push(decision.delayMs);
      now += decision.delayMs;
      p.started('worker:sql');
    }
    expect(delays).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('starts the backoff again for a process that stayed up a minute', () => {
    const p = policy();
    p.started('worker:sql');
    now += 1_000;
    expect(p.died('worker:sql', crashed)).toMatchObject({ action: 'restart', delayMs: 500 });
    p.started('worker:sql');
    now += 1_000;
    expect(p.died('worker:sql', crashed)).toMatchObject({ action: 'restart', delayMs: 1_000 });
    p.started('worker:sql');
    now += 60_000;
    expect(p.died('worker:sql', crashed)).toMatchObject({ action: 'restart', delayMs: 500 });
  });

  it('keeps each process its own backoff', () => {
    const p = policy();
    p.started('worker:sql');
    p.started('worker:webhook');
    now += 10;
    expect(p.died('worker:sql', crashed)).toMatchObject({ delayMs: 500 });
    p.started('worker:sql');
    now += 10;
    expect(p.died('worker:sql', crashed)).toMatchObject({ delayMs: 1_000 });
    expect(p.died('worker:webhook', crashed)).toMatchObject({ delayMs: 500, deathsInWindow: 3 });
  });

  it('stops the service at the fifth death of any worker within a minute, naming it and its exit', () => {
    const p = policy();
    const names = ['worker:criteria', 'worker:linking', 'worker:sql', 'worker:execution'];
    for (const name of names) p.started(name);
    for (const name of names) {
      now += 10_000;
      expect(p.died(name, crashed)).toMatchObject({ action: 'restart' });
      p.started(name);
    }
    now += 10_000; // 50 s after the first death
    expect(p.died('worker:webhook', killed)).toEqual({
      action: 'stop',
      reason: 'worker:webhook died (signal SIGKILL): 5 deaths within 60 s',
    });
  });

  it('forgets deaths older than the window', () => {
    const p = policy();
    p.started('worker:sql');
    for (let i = 0; i < 4; i++) {
      now += 1_000;
      expect(p.died('worker:sql', crashed)).toMatchObject({ action: 'restart' });
      p.started('worker:sql');
    }
    // The first death was at +1 s; at +61 s it is out of the window: four deaths, not five.
    now = 1_000_000 + 61_000;
    expect(p.died('worker:sql', { code: 137, signal: null })).toMatchObject({
      action: 'restart',
      deathsInWindow: 4,
    });
    now += 1;
    expect(p.died('worker:sql', { code: 137, signal: null })).toEqual({
      action: 'stop',
      reason: 'worker:sql died (exit code 137): 5 deaths within 60 s',
    });
  });

  it('does not restart a process that exits 78 (its environment is wrong, a restart fails the same way)', () => {
    const p = policy();
    p.started('worker:sql');
    expect(p.died('worker:sql', { code: 78, signal: null })).toEqual({
      action: 'stop',
      reason:
        'worker:sql exited with code 78 (its configuration is invalid; a restart would fail the same way)',
    });
  });
});
