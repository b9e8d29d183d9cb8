import { findNumberWords, withNumberDigits } from './number-words';

describe('findNumberWords', () => {
  it.each([
    ['от тридцати до сорока пяти лет', [30, 45]],
    ['не менее ста пятидесяти тысяч рублей', [150_000]],
    ['двухсот тысяч', [200_000]],
    ['полторы тысячи', [1_500]],
    ['свыше полутора миллионов', [1_500_000]],
    ['двадцать одного года', [21]],
    ['пятьсот', [500]],
    ['forty-five', [45]],
    ['one hundred and fifty thousand', [150_000]],
    ['three hundred fifty', [350]],
    ['a million', [1_000_000]],
    ['ten thousand euros', [10_000]],
    ['twenty and thirty', [20, 30]],
  ])('%s', (text, values) => {
    expect(findNumberWords(text).map((n) => n.value)).toEqual(values);
  });

  it.each([
    ['a lone "one" is as often an article', 'at least one card'],
    ['a lone scale word belongs to the digits before it', '100 тысяч'],
    ['"полтора" without a scale', 'полтора года'],
    ['numbers in the wrong order are not one number', 'пять сорок'],
    ['ordinary words', 'клиенты с кредитом и картой'],
  ])('leaves alone %s', (_why, text) => {
    const found = findNumberWords(text);
    if (text === 'пять сорок') expect(found.map((n) => n.value)).toEqual([5, 40]);
    else expect(found).toEqual([]);
  });
});

describe('withNumberDigits', () => {
  it('keeps every offset: digits padded to the words they replace', () => {
    const text = 'от тридцати до сорока пяти лет';
    const out = withNumberDigits(text);
    expect(out).toHaveLength(text.length);
    expect(out.replace(/\s+/g, ' ')).toBe('от 30 до 45 лет');
    expect(out.indexOf('лет')).toBe(text.indexOf('лет'));
  });
});
