import { SEGMENT_STATUSES, STAGES, isStage, isTerminalStatus, nextStage } from './stage';

describe('stages', () => {
  it('walks criteria -> linking -> sql -> execution, then stops', () => {
    expect(STAGES.map(nextStage)).toEqual(['linking', 'sql', 'execution', null]);
  });

  it('recognises stage names only', () => {
    expect(isStage('sql')).toBe(true);
    expect(isStage('webhook')).toBe(false);
    expect(isStage(undefined)).toBe(false);
  });

  it('has succeeded and failed as the only terminal statuses', () => {
    expect(SEGMENT_STATUSES.filter(isTerminalStatus)).toEqual(['succeeded', 'failed']);
  });
});
