import { buildOpenApiDocument } from '@t2s/contracts';
import { listOperations, renderDocsPage } from './docs-page';

describe('docs page', () => {
  const document = buildOpenApiDocument();

  it('lists every operation of the contract, webhooks included', () => {
    const operations = listOperations(document);
    expect(operations).toContainEqual({
      method: 'POST',
      path: '/v1/segments',
      summary: 'Start building a segment from an offer',
    });
    expect(operations.map((op) => `${op.method} ${op.path}`)).toEqual(
      expect.arrayContaining(['GET /healthz', 'GET /readyz', 'GET /metrics', 'POST webhook: segmentEvent']),
    );
  });

  it('renders every operation, escaped, with no external asset', () => {
    const html = renderDocsPage(document);
    for (const op of listOperations(document)) expect(html).toContain(`<code>${op.path}</code>`);
    expect(html).toContain('A person&#39;s edit of the criteria');
    expect(html).not.toMatch(/<script|src=|https?:\/\//);
  });
});
