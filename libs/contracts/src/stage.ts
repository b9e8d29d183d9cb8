import { z } from './zod-openapi';

/** Pipeline stages in run order; each has its own BullMQ queue (see job-payloads.ts). */
export const STAGES = ['criteria', 'linking', 'sql', 'execution'] as const;
export type Stage = (typeof STAGES)[number];

export const stageSchema = z.enum(STAGES).openapi('Stage', {
  description: 'Pipeline stage: criteria -> linking -> sql -> execution.',
});

/**
 * What a stage pass returns: the stage to run next and the pass it runs as, or `next: null` when the run
 * is over. A step forward keeps the pass; a repair round (execution back to sql) takes the next one.
 */
export type StageStep = { next: Stage; pass: number } | { next: null };

/**
 * No `cancelled` yet: nothing in the API cancels a segment (a revision supersedes the run in flight
 * instead). Clients switch on this list, so a value is added together with the endpoint that produces it.
 */
export const SEGMENT_STATUSES = ['queued', 'running', 'succeeded', 'needs_review', 'failed'] as const;
export type SegmentStatus = (typeof SEGMENT_STATUSES)[number];

export const segmentStatusSchema = z.enum(SEGMENT_STATUSES).openapi('SegmentStatus', {
  description:
    'queued: accepted, no stage started; running: a stage is in progress. Final: succeeded (the text was ' +
    'understood whole and the query ran); needs_review (the query ran, and SQL, size and ids are there, ' +
    'but part of the text maps to no warehouse data: `understanding.unparsed` names it, so the segment may ' +
    'be broader than the text; a person should look before it is used); failed (`error` says why).',
});

/** The statuses a run ends in; no stage runs after them until a person posts a revision or a re-run. */
export type TerminalSegmentStatus = Exclude<SegmentStatus, 'queued' | 'running'>;
export const TERMINAL_SEGMENT_STATUSES: readonly TerminalSegmentStatus[] = [
  'succeeded',
  'needs_review',
  'failed',
];

/** The final statuses of a run whose query executed: the segment has SQL, a size and member ids. */
export type ExecutedSegmentStatus = Extract<TerminalSegmentStatus, 'succeeded' | 'needs_review'>;
export const EXECUTED_SEGMENT_STATUSES: readonly ExecutedSegmentStatus[] = ['succeeded', 'needs_review'];

export function isTerminalStatus(status: SegmentStatus): status is TerminalSegmentStatus {
  return (TERMINAL_SEGMENT_STATUSES as readonly SegmentStatus[]).includes(status);
}

/** True when the run executed its query (succeeded or needs_review): the result and the ids are there. */
export function isExecutedStatus(status: SegmentStatus): status is ExecutedSegmentStatus {
  return (EXECUTED_SEGMENT_STATUSES as readonly SegmentStatus[]).includes(status);
}

export function isStage(value: unknown): value is Stage {
  return typeof value === 'string' && (STAGES as readonly string[]).includes(value);
}

/** The stage that runs after `stage`, or null after the last one (the run is then complete). */
export function nextStage(stage: Stage): Stage | null {
  return STAGES[STAGES.indexOf(stage) + 1] ?? null;
}
