import { AppError, segmentRequestSchema } from '@t2s/contracts';
import { WebhookTargetPolicy } from '@t2s/webhooks';
import { SegmentService, type SegmentServiceDeps } from './segment.service';

const offer = { product: { type: 'credit_card' }, title: 'Молодёжная кредитная карта', channel: 'PUSH' };
const request = (url: string) => segmentRequestSchema.parse({ offer, webhook: { url } });

describe('SegmentService.checkWebhook', () => {
  const policy = new WebhookTargetPolicy();
  // Only the check under test is reached: any store call would throw on the empty deps.
  const service = new SegmentService({
    webhookRefusal: (url) => policy.refusalOfUrl(url),
  } as Partial<SegmentServiceDeps> as SegmentServiceDeps);

  it('refuses an internal target with INVALID_REQUEST naming webhook.url (prefixed for a batch item)', () => {
    const refuse = (url: string, path?: string) => {
      try {
        service.checkWebhook(request(url), path);
      } catch (error) {
        return AppError.is(error) ? { code: error.code, details: error.details } : error;
      }
      return undefined;
    };
    expect(refuse('http://169.254.169.254/latest/meta-data/')).toEqual({
      code: 'INVALID_REQUEST',
      details: [
        {
          path: 'webhook.url',
          reason: '169.254.169.254 is a link-local address (169.254.0.0/16, cloud metadata)',
        },
      ],
    });
    expect(refuse('http://metadata.google.internal/', 'segments.3.')).toEqual({
      code: 'INVALID_REQUEST',
      details: [{ path: 'segments.3.webhook.url', reason: expect.stringContaining('internal name') }],
    });
  });

  it('lets a public target and a request without a webhook through', () => {
    expect(() => service.checkWebhook(request('https://co-marketer.bank.example/hooks/t2s'))).not.toThrow();
    expect(() => service.checkWebhook(segmentRequestSchema.parse({ offer }))).not.toThrow();
  });
});
