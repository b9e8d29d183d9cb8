// Coded values read from comments in the three conventions the warehouses here are documented in (the
// demo bank's generator, Berka's documentation, the UCI data set's description), as they are stored.
import { commentCodes, yesCode } from './comment-codes';

describe('commentCodes', () => {
  it('reads the demo bank\'s "Значения: CODE — метка; ..." without the bracketed details', () => {
    expect(
      commentCodes(
        'Клиентский сегмент. Значения: MASS — массовый; AFFLUENT — массовый плюс (доход от 150 тыс. руб. в месяц или активы от 1 млн руб.); PRIVATE — private banking (активы от 30 млн руб.).',
      ),
    ).toEqual({
      kind: 'labelled',
      complete: true,
      codes: [
        { value: 'MASS', label: 'массовый' },
        { value: 'AFFLUENT', label: 'массовый плюс' },
        { value: 'PRIVATE', label: 'private banking' },
      ],
    });
    // Codes in Cyrillic and labels with commas inside a code's part.
    expect(
      commentCodes('Федеральный округ. Значения: ЦФО — Центральный федеральный округ; УФО — Уральский.')
        ?.codes,
    ).toEqual([
      { value: 'ЦФО', label: 'Центральный федеральный округ' },
      { value: 'УФО', label: 'Уральский' },
    ]);
  });

  it('marks examples ("например") as an incomplete list', () => {
    expect(commentCodes('Код группы MCC, например GROCERY — супермаркеты, FUEL — АЗС')).toEqual({
      kind: 'labelled',
      complete: false,
      codes: [
        { value: 'GROCERY', label: 'супермаркеты' },
        { value: 'FUEL', label: 'АЗС' },
      ],
    });
  });

  it("reads Berka's \"X\" stands for ... and 'X' stands for ..., commas inside a meaning included", () => {
    expect(
      commentCodes(
        'Frequency of issuance of statements: "POPLATEK MESICNE" stands for monthly issuance, "POPLATEK TYDNE" stands for weekly issuance.',
      )?.codes,
    ).toEqual([
      { value: 'POPLATEK MESICNE', label: 'monthly issuance' },
      { value: 'POPLATEK TYDNE', label: 'weekly issuance' },
    ]);
    expect(
      commentCodes(
        "Status of paying off the loan: 'A' stands for contract finished, no problems; 'D' stands for running contract, client in debt.",
      )?.codes,
    ).toEqual([
      { value: 'A', label: 'contract finished, no problems' },
      { value: 'D', label: 'running contract, client in debt' },
    ]);
  });

  it('reads a plain list of possible values', () => {
    expect(commentCodes('Type of card; possible values are "junior", "classic", "gold".')).toEqual({
      kind: 'listed',
      complete: true,
      codes: [{ value: 'junior' }, { value: 'classic' }, { value: 'gold' }],
    });
    expect(commentCodes('The values in the data are "OWNER" and "DISPONENT"; ...')?.codes).toEqual([
      { value: 'OWNER' },
      { value: 'DISPONENT' },
    ]);
  });

  it("reads UCI's (categorical: ...) with its notes, an elided list, and (binary: ...)", () => {
    expect(
      commentCodes(
        'Marital status (categorical: "married","divorced","single"; note: "divorced" means divorced or widowed). Bank client data.',
      ),
    ).toEqual({
      kind: 'listed',
      complete: true,
      codes: [{ value: 'married' }, { value: 'divorced', label: 'divorced or widowed' }, { value: 'single' }],
    });
    expect(
      commentCodes('Last contact month of year (categorical: "jan", "feb", ..., "dec"). Related with...'),
    ).toMatchObject({ kind: 'listed', complete: false });
    const binary = commentCodes('Has housing loan? (binary: "yes","no"). Bank client data.');
    expect(binary).toEqual({ kind: 'binary', complete: true, codes: [{ value: 'yes' }, { value: 'no' }] });
    expect(yesCode(binary!)).toBe('yes');
  });

  it('finds nothing in a comment that documents no codes', () => {
    expect(commentCodes('Age (numeric). Bank client data.')).toBeNull();
    expect(commentCodes(null)).toBeNull();
    expect(commentCodes('Дата открытия счёта')).toBeNull();
  });
});
