import { join } from 'node:path';
import { DEV_DIR, HELD_OUT_DIR, loadCases } from './load-cases';

const CASES = join(__dirname, '../../../eval/cases');

describe('loadCases', () => {
  it('loads the evaluation set recursively, leaving the held-out and tuning sets out', () => {
    const cases = loadCases(CASES);
    expect(cases).toHaveLength(101);
    expect(new Set(cases.map((c) => c.warehouse))).toEqual(new Set(['bank', 'berka']));
  });

  it('loads the held-out set when it is named', () => {
    const cases = loadCases(join(CASES, HELD_OUT_DIR));
    // 72 criteria texts written from the schemas alone, 60 rewordings of own cases (unseen/reworded),
    // and 22 offers written the same way (unseen/offers).
    expect(cases).toHaveLength(154);
    expect(cases.filter((c) => c.kind === 'criteria')).toHaveLength(132);
    expect(cases.filter((c) => c.kind === 'offer').every((c) => c.id.startsWith('o'))).toBe(true);
    expect(new Set(cases.map((c) => c.warehouse))).toEqual(new Set(['bank', 'berka', 'bank_marketing']));
  });

  it('loads the tuning set when it is named', () => {
    const cases = loadCases(join(CASES, DEV_DIR));
    // d01–d72: 24 per warehouse; e01–e36: 18 on Bank Marketing, 18 on Berka; g01–g63: rewordings of
    // own criteria cases, 45 on the demo bank and 18 on Berka; f01–f24: the demo bank, from its schema;
    // h01–h36 and i01–i36: 12 per warehouse each, j01–j24: 8 per warehouse, from the schemas alone.
    expect(cases).toHaveLength(291);
    const count = (warehouse: string) => cases.filter((c) => c.warehouse === warehouse).length;
    expect([count('bank'), count('berka'), count('bank_marketing')]).toEqual([125, 92, 74]);
  });
});
