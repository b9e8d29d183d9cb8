import { MemoryAuditSink, sqlHash, type AuditEntry } from './audit';

describe('sqlHash', () => {
  it('is the sha256 of the exact text', () => {
    expect(sqlHash('select 1')).toBe('822ae07d4783158bc1912bb623e5107cc9002d519e1143a9c200ed6ee18b6d0f');
    expect(sqlHash('select 1')).not.toBe(sqlHash('select 1 '));
  });
});

describe('MemoryAuditSink', () => {
  const entry: AuditEntry = {
    sqlHash: sqlHash('x'),
    sql: 'x',
    verdict: 'rejected',
    durationMs: 0,
    at: new Date(),
  };

  it('keeps what it records', async () => {
    const sink = new MemoryAuditSink();
    await sink.record(entry);
    expect(sink.entries).toEqual([entry]);
  });

  it('rejects while failWith is set', async () => {
    const sink = new MemoryAuditSink();
    sink.failWith = new Error('down');
    await expect(sink.record(entry)).rejects.toThrow('down');
    expect(sink.entries).toEqual([]);
  });
});
