import { createHash } from 'node:crypto';
import { createBaselineStrategy } from '@t2s/baseline';
import { openBankModel, type BankModelFixture } from '@t2s/baseline/testing';
import { countTokens } from '@t2s/catalog';
import { offerSchema, type Offer } from '@t2s/contracts';
import type { Precedent, PrecedentCriterion } from '@t2s/precedents';
import type { Expr } from '@t2s/semantic';
import { OpenAiCompatibleBackend } from './openai-backend';
import { createLlmStrategy } from './llm-strategy';
import { startOpenAiStandIn, type OpenAiStandIn } from './testing';
import { CRITERIA_SHARE, TokenBudget } from './token-budget';

let bank: BankModelFixture;
let server: OpenAiStandIn;

beforeAll(async () => {
  [bank, server] = await Promise.all([openBankModel('llm_precedents'), startOpenAiStandIn()]);
}, 120_000);
beforeEach(() => server.reset());
afterAll(async () => {
  await Promise.all([bank?.close(), server?.close()]);
});

const strategy = () =>
  createLlmStrategy({
    backend: new OpenAiCompatibleBackend({ baseUrl: server.url, model: 'qwen2.5-72b', timeoutMs: 5_000 }),
    baseline: createBaselineStrategy({ modelName: 'bank' }),
  });

const travelCard = offerSchema.parse({
  product: { type: 'credit_card', code: 'CC_TRAVEL', name: 'Кредитная карта для путешествий' },
  title: 'Кредитная карта для путешествий: мили за авиабилеты и отели',
  description: 'Для тех, кто много путешествует.',
  channel: 'SMS',
});
const spendExpr: Expr = {
  type: 'attr',
  attr: 'avg_monthly_card_spend',
  cmp: { op: 'gte', value: 20_000 },
  window: { n: 12, unit: 'month' },
  where: { column: 'ref_mcc_group.mcc_group_code', cmp: { op: 'in', values: ['AIRLINES', 'HOTELS'] } },
};
const ageExpr: Expr = { type: 'attr', attr: 'age', cmp: { op: 'gt', value: 25 } };
const travellers = {
  kind: 'include',
  text: 'Тратят на авиабилеты и отели от 20 000 ₽ в месяц за последние 12 месяцев',
  expr: spendExpr,
};
const adults = { kind: 'include', text: 'Старше 25 лет', expr: ageExpr };

function campaign(
  id: string,
  offer: Partial<Offer> & { product: Offer['product'] },
  criteria: PrecedentCriterion[],
  approvedAt?: string,
): Precedent {
  return {
    id,
    campaign: `CM-${id}`,
    warehouse: 'bank',
    offer: { title: travelCard.title, channel: 'SMS', ...offer },
    sql: 'select client_id from client',
    origin: 'import',
    criteria,
    ...(approvedAt ? { approvedAt } : {}),
  };
}

const branchSql =
  "select v.client_id from branch_visit v where v.purpose = 'CONSULTATION' and v.visit_date > date '2026-01-01'";
const miles = campaign(
  'miles',
  { product: { type: 'credit_card', code: 'CC_TRAVEL', name: 'Мили' }, conditions: ['3 мили за 100 ₽'] },
  [
    { kind: 'include', expr: spendExpr },
    { kind: 'include', sql: branchSql },
  ],
  '2026-09-14',
);
const milesEmail = campaign(
  'miles-email',
  { product: { type: 'credit_card', code: 'CC_TRAVEL' }, channel: 'EMAIL' },
  [{ kind: 'include', expr: ageExpr }],
);
const cashback = campaign(
  'cashback',
  { product: { type: 'credit_card', code: 'CC_CASHBACK' }, title: 'Кэшбэк на всё' },
  [{ kind: 'include', expr: ageExpr }],
);
const grocery = campaign(
  'grocery',
  { product: { type: 'credit_card', code: 'CC_GROCERY' }, title: 'Скидки в супермаркетах', channel: 'PUSH' },
  [{ kind: 'include', expr: ageExpr }],
);
const mortgage = campaign(
  'mortgage',
  { product: { type: 'mortgage', code: 'CC_TRAVEL' }, title: travelCard.title },
  [{ kind: 'include', expr: ageExpr }],
);

const requestOf = (i: number) =>
  server.requests[i] as {
    messages: { role: string; content: string }[];
    response_format: { json_schema: { schema: unknown } };
  };
const userOf = (i: number) => requestOf(i).messages[1]?.content ?? '';
const blockOf = (i: number) => /<precedents>\n([\s\S]*?)\n<\/precedents>/.exec(userOf(i))?.[1];
const tokens = async (text: string) => (await countTokens(text)).tokens;
const promptTokens = async (i: number) => {
  const { messages, response_format } = requestOf(i);
  let sum = await tokens(JSON.stringify(response_format.json_schema.schema));
  for (const m of messages) sum += await tokens(m.content);
  return sum;
};

/**
 * sha256 of the criteria call (messages and response format) for `travelCard` on the bank fixture, as
 * the strategy sent it before precedents (criteria.v2): with none to show, the call stays byte for byte.
 */
const CALL_WITHOUT_PRECEDENTS = '0e14a2b0a64a8b6429f575350896612502211984ab106862a5b95e9860ee5045';

describe('the LLM strategy with precedents as criteria examples', () => {
  it('sends the same call as before precedents when there are none, or none of the offer’s product type', async () => {
    const llm = strategy();
    for (const precedents of [undefined, [], [mortgage]]) {
      server.requests.length = 0;
      server.reply({ content: JSON.stringify({ criteria: [travellers] }) });
      const result = await llm.criteria.generate({
        offer: travelCard,
        catalog: bank.catalog,
        ...(precedents ? { precedents } : {}),
      });
      expect(result.prompt).toBe('criteria.v2');
      const { messages, response_format } = requestOf(0);
      const hash = createHash('sha256')
        .update(JSON.stringify([messages, response_format]))
        .digest('hex');
      expect(hash).toBe(CALL_WITHOUT_PRECEDENTS);
    }
  });

  it('shows the nearest campaigns of the offer’s product type, nearest first, never a far one', async () => {
    server.requests.length = 0;
    server.reply({ content: JSON.stringify({ criteria: [travellers] }) });
    const result = await strategy().criteria.generate({
      offer: travelCard,
      catalog: bank.catalog,
      precedents: [grocery, mortgage, cashback, milesEmail, miles],
    });
    expect(result.prompt).toBe('criteria.v3');
    expect(result.criteria[0]?.spec).toMatchObject({ prompt: 'criteria.v3' });
    const block = blockOf(0) ?? '';
    const shown = [...block.matchAll(/^campaign: (.+)$/gm)].map((m) => m[1]);
    expect(shown).toEqual(['CM-miles', 'CM-miles-email', 'CM-cashback']);
    expect(block).toContain('campaign: CM-miles\napproved: 2026-09-14\noffer: ');
    expect(block).toContain(`- include: ${JSON.stringify(travellers.expr)}`);
    expect(block).toContain(`- include, as SQL: ${branchSql}`);
    expect(block).toContain('"conditions":["3 мили за 100 ₽"]');
    expect(block).not.toContain('mortgage');
    expect(requestOf(0).messages[0]?.content).toContain("in the criterion's `campaign`");
  });

  it('keeps the prompt within the criteria stage’s share with 50 large precedents', async () => {
    const large = Array.from({ length: 50 }, (_, i) =>
      campaign(
        `large-${String(i).padStart(2, '0')}`,
        { product: { type: 'credit_card', code: 'CC_TRAVEL' } },
        [
          { kind: 'include', expr: spendExpr },
          ...Array.from({ length: 4 }, (_, j) => ({
            kind: 'exclude' as const,
            sql: `select t.client_id from card_transaction t where t.merchant_id in (${Array.from(
              { length: 600 },
              (_, n) => 1_000 + i * 10_000 + j * 1_000 + n,
            ).join(', ')})`,
          })),
        ],
      ),
    );
    server.requests.length = 0;
    server.reply({ content: JSON.stringify({ criteria: [travellers] }) });
    const result = await strategy().criteria.generate({
      offer: travelCard,
      catalog: bank.catalog,
      precedents: large,
    });
    const allowed = new TokenBudget().promptAllowance(CRITERIA_SHARE, 2);
    const sent = await promptTokens(0);
    expect(sent).toBeLessThanOrEqual(allowed);
    expect(result.prompt).toBe('criteria.v3');
    const shown = [...(blockOf(0) ?? '').matchAll(/^campaign: (.+)$/gm)].map((m) => m[1]);
    expect(shown.length).toBeGreaterThanOrEqual(1);
    expect(shown.length).toBeLessThan(3);
    expect(shown[0]).toBe('CM-large-00');
  });

  it('takes a campaign the model names among the examples as the criterion’s provenance, and ignores one it was not shown', async () => {
    server.requests.length = 0;
    server.reply({
      content: JSON.stringify({
        criteria: [
          { ...travellers, campaign: 'CM-miles' },
          { ...adults, campaign: 'CM-mortgage' },
        ],
      }),
    });
    const result = await strategy().criteria.generate({
      offer: travelCard,
      catalog: bank.catalog,
      precedents: [miles, mortgage],
    });
    const [taken, other] = result.criteria;
    expect(taken).toMatchObject({
      source: 'precedent',
      text: travellers.text,
      provenance: {
        precedents: [{ id: 'miles', campaign: 'CM-miles', approvedAt: '2026-09-14' }],
        adapted: 'as_is',
      },
    });
    expect(other).toMatchObject({ source: 'llm', text: adults.text });
    expect(other).not.toHaveProperty('provenance');
    expect(other?.spec).not.toHaveProperty('campaign');
  });
});
