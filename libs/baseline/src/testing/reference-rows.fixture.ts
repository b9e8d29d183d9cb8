// Test support: the demo bank's reference rows the offer rules look values up in (`ref_product`'s age
// limits and names by product code), as `select product_code, product_name, min_age, max_age from bank.ref_product` returns them
// from the seeded warehouse, so specs render resolved reference values without a database.
import { referenceRows, type ReferenceValues } from '@t2s/semantic';

const REFERENCE_ROWS: Record<string, Record<string, Record<string, unknown>[]>> = {
  bank: {
    ref_product: [
      { product_code: 'CAR_NEW', product_name: 'Автокредит на новый автомобиль', min_age: 21, max_age: 70 },
      {
        product_code: 'CAR_USED',
        product_name: 'Автокредит на автомобиль с пробегом',
        min_age: 21,
        max_age: 70,
      },
      { product_code: 'CC_CASHBACK', product_name: 'Кредитная карта с кешбэком', min_age: 21, max_age: 70 },
      {
        product_code: 'CC_CLASSIC',
        product_name: 'Кредитная карта «120 дней без процентов»',
        min_age: 21,
        max_age: 70,
      },
      { product_code: 'CC_PREMIUM', product_name: 'Премиальная кредитная карта', min_age: 21, max_age: 70 },
      {
        product_code: 'CC_TRAVEL',
        product_name: 'Кредитная карта для путешествий',
        min_age: 21,
        max_age: 70,
      },
      { product_code: 'CL_CASH', product_name: 'Кредит наличными', min_age: 21, max_age: 70 },
      { product_code: 'CL_REFI', product_name: 'Рефинансирование кредитов', min_age: 21, max_age: 70 },
      { product_code: 'CUR_ACCOUNT', product_name: 'Текущий счёт', min_age: 18, max_age: 100 },
      { product_code: 'DC_CASHBACK', product_name: 'Дебетовая карта «Кешбэк»', min_age: 18, max_age: 100 },
      { product_code: 'DC_CLASSIC', product_name: 'Дебетовая карта «Классика»', min_age: 18, max_age: 100 },
      { product_code: 'DC_PENSION', product_name: 'Пенсионная карта «Мир»', min_age: 45, max_age: 100 },
      { product_code: 'DC_PREMIUM', product_name: 'Премиальная дебетовая карта', min_age: 18, max_age: 100 },
      { product_code: 'DC_SALARY', product_name: 'Зарплатная карта', min_age: 18, max_age: 100 },
      { product_code: 'DC_TRAVEL', product_name: 'Карта путешественника (мили)', min_age: 18, max_age: 100 },
      { product_code: 'DC_YOUTH', product_name: 'Молодёжная карта (14-24 года)', min_age: 14, max_age: 24 },
      { product_code: 'DEP_CLASSIC', product_name: 'Вклад «Классический»', min_age: 18, max_age: 100 },
      { product_code: 'DEP_CNY', product_name: 'Вклад в юанях', min_age: 18, max_age: 100 },
      { product_code: 'DEP_MAX', product_name: 'Вклад «Максимальный доход»', min_age: 18, max_age: 100 },
      { product_code: 'DEP_PENSION', product_name: 'Вклад «Пенсионный плюс»', min_age: 45, max_age: 100 },
      { product_code: 'DEP_USD', product_name: 'Валютный вклад в долларах', min_age: 18, max_age: 100 },
      { product_code: 'INS_CREDIT', product_name: 'Страхование заёмщика', min_age: 18, max_age: 100 },
      { product_code: 'INS_CYBER', product_name: 'Защита карт от мошенников', min_age: 18, max_age: 100 },
      { product_code: 'INS_HEALTH', product_name: 'ДМС «Здоровье»', min_age: 18, max_age: 100 },
      { product_code: 'INS_KASKO', product_name: 'КАСКО', min_age: 18, max_age: 100 },
      {
        product_code: 'INS_LIFE',
        product_name: 'Накопительное страхование жизни',
        min_age: 18,
        max_age: 100,
      },
      { product_code: 'INS_OSAGO', product_name: 'ОСАГО', min_age: 18, max_age: 100 },
      { product_code: 'INS_PROPERTY', product_name: 'Страхование квартиры', min_age: 18, max_age: 100 },
      { product_code: 'INS_TRAVEL', product_name: 'Страхование путешественников', min_age: 18, max_age: 100 },
      { product_code: 'INV_BROKER', product_name: 'Брокерский счёт', min_age: 18, max_age: 100 },
      { product_code: 'INV_FUNDS', product_name: 'Паевые инвестиционные фонды', min_age: 18, max_age: 100 },
      {
        product_code: 'INV_IIS',
        product_name: 'Индивидуальный инвестиционный счёт',
        min_age: 18,
        max_age: 100,
      },
      { product_code: 'MORT_FAMILY', product_name: 'Семейная ипотека', min_age: 21, max_age: 65 },
      { product_code: 'MORT_IT', product_name: 'IT-ипотека', min_age: 21, max_age: 65 },
      { product_code: 'MORT_PRIMARY', product_name: 'Ипотека на новостройку', min_age: 21, max_age: 65 },
      { product_code: 'MORT_SECONDARY', product_name: 'Ипотека на готовое жильё', min_age: 21, max_age: 65 },
      { product_code: 'SAV_DAILY', product_name: 'Накопительный счёт «Копилка»', min_age: 18, max_age: 100 },
      {
        product_code: 'SUB_PLUS',
        product_name: 'Подписка «Плюс» (повышенный кешбэк)',
        min_age: 18,
        max_age: 100,
      },
      {
        product_code: 'SUB_PREMIUM',
        product_name: 'Пакет премиального обслуживания',
        min_age: 18,
        max_age: 100,
      },
    ],
  },
};

/** The warehouse's reference values as the renderer reads them; none for a warehouse without such rows. */
export function referenceFixture(warehouse: string): ReferenceValues {
  return referenceRows(REFERENCE_ROWS[warehouse] ?? {}, { ref_product: 'product_name' });
}
