import { countTokens } from '@t2s/catalog';
import { z } from 'zod';
import { BaseLlmBackend, type LlmRequest } from './backend';
import { BudgetedBackend, billable, TokenBudget } from './token-budget';

const estimate = async (text: string) => (await countTokens(text)).tokens;

/** A backend that answers at once with the usage it is given, and keeps the calls it got. */
function fakeBackend(usage = { promptTokens: 1_000, completionTokens: 100, cachedTokens: 400 }) {
  const calls: LlmRequest[] = [];
  class Fake extends BaseLlmBackend {
    readonly name = 'fake';
    readonly model = 'fake';
    async complete(request: LlmRequest) {
      calls.push(request);
      return { usage, raw: '{"ok":true}', model: 'fake' };
    }
  }
  return { backend: new Fake(), calls };
}

const call = {
  name: 'criteria',
  system: 'Write criteria.',
  user: 'Кредитная карта',
  schema: z.object({ ok: z.boolean() }),
};

describe('TokenBudget', () => {
  it('bills prompt tokens not served from cache plus the answer', () => {
    expect(billable({ promptTokens: 1_000, completionTokens: 100, cachedTokens: 400 })).toBe(700);
  });

  it('adds up per stage and refuses what would pass the limit', () => {
    const budget = new TokenBudget(10_000, { criteria: 4_000 });
    budget.charge('sql', { promptTokens: 3_000, completionTokens: 500, cachedTokens: 0 });
    expect(budget.perStage()).toEqual({ criteria: 4_000, sql: 3_500 });
    expect(budget.remaining).toBe(2_500);
    expect(() => budget.reserve(2_500, 'a call')).not.toThrow();
    expect(() => budget.reserve(2_501, 'a call')).toThrow(
      expect.objectContaining({ code: 'BUDGET_EXCEEDED' }),
    );
  });

  it("gives each of a stage's calls its prompt room: the stage's share, never more than is left, less the longest answer", () => {
    expect(new TokenBudget(200_000).promptAllowance(0.25, 2)).toBe(25_000 - 2_048);
    expect(new TokenBudget(200_000, { sql: 190_000 }).promptAllowance(0.25, 2)).toBe(5_000 - 2_048);
    expect(new TokenBudget(5_000).promptAllowance(0.25, 2)).toBe(0);
  });
});

describe('BudgetedBackend', () => {
  it('charges each call to its stage', async () => {
    const budget = new TokenBudget(200_000);
    const { backend } = fakeBackend();
    await new BudgetedBackend(backend, budget, 'criteria', estimate).structured(call);
    await new BudgetedBackend(backend, budget, 'sql', estimate).structured(call);
    expect(budget.perStage()).toEqual({ criteria: 700, sql: 700 });
  });

  it('refuses a call before sending it when the prompt and the longest answer would pass the budget', async () => {
    const budget = new TokenBudget(3_000, { criteria: 900 });
    const { backend, calls } = fakeBackend();
    const budgeted = new BudgetedBackend(backend, budget, 'sql', estimate, 2_048);
    await expect(budgeted.structured({ ...call, user: 'клиенты '.repeat(200) })).rejects.toMatchObject({
      code: 'BUDGET_EXCEEDED',
    });
    expect(calls).toHaveLength(0);
    expect(budget.spent).toBe(900);
  });

  it('tells the backend how many prompt tokens are left, for backends that count exactly', async () => {
    const budget = new TokenBudget(10_000, { criteria: 1_000 });
    const { backend, calls } = fakeBackend();
    await new BudgetedBackend(backend, budget, 'sql', estimate, 2_000).structured(call);
    expect(calls[0]?.maxPromptTokens).toBe(7_000);
  });
});
