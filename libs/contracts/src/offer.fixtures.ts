// Realistic offers as Co-marketer sends them, shared by the specs (not exported from the library).

export const russianCreditCardOffer = {
  id: 'CM-2025-0412',
  campaignId: 'autumn-cards-2025',
  product: { type: 'credit_card', code: 'CC120', name: 'Кредитная карта «120 дней без процентов»' },
  title: '120 дней без процентов',
  description:
    'Кредитная карта с льготным периодом 120 дней на покупки, переводы и снятие наличных. ' +
    'Бесплатное обслуживание при тратах от 10 000 ₽ в месяц.',
  conditions: [
    'Льготный период до 120 дней',
    'Кредитный лимит до 1 000 000 ₽',
    'Кэшбэк до 5% в выбранных категориях',
  ],
  channel: 'PUSH',
  validFrom: '2025-09-01',
  validTo: '2025-11-30',
  targetSizeHint: 50_000,
};

export const englishDepositOffer = {
  product: { type: 'deposit' },
  title: 'Savings deposit at 16% for new money',
  description: 'A 6-month deposit for clients who bring funds from other banks; minimum 50,000 RUB.',
  channel: 'EMAIL',
};

export const SEGMENT_ID = '5b0e8a52-2b1c-4f4e-9d55-0d6d3c1f9a10';
export const REVISION_ID = '8c6b1f3e-4a2d-4e9b-8f7a-1d2c3b4a5e6f';
export const EVENT_ID = '0f9e8d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f';
export const CALL_ID = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
