import { AppError } from './app-error';
import {
  JOB_CATALOG,
  JOB_NAMES,
  QUEUE_NAMES,
  jobId,
  parseJob,
  stageJobData,
  type AnyJob,
  type JobPayload,
  type QueueName,
} from './job-payloads';
import { CALL_ID, EVENT_ID, REVISION_ID, SEGMENT_ID } from './offer.fixtures';
import { STAGES } from './stage';

const stagePayload = { v: 1, segmentId: SEGMENT_ID, revisionId: REVISION_ID, pass: 0 } as const;

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('job catalog', () => {
  it('has a queue per stage plus webhook and llm, each with a unique job name', () => {
    expect(QUEUE_NAMES).toEqual([...STAGES, 'webhook', 'llm']);
    expect(Object.keys(JOB_CATALOG)).toEqual([...QUEUE_NAMES]);
    const names = Object.values(JOB_NAMES);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).not.toContain(':');
  });

  it('types each queue payload (compile-time map)', () => {
    const sql: JobPayload<'sql'> = parseJob('sql', stagePayload);
    const llm: JobPayload<'llm'> = parseJob('llm', {
      v: 1,
      callId: CALL_ID,
      segmentId: SEGMENT_ID,
      stage: 'sql',
    });
    const job: AnyJob = {
      queue: 'webhook',
      name: JOB_NAMES.webhook,
      data: { v: 1, eventId: EVENT_ID, segmentId: SEGMENT_ID },
    };
    expect([sql.pass, llm.stage, job.name]).toEqual([0, 'sql', 'webhook.deliver']);
  });
});

describe('parseJob', () => {
  it.each(STAGES)('parses a %s payload', (stage) => {
    expect(parseJob(stage, { ...stagePayload, pass: 2 })).toEqual({ ...stagePayload, pass: 2 });
  });

  it('reads the pass of a job written before it was named so (`attempt`), and `pass` over it', () => {
    const { pass: _pass, ...unnamed } = stagePayload;
    const written = { ...unnamed, attempt: 2 };
    expect(parseJob('sql', written)).toEqual({ ...stagePayload, pass: 2 });
    expect(jobId('sql', parseJob('sql', written))).toBe(`sql.${REVISION_ID}.2`);
    expect(parseJob('sql', { ...stagePayload, pass: 1, attempt: 2 })).toEqual({ ...stagePayload, pass: 1 });
  });

  it('writes the pass as `attempt` too, for the previous release, and reads it back as written', () => {
    const data = stageJobData({ ...stagePayload, pass: 3 });
    expect(data).toEqual({ ...stagePayload, pass: 3, attempt: 3 });
    expect(parseJob('linking', data)).toEqual({ ...stagePayload, pass: 3 });
  });

  it('parses webhook and llm payloads', () => {
    expect(parseJob('webhook', { v: 1, eventId: EVENT_ID, segmentId: SEGMENT_ID })).toEqual({
      v: 1,
      eventId: EVENT_ID,
      segmentId: SEGMENT_ID,
    });
    expect(parseJob('llm', { v: 1, callId: CALL_ID, segmentId: SEGMENT_ID, stage: 'criteria' }).stage).toBe(
      'criteria',
    );
  });

  it('rejects a version it does not know, as a non-retryable INVALID_JOB_PAYLOAD', () => {
    const error = thrown(() => parseJob('criteria', { ...stagePayload, v: 2 }));
    expect(error.code).toBe('INVALID_JOB_PAYLOAD');
    expect(error.retryable).toBe(false);
    expect(error.details?.map((d) => d.path)).toEqual(['v']);
    expect(error.message).toMatch(/^Invalid criteria job payload: v: /);
    expect(thrown(() => parseJob('criteria', { ...stagePayload, v: undefined })).details?.[0]?.path).toBe(
      'v',
    );
  });

  it('strips unknown fields (rolling deploys: a newer producer may add optional ones under v1)', () => {
    expect(parseJob('sql', { ...stagePayload, traceId: 'abc', offer: { title: 'x' } })).toEqual(stagePayload);
  });

  it('names every bad field', () => {
    const error = thrown(() => parseJob('execution', { v: 1, segmentId: 'seg-1', pass: -1 }));
    expect(error.details?.map((d) => d.path).sort()).toEqual(['pass', 'revisionId', 'segmentId']);
    expect(
      thrown(() => parseJob('llm', { v: 1, callId: CALL_ID, segmentId: SEGMENT_ID, stage: 'webhook' }))
        .details?.[0]?.path,
    ).toBe('stage');
    expect(thrown(() => parseJob('sql', null)).details).toEqual([{ path: '', reason: expect.any(String) }]);
  });

  it('refuses a queue outside the catalog', () => {
    expect(thrown(() => parseJob('reports' as QueueName, stagePayload)).code).toBe('INVALID_JOB_PAYLOAD');
  });
});

describe('jobId', () => {
  it('is deterministic per step and free of the ":" BullMQ reserves', () => {
    expect(jobId('sql', stagePayload)).toBe(`sql.${REVISION_ID}.0`);
    expect(jobId('sql', { ...stagePayload, pass: 1 })).not.toBe(jobId('sql', stagePayload));
    expect(jobId('execution', stagePayload)).not.toBe(jobId('sql', stagePayload));
    expect(jobId('webhook', { v: 1, eventId: EVENT_ID, segmentId: SEGMENT_ID })).toBe(`webhook.${EVENT_ID}`);
    expect(jobId('llm', { v: 1, callId: CALL_ID, segmentId: SEGMENT_ID, stage: 'sql' })).toBe(
      `llm.${CALL_ID}`,
    );
  });
});
