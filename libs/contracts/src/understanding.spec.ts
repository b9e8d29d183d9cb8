import {
  criteriaPartialMessage,
  executedStatus,
  isMeaningfulFragment,
  meaningfulUnparsed,
  understandingOf,
  understandingSchema,
  understoodText,
} from './understanding';

describe('understandingOf', () => {
  const text = 'возраст от 20 до 25 лет; любит котиков'; // 38 characters

  it('is whole when nothing is unparsed', () => {
    expect(understandingOf(text, [])).toEqual({ coverage: 1, unparsed: [] });
  });

  it('keeps the coverage a strategy counted (the parser counts content words), clamped to 0..1', () => {
    expect(understandingOf(text, ['любит котиков'], 0.75)).toEqual({
      coverage: 0.75,
      unparsed: ['любит котиков'],
    });
    expect(understandingOf(text, [], 1.5).coverage).toBe(1);
    expect(understandingOf(text, ['x'], -0.1).coverage).toBe(0);
  });

  it('derives it from characters when the strategy counts none (the LLM strategy)', () => {
    expect(understandingOf(text, ['любит котиков']).coverage).toBeCloseTo(1 - 13 / 38, 10);
    expect(understandingOf(`  ${text}\n`, [' любит котиков ']).coverage).toBeCloseTo(1 - 13 / 38, 10);
    // A fragment that is not in the text (a criterion the model wrote and the compiler refused) still counts.
    expect(understandingOf('возраст', ['доход выше медианы по региону']).coverage).toBe(0);
    expect(understandingOf('', ['x']).coverage).toBe(0);
    expect(understandingOf(text, ['любит котиков'], Number.NaN).coverage).toBeLessThan(1);
  });

  it('reports every fragment, but counts only those with a letter or a digit', () => {
    expect(understandingOf(text, [';', ' — '])).toEqual({ coverage: 1, unparsed: [';', ' — '] });
    expect(understandingOf(text, [';', '42'])).toMatchObject({ unparsed: [';', '42'] });
    expect(understandingOf(text, [';', '42']).coverage).toBeCloseTo(1 - 2 / 38, 10);
  });

  it('always fits its schema', () => {
    for (const [t, u] of [
      [text, []],
      [text, ['любит котиков']],
      ['', ['a']],
      ['a', ['much longer than the text']],
    ] as const) {
      expect(understandingSchema.safeParse(understandingOf(t, u)).success).toBe(true);
    }
  });
});

describe('executedStatus', () => {
  it('is needs_review when a meaningful fragment was not understood, else succeeded', () => {
    expect(executedStatus({ unparsed: ['любит котиков'] })).toBe('needs_review');
    expect(executedStatus({ unparsed: ['Brno'] })).toBe('needs_review');
    expect(executedStatus({ unparsed: ['50k'] })).toBe('needs_review');
    expect(executedStatus({ unparsed: [] })).toBe('succeeded');
    expect(executedStatus({ unparsed: [';', ', ', '—', '  '] })).toBe('succeeded');
    // No understanding recorded (a segment stored before it existed): nothing says it was partial.
    expect(executedStatus(null)).toBe('succeeded');
  });

  it('reads a fragment in any script as meaningful, punctuation and spaces as not', () => {
    expect(['котиков', 'Praha', 'Ústí', '2024', 'ё'].every(isMeaningfulFragment)).toBe(true);
    expect([';', ' - ', '…', '«»', ''].some(isMeaningfulFragment)).toBe(false);
    expect(meaningfulUnparsed({ unparsed: [';', 'в Брно', ','] })).toEqual(['в Брно']);
  });
});

describe('criteriaPartialMessage', () => {
  it('quotes each meaningful fragment', () => {
    const message = criteriaPartialMessage({ unparsed: ['любит котиков', ';', 'say "hi"'] });
    expect(message).toContain('"любит котиков"');
    expect(message).toContain('"say \\"hi\\""');
    expect(message).not.toContain('";"');
    expect(message).toContain('onUnparsed');
  });
});

describe('understoodText', () => {
  const offer = {
    product: { type: 'credit_card', name: 'Карта с кешбэком' },
    title: 'Кредитная карта',
    description: 'Для тех, кто путешествует',
    conditions: ['Лимит до 150 000 ₽'],
    channel: 'PUSH' as const,
  };

  it("is the marketer's criteria when given, else what a strategy reads of the offer", () => {
    expect(understoodText(offer, 'возраст от 20 до 25 лет')).toBe('возраст от 20 до 25 лет');
    expect(understoodText(offer)).toBe(
      'Кредитная карта\nДля тех, кто путешествует\nЛимит до 150 000 ₽\nКарта с кешбэком',
    );
    expect(understoodText({ product: { type: 'deposit' }, title: 'Вклад', channel: 'SMS' })).toBe('Вклад');
  });
});
