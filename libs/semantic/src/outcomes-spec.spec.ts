import { findOutcomesSpec, outcomesSql } from './outcomes-spec';

describe('the outcomes entry of a warehouse', () => {
  it('names the demo bank campaign responses of an application or a purchase', () => {
    const spec = findOutcomesSpec('bank');
    expect(spec).toMatchObject({
      table: 'campaign_response',
      client: 'client_id',
      column: 'response_type',
      values: ['APPLIED', 'PURCHASED'],
    });
    expect(outcomesSql(spec!, 'bank')).toBe(
      `select distinct o.client_id from bank.campaign_response o where o.response_type in ('APPLIED', 'PURCHASED')`,
    );
  });

  it("reads Bank Marketing's y = 'yes', though its model is bootstrapped", () => {
    const spec = findOutcomesSpec('bank_marketing');
    expect(outcomesSql(spec!, 'bank_marketing')).toBe(
      `select distinct o.client_id from bank_marketing.client o where o.y in ('yes')`,
    );
  });

  it('is absent for a warehouse that names none', () => {
    expect(findOutcomesSpec('berka')).toBeUndefined();
    expect(findOutcomesSpec('no_such_warehouse')).toBeUndefined();
  });
});
