import { randomUUID } from 'node:crypto';
import { createRedisConnection } from '@t2s/queue';
import { createWebhookQueue, DEFAULT_WEBHOOK_JOB_OPTIONS, enqueueWebhook } from './webhook-queue';
import { openWebhookQueueBed, TEST_REDIS_URL, type WebhookQueueBed } from './testing/webhook-fixture';

describe('webhook queue', () => {
  let bed: WebhookQueueBed;
  beforeEach(() => {
    bed = openWebhookQueueBed();
  });
  afterEach(() => bed.teardown());

  it('enqueues an event once under its deterministic id', async () => {
    const ref = { eventId: randomUUID(), segmentId: randomUUID() };
    const first = await enqueueWebhook(bed.queue, ref);
    const again = await enqueueWebhook(bed.queue, ref);
    expect(first.id).toBe(`webhook.${ref.eventId}`);
    expect(again.id).toBe(first.id);
    expect(await bed.queue.getJobCounts('waiting')).toEqual({ waiting: 1 });
  });

  it('refuses a bad reference at the producer', async () => {
    await expect(
      enqueueWebhook(bed.queue, { eventId: 'nope', segmentId: randomUUID() }),
    ).rejects.toMatchObject({
      code: 'INVALID_JOB_PAYLOAD',
    });
    expect(await bed.queue.getJobCounts('waiting')).toEqual({ waiting: 0 });
  });

  it('uses the production retry policy unless told otherwise, and refuses a prefix without a hash tag', async () => {
    const connection = createRedisConnection(TEST_REDIS_URL);
    try {
      const queue = createWebhookQueue(connection, { prefix: bed.prefix });
      expect(queue.defaultJobOptions).toMatchObject(DEFAULT_WEBHOOK_JOB_OPTIONS);
      await queue.close();
      expect(() => createWebhookQueue(connection, { prefix: 't2s' })).toThrow(/hash tag/);
    } finally {
      await connection.quit();
    }
  });
});
