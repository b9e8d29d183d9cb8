import { Readable } from 'node:stream';
import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import {
  approvalRequestSchema,
  MEMBERS_NEXT_CURSOR_HEADER,
  membersQuerySchema,
  revisionRequestSchema,
  segmentIdParamsSchema,
  segmentListQuerySchema,
  segmentRequestSchema,
  type Approval,
  type MembersPage,
  type SegmentAccepted,
  type SegmentList,
} from '@t2s/contracts';
import { membersCsv } from '@t2s/segment-service';
import type { ApiKeyRecord } from '../auth/api-key-store';
import { CurrentApiKey } from '../auth/current-api-key.decorator';
import { parseBody } from '../validation/parse-body';
import { GATEWAY_SERVICES, type GatewayServices } from './gateway-services';
import { callerOf, idempotencyKey } from './request-parts';
import { matchesIfNoneMatch } from './segment-view-cache';
import { started } from './started-iterable';

const CSV_TYPE = 'text/csv';
const JSON_TYPE = 'application/json; charset=utf-8';

/** The segment resource: create, read, members, a person's revision, a re-run, an approval. */
@Controller('v1/segments')
export class SegmentsController {
  constructor(@Inject(GATEWAY_SERVICES) private readonly services: GatewayServices) {}

  /** The caller's segments, newest first, in keyset pages. */
  @Get()
  list(@CurrentApiKey() apiKey: ApiKeyRecord, @Query() query: unknown): Promise<SegmentList> {
    return this.services.segments.list(callerOf(apiKey), parseBody(segmentListQuerySchema, query));
  }

  @Post()
  @HttpCode(202)
  async create(
    @CurrentApiKey() apiKey: ApiKeyRecord,
    @Body() body: unknown,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SegmentAccepted> {
    const request = parseBody(segmentRequestSchema, body);
    const { accepted } = await this.services.segments.create(callerOf(apiKey), request, idempotencyKey(key));
    void reply.header('location', accepted.links.self);
    return accepted;
  }

  /**
   * A finished segment's view carries an ETag (`304` to an `If-None-Match` naming it) and is served from
   * the view cache while its version in the database is unchanged; a running one is read whole each time.
   */
  @Get(':id')
  async get(
    @CurrentApiKey() apiKey: ApiKeyRecord,
    @Param() params: unknown,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { id } = parseBody(segmentIdParamsSchema, params);
    const caller = callerOf(apiKey);
    const view = await this.services.segmentViews.read(caller, id);
    // Not visible to this key: the use case answers (its NOT_FOUND), as for every other segment route.
    if (view === null) return void reply.send(await this.services.segments.get(caller, id));
    if (view.etag !== null) {
      void reply.header('etag', view.etag);
      if (matchesIfNoneMatch(ifNoneMatch, view.etag)) return void reply.code(304).send();
    }
    void reply.type(JSON_TYPE).send(view.body);
  }

  /**
   * JSON pages by cursor; with `Accept: text/csv` the whole list streamed (or, with `cursor`/`limit`,
   * that one page as CSV and the next cursor in a header). A segment holding out a control group adds a
   * `group` column to the CSV (`target`/`control`); the JSON pages stay ids only.
   */
  @Get(':id/members')
  async members(
    @CurrentApiKey() apiKey: ApiKeyRecord,
    @Param() params: unknown,
    @Query() rawQuery: Record<string, unknown>,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MembersPage | Readable> {
    const { id } = parseBody(segmentIdParamsSchema, params);
    const query = parseBody(membersQuerySchema, rawQuery);
    const caller = callerOf(apiKey);
    if (!wantsCsv(accept)) return this.services.segments.membersPage(caller, id, query);

    // The CSV type is set only once the ids are really there: an error before that (unknown segment, no
    // result, a bad cursor, the first query failing) is the contract's JSON error with its own status.
    if (rawQuery['cursor'] === undefined && rawQuery['limit'] === undefined) {
      const batches = await started(await this.services.segments.members(caller, id));
      const groupOf = await this.services.conversion.groups(caller, id);
      void reply
        .type(`${CSV_TYPE}; charset=utf-8`)
        .header('content-disposition', `attachment; filename="segment-${id}.csv"`);
      return Readable.from(membersCsv(batches, groupOf));
    }
    const page = await this.services.segments.membersPage(caller, id, query);
    const groupOf = await this.services.conversion.groups(caller, id);
    void reply.type(`${CSV_TYPE}; charset=utf-8`);
    if (page.nextCursor !== null) void reply.header(MEMBERS_NEXT_CURSOR_HEADER, page.nextCursor);
    return Readable.from(membersCsv([page.ids], groupOf));
  }

  @Post(':id/revisions')
  @HttpCode(202)
  async revise(
    @CurrentApiKey() apiKey: ApiKeyRecord,
    @Param() params: unknown,
    @Body() body: unknown,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SegmentAccepted> {
    const { id } = parseBody(segmentIdParamsSchema, params);
    const change = parseBody(revisionRequestSchema, body);
    const accepted = await this.services.segments.revise(callerOf(apiKey), id, change, idempotencyKey(key));
    void reply.header('location', accepted.links.self);
    return accepted;
  }

  @Post(':id/rerun')
  @HttpCode(202)
  async rerun(
    @CurrentApiKey() apiKey: ApiKeyRecord,
    @Param() params: unknown,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SegmentAccepted> {
    const { id } = parseBody(segmentIdParamsSchema, params);
    const accepted = await this.services.segments.rerun(callerOf(apiKey), id, idempotencyKey(key));
    void reply.header('location', accepted.links.self);
    return accepted;
  }

  /** A person accepts the current revision; an empty body approves whatever revision is current. */
  @Post(':id/approval')
  @HttpCode(200)
  approve(
    @CurrentApiKey() apiKey: ApiKeyRecord,
    @Param() params: unknown,
    @Body() body: unknown,
  ): Promise<Approval> {
    const { id } = parseBody(segmentIdParamsSchema, params);
    const request = parseBody(approvalRequestSchema, body ?? {});
    return this.services.segments.approve(callerOf(apiKey), id, request);
  }
}

/** CSV only when asked for and preferred to JSON; a browser's wildcard Accept gets JSON. */
function wantsCsv(accept: string | undefined): boolean {
  if (!accept) return false;
  const types = accept.split(',').map((part) => part.split(';', 1)[0]?.trim().toLowerCase());
  const csv = types.indexOf(CSV_TYPE);
  const json = types.indexOf('application/json');
  return csv !== -1 && (json === -1 || csv < json);
}
