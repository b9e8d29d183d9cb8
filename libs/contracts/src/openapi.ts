import {
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  type ResponseConfig,
  type RouteConfig,
} from '@asteasolutions/zod-to-openapi';
import { apiErrorSchema } from './api-error.schema';
import {
  BATCH_MAX_RERUNS,
  BATCH_MAX_SEGMENTS,
  batchIdParamsSchema,
  batchRequestSchema,
  batchSchema,
} from './batch.schema';
import { catalogQuerySchema, catalogResponseSchema } from './catalog-response.schema';
import { warehouseAttributesSchema, warehouseNameParamsSchema } from './criteria-spec.schema';
import { warehouseListSchema } from './warehouse-name.schema';
import { ERROR_CATALOG, ERROR_CODES } from './error-codes';
import { healthSchema, readinessSchema } from './health.schema';
import { idempotencyHeadersSchema } from './http-headers.schema';
import {
  MEMBERS_CSV_HEADER,
  MEMBERS_NEXT_CURSOR_HEADER,
  membersPageSchema,
  membersQuerySchema,
} from './members.schema';
import {
  clientExplainParamsSchema,
  clientExplanationSchema,
  insightQuerySchema,
  segmentPortraitSchema,
} from './insights.schema';
import { approvalRequestSchema, approvalSchema } from './approval.schema';
import { MEMBER_CHANGES, runDiffSchema } from './run-diff.schema';
import { conversionRoutes } from './openapi-conversion';
import { revisionRequestSchema } from './revision.schema';
import { segmentListQuerySchema, segmentListSchema } from './segment-list.schema';
import { sqlCheckRequestSchema, sqlCheckSchema } from './sql-check.schema';
import { segmentRequestSchema } from './segment-request.schema';
import { segmentAcceptedSchema, segmentIdParamsSchema, segmentSchema } from './segment.schema';
import {
  WEBHOOK_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
  WEBHOOK_TOLERANCE_SECONDS,
  webhookEventSchema,
} from './webhook-event.schema';
import { webhookSecretRotationSchema, webhookSecretSchema } from './webhook-secret.schema';
import { z } from './zod-openapi';

export interface OpenApiDocumentOptions {
  serverUrl?: string;
  version?: string;
}

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

const BEARER = 'bearerAuth';
const JSON_TYPE = 'application/json';

type ErrorStatus = 400 | 401 | 404 | 409 | 413 | 422 | 500 | 503;

const ERROR_MEANINGS: Record<ErrorStatus, string> = {
  400: 'INVALID_REQUEST: `details` names each field path and reason.',
  401: 'UNAUTHORIZED: missing or unknown API key.',
  404: 'NOT_FOUND.',
  409: 'IDEMPOTENCY_CONFLICT: the Idempotency-Key was used with another body.',
  413: 'PAYLOAD_TOO_LARGE.',
  422: 'SQL_REJECTED, SQL_FAILED, SQL_TIMEOUT or COST_LIMIT_EXCEEDED: the query was refused or did not finish.',
  500: 'INTERNAL.',
  503: 'WAREHOUSE_UNAVAILABLE.',
};

const DIFF_404 =
  'NOT_FOUND: no such segment, it has no result (none yet, or a newer revision is running), or its result is its first (nothing to compare with); the message says which.';

const OFFER_400 =
  'INVALID_OFFER when every problem is inside an offer, INVALID_REQUEST otherwise; `details` names each field path and reason.';

function errorResponses(
  statuses: ErrorStatus[],
  overrides: Partial<Record<ErrorStatus, string>> = {},
): Record<string, ResponseConfig> {
  return Object.fromEntries(
    statuses.map((status) => [
      String(status),
      {
        description: overrides[status] ?? ERROR_MEANINGS[status],
        content: { [JSON_TYPE]: { schema: apiErrorSchema } },
      },
    ]),
  );
}

function json(schema: z.ZodType, description: string): ResponseConfig {
  return { description, content: { [JSON_TYPE]: { schema } } };
}

const locationHeaders = z.object({
  Location: z.string().openapi({ description: 'Where to poll the resource.' }),
});

function errorCodeTable(): string {
  const rows = ERROR_CODES.map((code) => {
    const info = ERROR_CATALOG[code];
    return `| \`${code}\` | ${info.httpStatus} | ${info.retryable ? 'yes' : 'no'} | ${info.description} |`;
  });
  return ['| code | HTTP | transient | meaning |', '|---|---|---|---|', ...rows].join('\n');
}

const DESCRIPTION = `Builds marketing audience segments for a retail bank from an offer: criteria -> schema linking -> SQL -> sandboxed execution.
Runs are asynchronous: POSTs answer 202 and the segment is polled (GET) or reported by webhook.
A run ends \`succeeded\`, \`needs_review\` (the query ran, but part of the text maps to no warehouse data:
\`understanding.unparsed\` names it, so the segment may be broader than the text) or \`failed\`. Automated callers
that must not receive such a segment send \`options.onUnparsed: "fail"\` and get CRITERIA_PARTIAL instead.

Authentication: \`Authorization: Bearer <API key>\` on every /v1 route.

Validation: unknown fields inside \`offer\` are ignored (stripped); unknown fields anywhere else in a request body are a 400,
so a misspelt field is never silently dropped. No string may contain NUL (U+0000) or a lone UTF-16 surrogate (400).
Every 4xx/5xx body is an \`ApiError\`, also those the HTTP layer answers before any route: 400 for a malformed request
or header, 413 for a body over the limit, 414 for a URI over 8 KiB, 415 for a Content-Type it does not parse, 431 for headers over 16 KiB.

Webhooks: Standard Webhooks (standardwebhooks.com): \`${WEBHOOK_ID_HEADER}\` (the event id, kept across redeliveries),
\`${WEBHOOK_TIMESTAMP_HEADER}\` and \`${WEBHOOK_SIGNATURE_HEADER}: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<raw body>">\`, keyed with
the API key's own \`whsec_\` secret (several space-separated signatures while a rotation rolls over). Verify with any
Standard Webhooks library, reject deliveries older than ${WEBHOOK_TOLERANCE_SECONDS} s and deduplicate on the event id.
POST /v1/webhook-secret/rotate issues a new secret. Webhook URLs must be public http(s) targets: internal addresses and
names are refused at POST (400) and, after resolving the name, at every delivery.

Error codes (shared by API errors, failed segments, webhooks and metrics):

${errorCodeTable()}`;

/** Every route of the HTTP API with its request parts, as the document describes them (specs walk them too). */
export function apiRoutes(): RouteConfig[] {
  const idempotent = { headers: idempotencyHeadersSchema };
  return [
    {
      method: 'post',
      path: '/v1/segments',
      operationId: 'createSegment',
      tags: ['Segments'],
      summary: 'Start building a segment from an offer',
      request: {
        ...idempotent,
        body: { required: true, content: { [JSON_TYPE]: { schema: segmentRequestSchema } } },
      },
      responses: {
        202: { ...json(segmentAcceptedSchema, 'Accepted; the run is queued.'), headers: locationHeaders },
        ...errorResponses([400, 401, 409, 413, 500], { 400: OFFER_400 }),
      },
    },
    {
      method: 'get',
      path: '/v1/segments/{id}',
      operationId: 'getSegment',
      tags: ['Segments'],
      summary: 'Status, criteria, SQL, result, timings, tokens, error and history',
      request: { params: segmentIdParamsSchema },
      responses: {
        200: json(segmentSchema, 'The segment.'),
        ...errorResponses([400, 401, 404, 500]),
      },
    },
    {
      method: 'get',
      path: '/v1/segments/{id}/members',
      operationId: 'listSegmentMembers',
      tags: ['Segments'],
      summary:
        'Member client ids: cursor-paginated JSON, or the whole list as streamed CSV (Accept: text/csv)',
      request: { params: segmentIdParamsSchema, query: membersQuerySchema },
      responses: {
        200: {
          description: `A page of ids as JSON. With \`Accept: text/csv\` and neither \`limit\` nor \`cursor\`: every id, streamed (a \`${MEMBERS_CSV_HEADER}\` header line, then one id per line). With \`limit\` or \`cursor\`: that page as CSV, the next cursor in the \`${MEMBERS_NEXT_CURSOR_HEADER}\` header (absent on the last page).`,
          headers: z.object({
            [MEMBERS_NEXT_CURSOR_HEADER]: z
              .string()
              .optional()
              .openapi({ description: 'CSV responses only.' }),
          }),
          content: {
            [JSON_TYPE]: { schema: membersPageSchema },
            'text/csv': { schema: z.string().openapi({ example: `${MEMBERS_CSV_HEADER}\n10234\n10871\n` }) },
          },
        },
        ...errorResponses([400, 401, 404, 500], {
          404: 'NOT_FOUND: no such segment, or it has no result yet.',
        }),
      },
    },
    {
      method: 'get',
      path: '/v1/segments/{id}/clients/{clientId}/explain',
      operationId: 'explainSegmentClient',
      tags: ['Segments'],
      summary:
        'Why a client is in the segment or out of it: each criterion, passed or not, with the values it read',
      request: { params: clientExplainParamsSchema, query: insightQuerySchema },
      responses: {
        200: json(
          clientExplanationSchema,
          'One read-only query through the sandbox; it reads no personal data.',
        ),
        ...errorResponses([400, 401, 404, 422, 500, 503], {
          404: 'NOT_FOUND: no such segment, no SQL yet, or no such client in the warehouse.',
          503: 'The gateway has no warehouse executor (WAREHOUSE_EXECUTOR_URL) or the warehouse does not answer.',
        }),
      },
    },
    {
      method: 'get',
      path: '/v1/segments/{id}/portrait',
      operationId: 'getSegmentPortrait',
      tags: ['Segments'],
      summary: "The segment against the whole base on the semantic model's key attributes",
      request: { params: segmentIdParamsSchema, query: insightQuerySchema },
      responses: {
        200: json(
          segmentPortraitSchema,
          'One read-only query through the sandbox, on the warehouse as it is now.',
        ),
        ...errorResponses([400, 401, 404, 422, 500, 503], {
          404: 'NOT_FOUND: no such segment, or it has no SQL yet.',
          503: 'The gateway has no warehouse executor (WAREHOUSE_EXECUTOR_URL) or the warehouse does not answer.',
        }),
      },
    },
    {
      method: 'post',
      path: '/v1/segments/{id}/revisions',
      operationId: 'createRevision',
      tags: ['Segments'],
      summary: "A person's edit of the criteria or the SQL; the run resumes from the matching stage",
      request: {
        ...idempotent,
        params: segmentIdParamsSchema,
        body: { required: true, content: { [JSON_TYPE]: { schema: revisionRequestSchema } } },
      },
      responses: {
        202: {
          ...json(segmentAcceptedSchema, 'Accepted; the revision is recorded and its run queued.'),
          headers: locationHeaders,
        },
        ...errorResponses([400, 401, 404, 409, 413, 500]),
      },
    },
    {
      method: 'post',
      path: '/v1/segments/{id}/rerun',
      operationId: 'rerunSegment',
      tags: ['Segments'],
      summary: 'Run the latest criteria and SQL again on current data (recorded as a revision)',
      request: { ...idempotent, params: segmentIdParamsSchema },
      responses: {
        202: { ...json(segmentAcceptedSchema, 'Accepted; the re-run is queued.'), headers: locationHeaders },
        ...errorResponses([400, 401, 404, 409, 500]),
      },
    },
    {
      method: 'get',
      path: '/v1/segments',
      operationId: 'listSegments',
      tags: ['Segments'],
      summary: "The caller's segments, newest first (every key's for an admin key), in keyset pages",
      request: { query: segmentListQuerySchema },
      responses: {
        200: json(segmentListSchema, 'A page of segments.'),
        ...errorResponses([400, 401, 500]),
      },
    },
    {
      method: 'post',
      path: '/v1/segments/{id}/approval',
      operationId: 'approveSegment',
      tags: ['Segments'],
      summary:
        "A person accepts the current revision's result; its criteria and SQL become examples for the LLM strategy",
      request: {
        params: segmentIdParamsSchema,
        body: { required: false, content: { [JSON_TYPE]: { schema: approvalRequestSchema } } },
      },
      responses: {
        200: json(approvalSchema, 'Approved (approving the same revision again answers the same approval).'),
        ...errorResponses([400, 401, 404, 409, 500], {
          409: 'NOT_APPROVABLE: the run has not succeeded, or `revision` is no longer the current one.',
        }),
      },
    },
    {
      method: 'get',
      path: '/v1/segments/{id}/diff',
      operationId: 'getSegmentDiff',
      tags: ['Segments'],
      summary: 'What changed since the previous result: entered, left and stayed, by data or by definition',
      request: { params: segmentIdParamsSchema },
      responses: {
        200: json(runDiffSchema, "The visible result's diff against the result before it."),
        ...errorResponses([400, 401, 404, 500], { 404: DIFF_404 }),
      },
    },
    ...MEMBER_CHANGES.map((change): RouteConfig => ({
      method: 'get',
      path: `/v1/segments/{id}/diff/${change}`,
      operationId: change === 'entered' ? 'exportSegmentDiffEntered' : 'exportSegmentDiffLeft',
      tags: ['Segments'],
      summary: `The client ids that ${change} the segment with its visible result, as streamed CSV`,
      request: { params: segmentIdParamsSchema },
      responses: {
        200: {
          description: `Every id, streamed: a \`${MEMBERS_CSV_HEADER}\` header line, then one id per line, in byte order.`,
          content: {
            'text/csv': { schema: z.string().openapi({ example: `${MEMBERS_CSV_HEADER}\n10234\n10871\n` }) },
          },
        },
        ...errorResponses([400, 401, 404, 500], { 404: DIFF_404 }),
      },
    })),
    ...conversionRoutes(),
    {
      method: 'post',
      path: '/v1/batches',
      operationId: 'createBatch',
      tags: ['Batches'],
      summary: `Many segment requests (1..${BATCH_MAX_SEGMENTS}) or many segment ids to re-run (1..${BATCH_MAX_RERUNS})`,
      request: {
        ...idempotent,
        body: { required: true, content: { [JSON_TYPE]: { schema: batchRequestSchema } } },
      },
      responses: {
        202: { ...json(batchSchema, 'Accepted; every item is queued.'), headers: locationHeaders },
        ...errorResponses([400, 401, 404, 409, 413, 500], {
          400: OFFER_400,
          404: 'NOT_FOUND: a `rerun` id names no segment; `details` lists each (`rerun.<index>`). Nothing is queued.',
        }),
      },
    },
    {
      method: 'get',
      path: '/v1/batches/{id}',
      operationId: 'getBatch',
      tags: ['Batches'],
      summary: 'Batch progress and per-item status',
      request: { params: batchIdParamsSchema },
      responses: {
        200: json(batchSchema, 'The batch.'),
        ...errorResponses([400, 401, 404, 500]),
      },
    },
    {
      method: 'get',
      path: '/v1/catalog',
      operationId: 'getCatalog',
      tags: ['Catalog'],
      summary: 'Tables and columns of a warehouse that criteria can use',
      request: { query: catalogQuerySchema },
      responses: {
        200: json(catalogResponseSchema, 'The catalog.'),
        ...errorResponses([400, 401, 404, 500], { 404: 'NOT_FOUND: no such warehouse.' }),
      },
    },
    {
      method: 'get',
      path: '/v1/warehouses',
      operationId: 'listWarehouses',
      tags: ['Catalog'],
      summary: 'The warehouses this deployment serves (the names `options.warehouse` accepts)',
      responses: {
        200: json(warehouseListSchema, 'The warehouses, in configuration order.'),
        ...errorResponses([401, 500]),
      },
    },
    {
      method: 'get',
      path: '/v1/warehouses/{name}/attributes',
      operationId: 'listAttributes',
      tags: ['Catalog'],
      summary: "A warehouse's attributes and coded values, for a criteria builder (`criteriaSpec`)",
      request: { params: warehouseNameParamsSchema },
      responses: {
        200: json(warehouseAttributesSchema, 'The attributes and the coded columns with their values.'),
        ...errorResponses([400, 401, 404, 500], {
          404: 'NOT_FOUND: no such warehouse, or it has no semantic model.',
        }),
      },
    },
    {
      method: 'post',
      path: '/v1/sql/check',
      operationId: 'checkSql',
      tags: ['Catalog'],
      summary: "The SQL guard's verdict on a text before it runs (nothing is sent to the warehouse)",
      request: { body: { required: true, content: { [JSON_TYPE]: { schema: sqlCheckRequestSchema } } } },
      responses: {
        200: json(
          sqlCheckSchema,
          'The verdict: accepted with the relations read, or refused with code and reason.',
        ),
        ...errorResponses([400, 401, 404, 413, 500], { 404: 'NOT_FOUND: no such warehouse.' }),
      },
    },
    {
      method: 'post',
      path: '/v1/webhook-secret/rotate',
      operationId: 'rotateWebhookSecret',
      tags: ['Webhooks'],
      summary: "A new signing secret for the calling key's webhooks, shown once; the old one rolls over",
      request: {
        body: { required: false, content: { [JSON_TYPE]: { schema: webhookSecretRotationSchema } } },
      },
      responses: {
        200: json(webhookSecretSchema, 'The new secret; deliveries are signed with it from now on.'),
        ...errorResponses([400, 401, 500]),
      },
    },
    {
      method: 'get',
      path: '/healthz',
      operationId: 'healthz',
      tags: ['Operations'],
      summary: 'Liveness',
      security: [],
      responses: { 200: json(healthSchema, 'The process is up.') },
    },
    {
      method: 'get',
      path: '/readyz',
      operationId: 'readyz',
      tags: ['Operations'],
      summary: 'Readiness: PostgreSQL, Redis and the warehouse answer; every queue has a worker',
      security: [],
      responses: {
        200: json(readinessSchema, 'Ready (`ok`), or `degraded`: a queue has no worker, its runs wait.'),
        503: json(readinessSchema, 'A dependency is down; `checks` says which.'),
      },
    },
    {
      method: 'get',
      path: '/metrics',
      operationId: 'metrics',
      tags: ['Operations'],
      // Unauthenticated like the probes: Prometheus scrapes it from inside the cluster network.
      summary: 'Prometheus metrics',
      security: [],
      responses: {
        200: {
          description: 'Prometheus text exposition format.',
          content: { 'text/plain; version=0.0.4': { schema: z.string() } },
        },
      },
    },
  ];
}

const webhookRoute: RouteConfig = {
  method: 'post',
  path: 'segmentEvent',
  operationId: 'segmentEvent',
  summary: 'Sent to the webhook URL of the request when a run ends: succeeded, needs_review or failed',
  request: {
    headers: z.object({
      [WEBHOOK_ID_HEADER]: z.uuid().openapi({
        param: { description: "The event id (the body's `id`), the same on every redelivery." },
      }),
      [WEBHOOK_TIMESTAMP_HEADER]: z.string().openapi({
        param: { description: 'Unix seconds at sending.' },
        example: '1767225600',
      }),
      [WEBHOOK_SIGNATURE_HEADER]: z.string().openapi({
        param: {
          description:
            'Space-separated `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<raw body>">`, one per valid secret.',
        },
        example: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
      }),
    }),
    body: { required: true, content: { [JSON_TYPE]: { schema: webhookEventSchema } } },
  },
  responses: {
    200: {
      description: 'Any 2xx acknowledges the event; anything else (or no answer) is retried with backoff.',
    },
  },
};

/** The OpenAPI 3.1 document of the HTTP API and its webhook, generated from the zod contracts. */
export function buildOpenApiDocument(options: OpenApiDocumentOptions = {}): OpenApiDocument {
  // A registry per call: no module state, so two documents (tests, a server) never share definitions.
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', BEARER, {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key issued per calling system.',
  });
  for (const route of apiRoutes()) registry.registerPath(route);
  registry.registerWebhook(webhookRoute);

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 't2s: text-to-SQL audience segments',
      version: options.version ?? '0.1.0',
      description: DESCRIPTION,
    },
    ...(options.serverUrl === undefined ? {} : { servers: [{ url: options.serverUrl }] }),
    security: [{ [BEARER]: [] }],
    tags: [
      { name: 'Segments', description: 'Build, inspect, edit and re-run one segment.' },
      { name: 'Batches', description: 'Many segments at once.' },
      { name: 'Catalog', description: 'What the warehouse offers to criteria.' },
      { name: 'Operations', description: 'Probes and metrics; no API key.' },
    ],
  });
}
