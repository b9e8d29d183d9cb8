import { z } from './zod-openapi';

/** Pipeline stages in run order; each has its own BullMQ queue (see job-payloads.ts). */
export const STAGES = ['criteria', 'linking', 'sql', 'execution'] as const;
export type Stage = (typeof STAGES)[number];

export const stageSchema = z.enum(STAGES).openapi('Stage', {
  description: 'Pipeline stage: criteria -> linking -> sql -> execution.',
});

/**
 * No `cancelled` yet: nothing in the API cancels a segment (a revision supersedes the run in flight
 * instead). Clients switch on this list, so a value is added together with the endpoint that produces it.
 */
export const SEGMENT_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type SegmentStatus = (typeof SEGMENT_STATUSES)[number];

export const segmentStatusSchema = z.enum(SEGMENT_STATUSES).openapi('SegmentStatus', {
  description:
    'queued: accepted, no stage started; running: a stage is in progress; succeeded/failed: final.',
});

/** Statuses after which no stage runs until a person posts a revision or a re-run. */
export const TERMINAL_SEGMENT_STATUSES: readonly SegmentStatus[] = ['succeeded', 'failed'];

export function isTerminalStatus(status: SegmentStatus): boolean {
  return TERMINAL_SEGMENT_STATUSES.includes(status);
}

export function isStage(value: unknown): value is Stage {
  return typeof value === 'string' && (STAGES as readonly string[]).includes(value);
}

/** The stage that runs after `stage`, or null after the last one (the run is then complete). */
export function nextStage(stage: Stage): Stage | null {
  return STAGES[STAGES.indexOf(stage) + 1] ?? null;
}
