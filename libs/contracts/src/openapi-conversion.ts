import type { ResponseConfig, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { apiErrorSchema } from './api-error.schema';
import {
  conversionReportSchema,
  OUTCOMES_CSV_HEADER,
  outcomeImportSchema,
  outcomesCsvSchema,
} from './conversion.schema';
import { segmentIdParamsSchema } from './segment.schema';

const JSON_TYPE = 'application/json';

function error(description: string): ResponseConfig {
  return { description, content: { [JSON_TYPE]: { schema: apiErrorSchema } } };
}

const COMMON_ERRORS = {
  401: error('UNAUTHORIZED: missing or unknown API key.'),
  500: error('INTERNAL.'),
};

/** The conversion routes (issue 16, BR3): outcomes in, the report out. */
export function conversionRoutes(): RouteConfig[] {
  return [
    {
      method: 'post',
      path: '/v1/segments/{id}/outcomes',
      operationId: 'importSegmentOutcomes',
      tags: ['Conversion'],
      summary: 'Import outcomes (who converted, when) as CSV; idempotent per segment and client',
      request: {
        params: segmentIdParamsSchema,
        body: {
          required: true,
          content: {
            'text/csv': {
              schema: outcomesCsvSchema.openapi({
                description: `\`${OUTCOMES_CSV_HEADER}\` (the header line is optional), one client per line; \`converted_at\` an ISO date or date-time, or empty when unknown. Every line is checked; one bad line refuses the whole file (400, \`details[].path\` = \`line.<n>\`).`,
                example: `${OUTCOMES_CSV_HEADER}\n10234,2026-03-02\n10871,2026-03-05T10:15:00Z\n`,
              }),
            },
          },
        },
      },
      responses: {
        200: { description: 'Stored.', content: { [JSON_TYPE]: { schema: outcomeImportSchema } } },
        400: error('INVALID_REQUEST: `details` names each bad line (`line.3`) and why.'),
        404: error('NOT_FOUND: no such segment.'),
        413: error('PAYLOAD_TOO_LARGE.'),
        415: error('UNSUPPORTED_MEDIA_TYPE: the body must be text/csv.'),
        ...COMMON_ERRORS,
      },
    },
    {
      method: 'post',
      path: '/v1/segments/{id}/outcomes/warehouse',
      operationId: 'importSegmentOutcomesFromWarehouse',
      tags: ['Conversion'],
      summary:
        'Import outcomes from the warehouse table the semantic model names as campaign responses (one sandboxed query)',
      request: { params: segmentIdParamsSchema },
      responses: {
        200: { description: 'Stored.', content: { [JSON_TYPE]: { schema: outcomeImportSchema } } },
        404: error('NOT_FOUND: no such segment, no result yet, or the semantic model names no outcomes.'),
        422: error('SQL_REJECTED, SQL_FAILED, SQL_TIMEOUT or COST_LIMIT_EXCEEDED.'),
        503: error('WAREHOUSE_UNAVAILABLE: no warehouse executor, or the warehouse does not answer.'),
        ...COMMON_ERRORS,
      },
    },
    {
      method: 'get',
      path: '/v1/segments/{id}/conversion',
      operationId: 'getSegmentConversion',
      tags: ['Conversion'],
      summary:
        'Conversion in the target and control groups (Wilson 95% intervals), the lift, and segments made for the same offer',
      request: { params: segmentIdParamsSchema },
      responses: {
        200: {
          description:
            'The control group rate is the causal baseline; the comparison with other segments for the same offer is historical, not causal.',
          content: { [JSON_TYPE]: { schema: conversionReportSchema } },
        },
        400: error('INVALID_REQUEST.'),
        404: error('NOT_FOUND: no such segment, or it has no result yet.'),
        ...COMMON_ERRORS,
      },
    },
  ];
}
