import {
  AppError,
  SEGMENT_ORIGINS,
  type ComparedSegment,
  type ConversionGroup,
  type ConversionReport,
  type GroupConversion,
  type OutcomeImport,
} from '@t2s/contracts';
import { outcomesSql, type OutcomesSpec } from '@t2s/semantic';
import {
  controlGroupOf,
  controlShareOf,
  controlThreshold,
  currentRevision,
  type GroupCounts,
  type MemberStore,
  type OutcomeStore,
  type SegmentRecord,
  type SegmentRepository,
} from '@t2s/service-store';
import { parseOutcomesCsv } from './outcomes-csv';
import type { InsightWarehouse } from './segment-insights';
import { segmentOrigin } from './segment-origin';
import type { Caller, SegmentService } from './segment.service';
import { differenceInterval, wilsonInterval } from './wilson';

export interface ConversionServiceDeps {
  /** Access: a key sees only its own segments (another key's is NOT_FOUND), an admin key every one. */
  segments: Pick<SegmentService, 'require'>;
  /** The other segments of an offer, read as stored (access is checked by `OutcomeStore.sameOffer`). */
  records: Pick<SegmentRepository, 'findById'>;
  members: Pick<MemberStore, 'stream'>;
  outcomes: OutcomeStore;
  /** A sandbox per warehouse (`InsightWarehouses`); rejects (AppError) when the deployment has none. */
  warehouse: (name: string) => Promise<InsightWarehouse>;
  /** The warehouse's outcomes entry (`findOutcomesSpec` of @t2s/semantic), or undefined. */
  outcomesSpec: (warehouse: string) => OutcomesSpec | undefined;
  /** How many segments of the same offer the report compares at most (default 50). */
  compareLimit?: number;
}

/** At most this many bad lines are listed in a refused import's details (the message gives the count). */
const MAX_LINE_DETAILS = 100;

/**
 * Conversion (issue 16, BR3), free of HTTP: outcomes in (a CSV, or the warehouse's campaign responses),
 * and the report out: the target and the control group's rates with Wilson intervals, the lift, and the
 * segments made for the same offer by origin. The control group is the causal baseline: the same audience,
 * held out by a hash. The comparison by origin is historical: other audiences, other times.
 */
export class ConversionService {
  constructor(private readonly deps: ConversionServiceDeps) {}

  /** A whole CSV, or nothing: any bad line refuses the file with every bad line's number. */
  async importCsv(caller: Caller, id: string, text: string): Promise<OutcomeImport> {
    await this.deps.segments.require(caller, id);
    const { rows, errors } = parseOutcomesCsv(text);
    if (errors.length > 0) {
      const first = errors[0]!;
      throw new AppError(
        'INVALID_REQUEST',
        `Outcomes CSV: line ${first.line}: ${first.reason}` +
          (errors.length > 1
            ? ` (and ${errors.length - 1} more bad lines); nothing was stored`
            : '; nothing was stored'),
        {
          details: errors
            .slice(0, MAX_LINE_DETAILS)
            .map((e) => ({ path: `line.${e.line}`, reason: e.reason })),
        },
      );
    }
    const stored = await this.deps.outcomes.record(id, rows, 'csv', caller.id);
    return { segmentId: id, source: 'csv', lines: rows.length, ...stored };
  }

  /**
   * The warehouse's converted clients among the visible result's members, by one query through the
   * sandbox under the person policy: the outcome may be a column no strategy may read (`client.y`), so the
   * query is built here from the model's `outcomes` entry alone, never from a strategy's output, and it is
   * audited with the segment like any SQL the service runs.
   */
  async importFromWarehouse(caller: Caller, id: string): Promise<OutcomeImport> {
    const segment = await this.deps.segments.require(caller, id);
    if (segment.currentRunId === null) throw noResult();
    const name = segment.options.warehouse;
    const spec = this.deps.outcomesSpec(name);
    if (!spec) {
      throw new AppError(
        'NOT_FOUND',
        `The semantic model of warehouse ${name} names no outcomes (config/warehouses/<name>.annotations.json)`,
      );
    }
    const { model, sandbox } = await this.deps.warehouse(name);
    const converted = new Set<string>();
    const result = await sandbox.execute(outcomesSql(spec, model.schema), {
      context: {
        segmentId: segment.id,
        revisionId: segment.currentRevisionId,
        apiKeyId: segment.apiKeyId,
        origin: 'person',
        output: 'ids',
      },
      onIds: async (ids) => void ids.forEach((c) => converted.add(c)),
    });
    if (!result.ok) throw new AppError(result.code, result.message);
    const rows: { clientId: string; convertedAt: null }[] = [];
    for await (const ids of this.deps.members.stream(id)) {
      for (const clientId of ids) if (converted.has(clientId)) rows.push({ clientId, convertedAt: null });
    }
    const stored = await this.deps.outcomes.record(id, rows, 'warehouse', caller.id);
    return { segmentId: id, source: 'warehouse', lines: converted.size, ...stored };
  }

  /** The group of each member for the CSV export, or null when the segment holds out no control group. */
  async groups(caller: Caller, id: string): Promise<((clientId: string) => ConversionGroup) | null> {
    const segment = await this.deps.segments.require(caller, id);
    const share = controlShareOf(segment.options);
    if (share === null) return null;
    const threshold = controlThreshold(share);
    return (clientId) => controlGroupOf(id, clientId, share, threshold);
  }

  async report(caller: Caller, id: string): Promise<ConversionReport> {
    const segment = await this.deps.segments.require(caller, id);
    if (segment.currentRunId === null) throw noResult();
    const share = controlShareOf(segment.options);
    const [counts, summary] = await Promise.all([
      this.deps.outcomes.groups(id, segment.currentRunId, share),
      this.deps.outcomes.summary(id),
    ]);
    const target = rateOf(counts.target);
    const control = share === null ? null : rateOf(counts.control);
    const interval =
      control && counts.control.size > 0 && counts.target.size > 0
        ? differenceInterval(
            counts.target.converted,
            counts.target.size,
            counts.control.converted,
            counts.control.size,
          )
        : null;
    return {
      segmentId: id,
      revision: currentRevision(segment).number,
      controlShare: share,
      outcomes: {
        recorded: summary.recorded,
        imports: summary.imports,
        lastImportAt: summary.lastImportAt?.toISOString() ?? null,
      },
      target,
      control,
      lift:
        control && interval && target.rate !== null && control.rate !== null
          ? {
              ratio: control.rate > 0 ? target.rate / control.rate : null,
              difference: target.rate - control.rate,
              differenceInterval: interval,
            }
          : null,
      comparison: await this.comparison(caller, segment),
    };
  }

  /** The caller's segments for the same offer, each over its target group, and their sums by origin. */
  private async comparison(caller: Caller, segment: SegmentRecord): Promise<ConversionReport['comparison']> {
    const key = offerKey(segment);
    if (!key) return null;
    const siblings = await this.deps.outcomes.sameOffer(
      key.by,
      key.value,
      { apiKeyId: caller.id, ...(caller.admin ? { admin: true } : {}) },
      this.deps.compareLimit ?? 50,
    );
    const segments: ComparedSegment[] = [];
    for (const sibling of siblings) {
      const record = await this.deps.records.findById(sibling.id);
      if (!record || record.currentRunId !== sibling.runId) continue;
      const [counts, summary] = await Promise.all([
        this.deps.outcomes.groups(sibling.id, sibling.runId, controlShareOf(record.options)),
        this.deps.outcomes.summary(sibling.id),
      ]);
      segments.push({
        id: record.id,
        title: record.offer.title,
        origin: segmentOrigin(record),
        revision: currentRevision(record).number,
        outcomesImported: summary.imports > 0,
        ...rateOf(counts.target),
      });
    }
    const origins = SEGMENT_ORIGINS.map((origin) => {
      const measured = segments.filter((s) => s.origin === origin && s.outcomesImported);
      const sum = measured.reduce(
        (total, s) => ({ size: total.size + s.size, converted: total.converted + s.converted }),
        { size: 0, converted: 0 },
      );
      return { origin, segments: measured.length, ...rateOf(sum) };
    });
    return { by: key.by, value: key.value, origins, segments };
  }
}

function rateOf(counts: GroupCounts): GroupConversion {
  return {
    size: counts.size,
    converted: counts.converted,
    rate: counts.size > 0 ? counts.converted / counts.size : null,
    interval: wilsonInterval(counts.converted, counts.size),
  };
}

function offerKey(segment: SegmentRecord): { by: 'offerId' | 'campaignId'; value: string } | null {
  if (segment.offer.id) return { by: 'offerId', value: segment.offer.id };
  if (segment.offer.campaignId) return { by: 'campaignId', value: segment.offer.campaignId };
  return null;
}

function noResult(): AppError {
  return new AppError(
    'NOT_FOUND',
    'The segment has no result yet (or a newer revision is running); conversion is counted over its members',
  );
}
