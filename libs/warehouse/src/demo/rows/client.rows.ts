import type { ClientProfile } from '../client-profile';
import { addMonths, isoDate } from '../dates';
import type { Rng } from '../rng';
import { money, type RowContext } from './row-context';

/**
 * The client and what the bank knows about them: personal data, employment, income declarations
 * (the latest at the end) and household.
 */
export function writeClient(ctx: RowContext, p: ClientProfile, rng: Rng, branch: number): void {
  ctx.out.push('client', [
    p.id,
    isoDate(p.birthDay),
    p.gender,
    p.region.code,
    p.city.id,
    branch,
    p.segment,
    isoDate(p.since),
    p.closedDay === null ? 'ACTIVE' : 'CLOSED',
    p.closedDay === null ? null : isoDate(p.closedDay),
    rng.chance(0.985),
    rng.chance(0.97) ? 'RUS' : rng.pick(['KAZ', 'ARM', 'UZB', 'BLR']),
    p.education,
    rng.weighted([
      ['BRANCH', 40],
      ['ONLINE', 25],
      ['SALARY_PROJECT', p.salaryProject ? 40 : 0],
      ['PARTNER', 10],
      ['REFERRAL', 5],
    ] as const),
    rng.chance(0.004),
    p.segment === 'PRIVATE' || (p.segment === 'PREMIUM' && rng.chance(0.3)),
  ]);
  const male = p.gender === 'M';
  const last = rng.pick(male ? LAST_M : LAST_F);
  const first = rng.pick(male ? FIRST_M : FIRST_F);
  const father = rng.pick(FIRST_M);
  const middle = rng.chance(0.97) ? patronymic(father, male) : null;
  ctx.out.push('client_pii', [
    p.id,
    last,
    first,
    middle,
    `+79${String(rng.int(0, 999999999)).padStart(9, '0')}`,
    rng.chance(0.75)
      ? `${translit(first)}.${translit(last)}${rng.int(1, 999)}@${rng.pick(['mail.ru', 'yandex.ru', 'gmail.com', 'bk.ru', 'inbox.ru'])}`
      : null,
    String(rng.int(1000, 9999)),
    String(rng.int(100000, 999999)),
    isoDate(addMonths(p.birthDay, 12 * (p.age >= 45 ? 45 : p.age >= 20 ? 20 : 14)) + rng.int(5, 60)),
    rng.chance(0.8) ? String(rng.int(1e11, 1e12 - 1)) : null,
    rng.chance(0.8)
      ? `${rng.int(100, 999)}-${rng.int(100, 999)}-${rng.int(100, 999)} ${rng.int(10, 99)}`
      : null,
    `${p.city.name}, ул. ${rng.pick(STREETS)}, д. ${rng.int(1, 150)}, кв. ${rng.int(1, 300)}`,
  ]);
  const working = p.industry !== null;
  ctx.out.push('client_employment', [
    p.id,
    p.employment,
    p.industry,
    working ? `ООО «${rng.pick(EMPLOYERS)}»` : null,
    p.position,
    working ? rng.int(3, Math.max(4, (p.age - 18) * 12)) : null,
    p.salaryProject,
    p.salaryProject ? isoDate(Math.max(p.since, ctx.reportDay - rng.int(30, 3000))) : null,
    isoDate(ctx.reportDay - rng.int(0, 900)),
  ]);
  const declarations = 1 + rng.poisson(0.8);
  for (let i = declarations - 1; i >= 0; i--) {
    const day = Math.max(p.since, ctx.reportDay - i * rng.int(200, 500) - rng.int(0, 60));
    const source =
      p.employment === 'PENSIONER'
        ? 'PENSION'
        : p.employment === 'STUDENT'
          ? 'STIPEND'
          : p.employment === 'ENTREPRENEUR' || p.employment === 'SELF_EMPLOYED'
            ? 'BUSINESS'
            : p.employment === 'UNEMPLOYED'
              ? rng.pick(['RENT', 'OTHER'] as const)
              : 'SALARY';
    ctx.out.push('client_income', [
      ctx.ids.take('client_income'),
      p.id,
      isoDate(day),
      money(p.income * (1 - i * 0.06) * rng.lognormal(1, 0.12)),
      source,
      p.salaryProject || source === 'PENSION' || rng.chance(0.3),
    ]);
  }
  ctx.out.push('client_household', [
    p.id,
    p.children,
    p.children + (p.age > 40 && rng.chance(0.1) ? 1 : 0),
    p.ownsHome,
    p.ownsCar,
    isoDate(ctx.reportDay - rng.int(0, 900)),
  ]);
}

/** Patronymic from the father's first name: Сергей -> Сергеевич/Сергеевна, Никита -> Никитич/Никитична. */
function patronymic(father: string, male: boolean): string {
  const stem = father.replace(/[йь]$/, '');
  if (/[ий]$/.test(father)) return stem + (male ? 'евич' : 'евна');
  if (/а$/.test(father)) return stem.slice(0, -1) + (male ? 'ич' : 'ична');
  return stem + (male ? 'ович' : 'овна');
}

const TRANSLIT: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'h',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'sch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
};
/** Latin spelling of a Russian name, for e-mail addresses. */
function translit(word: string): string {
  return [...word.toLowerCase()].map((ch) => TRANSLIT[ch] ?? ch).join('');
}

const LAST_M = [
  'Иванов',
  'Смирнов',
  'Кузнецов',
  'Попов',
  'Васильев',
  'Петров',
  'Соколов',
  'Михайлов',
  'Новиков',
  'Фёдоров',
  'Морозов',
  'Волков',
  'Алексеев',
  'Лебедев',
  'Семёнов',
  'Егоров',
  'Павлов',
  'Козлов',
  'Степанов',
  'Николаев',
];
const LAST_F = LAST_M.map((name) => name + 'а');
const FIRST_M = [
  'Александр',
  'Дмитрий',
  'Максим',
  'Сергей',
  'Андрей',
  'Алексей',
  'Артём',
  'Илья',
  'Кирилл',
  'Михаил',
  'Никита',
  'Иван',
  'Евгений',
  'Владимир',
  'Николай',
  'Юрий',
  'Павел',
  'Олег',
];
const FIRST_F = [
  'Анна',
  'Мария',
  'Елена',
  'Ольга',
  'Татьяна',
  'Наталья',
  'Ирина',
  'Екатерина',
  'Светлана',
  'Юлия',
  'Анастасия',
  'Дарья',
  'Людмила',
  'Галина',
  'Виктория',
  'Полина',
];
const STREETS = [
  'Ленина',
  'Мира',
  'Советская',
  'Гагарина',
  'Пушкина',
  'Лесная',
  'Школьная',
  'Садовая',
  'Молодёжная',
  'Новая',
];
const EMPLOYERS = [
  'Ромашка',
  'Вектор',
  'Альфа-Строй',
  'ТехноСервис',
  'Горизонт',
  'СеверСталь-Торг',
  'Медиа Плюс',
  'Агрокомплекс',
  'Логистик Групп',
  'ИнфоТех',
];
