import type { OpenApiDocument } from '@t2s/contracts';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

export interface Operation {
  method: string;
  path: string;
  summary: string;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Every operation of the document (webhooks included, by name), in document order. */
export function listOperations(document: OpenApiDocument): Operation[] {
  const groups = [
    ...Object.entries(document.paths ?? {}),
    ...Object.entries(document.webhooks ?? {}).map(([name, item]) => [`webhook: ${name}`, item] as const),
  ];
  return groups.flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const operation = item?.[method];
      return operation ? [{ method: method.toUpperCase(), path, summary: operation.summary ?? '' }] : [];
    }),
  );
}

/**
 * The `/docs` page. Rendered on the server from the same document `/docs/openapi.json` serves, so it needs
 * no script, no CDN and no network: it works inside the bank's network and under a CSP that allows nothing.
 */
export function renderDocsPage(document: OpenApiDocument): string {
  const rows = listOperations(document)
    .map(
      (op) =>
        `<tr><td class="m">${escapeHtml(op.method)}</td><td><code>${escapeHtml(op.path)}</code></td><td>${escapeHtml(op.summary)}</td></tr>`,
    )
    .join('\n');
  const title = escapeHtml(`${document.info.title} ${document.info.version}`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${title}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2rem;max-width:70rem}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left}
.m{font-weight:bold;font-family:monospace}
</style>
</head>
<body>
<h1>${title}</h1>
<p>The full contract: <a href="/docs/openapi.json">/docs/openapi.json</a> (OpenAPI ${escapeHtml(document.openapi)}).</p>
<table>
<thead><tr><th>method</th><th>path</th><th>summary</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</body>
</html>
`;
}
