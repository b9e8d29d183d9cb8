import { SEGMENT_STATUSES, STAGES, isExecutedStatus, isStage, isTerminalStatus, nextStage } from './stage';

describe('stages', () => {
  it('walks criteria -> linking -> sql -> execution, then stops', () => {
    expect(STAGES.map(nextStage)).toEqual(['linking', 'sql', 'execution', null]);
  });

  it('recognises stage names only', () => {
    expect(isStage('sql')).toBe(true);
    expect(isStage('webhook')).toBe(false);
    expect(isStage(undefined)).toBe(false);
  });

  it('has succeeded, needs_review and failed as the terminal statuses', () => {
    expect(SEGMENT_STATUSES.filter(isTerminalStatus)).toEqual(['succeeded', 'needs_review', 'failed']);
  });

  it('counts needs_review as executed, like succeeded: SQL, size and ids are there', () => {
    expect(SEGMENT_STATUSES.filter(isExecutedStatus)).toEqual(['succeeded', 'needs_review']);
  });
});
