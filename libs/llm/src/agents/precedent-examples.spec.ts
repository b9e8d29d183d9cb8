import type { Offer } from '@t2s/contracts';
import type { Precedent } from '@t2s/precedents';
import { fitPrecedents, provenanceOf, renderPrecedents } from './precedent-examples';

const offer: Offer = {
  product: { type: 'credit_card', code: 'CC_TRAVEL', name: 'Карта путешественника' },
  title: 'Мили за авиабилеты',
  description: 'Длинное описание, которого в примере нет.',
  conditions: ['до 10% милями'],
  channel: 'SMS',
};

function precedent(id: string, sql = 'select client_id from client_product', approvedAt?: string): Precedent {
  return {
    id,
    campaign: `CM-${id}`,
    warehouse: 'bank',
    offer,
    sql,
    origin: 'import',
    ...(approvedAt ? { approvedAt } : {}),
    criteria: [
      { kind: 'include', expr: { type: 'attr', attr: 'age', cmp: { op: 'gte', value: 25 } } },
      { kind: 'exclude', sql },
    ],
  };
}

/** One token a character: what fits is plain to read off. */
const chars = async (text: string) => text.length;

describe('renderPrecedents', () => {
  it('shows the campaign, its approval day, its offer and its criteria: the representation as compact JSON, the rest as SQL', () => {
    const text = renderPrecedents([
      precedent('a', 'select client_id\n  from   card', '2026-09-14T10:00:00+03:00'),
    ]);
    expect(text).toBe(
      [
        'campaign: CM-a',
        'approved: 2026-09-14',
        'offer: {"product":{"type":"credit_card","code":"CC_TRAVEL","name":"Карта путешественника"},"title":"Мили за авиабилеты","channel":"SMS","conditions":["до 10% милями"]}',
        'criteria:',
        '- include: {"type":"attr","attr":"age","cmp":{"op":"gte","value":25}}',
        '- exclude, as SQL: select client_id from card',
      ].join('\n'),
    );
  });
});

describe('fitPrecedents', () => {
  const nearest = [precedent('a'), precedent('b'), precedent('c')];
  const one = renderPrecedents(nearest.slice(0, 1)).length;

  it('keeps them all when they fit', async () => {
    const fitted = await fitPrecedents(nearest, 10_000, chars);
    expect(fitted.shown.map((p) => p.id)).toEqual(['a', 'b', 'c']);
    expect(fitted.text).toBe(renderPrecedents(nearest));
  });

  it('drops the farthest first', async () => {
    const fitted = await fitPrecedents(nearest, 2 * one + 10, chars);
    expect(fitted.shown.map((p) => p.id)).toEqual(['a', 'b']);
  });

  it("then cuts the nearest one's long SQL, and shows nothing when even that does not fit", async () => {
    const long = precedent('a', `select client_id from card where ${'x = 1 and '.repeat(500)}true`);
    const fitted = await fitPrecedents([long, precedent('b')], 1_500, chars);
    expect(fitted.shown.map((p) => p.id)).toEqual(['a']);
    expect(fitted.text.length).toBeLessThanOrEqual(1_500);
    expect(fitted.text).toContain('…(cut)');
    expect(await fitPrecedents([long], 100, chars)).toEqual({ shown: [], text: '' });
  });
});

describe('provenanceOf', () => {
  const shown = [precedent('a', 'select 1', '2026-09-14'), precedent('b')];

  it('names the campaign shown that the model gives, as taken as is', () => {
    expect(provenanceOf(' CM-a ', shown)).toEqual({
      precedents: [{ id: 'a', campaign: 'CM-a', approvedAt: '2026-09-14' }],
      adapted: 'as_is',
    });
  });

  it('ignores a campaign it was not shown, and none', () => {
    expect(provenanceOf('CM-z', shown)).toBeUndefined();
    expect(provenanceOf(null, shown)).toBeUndefined();
    expect(provenanceOf(undefined, shown)).toBeUndefined();
  });
});
