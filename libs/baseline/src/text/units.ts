/**
 * Units of the numbers in a text and of the attributes of a model. Money is in a currency the text or
 * the model names (rub, eur, usd, czk), or `money`: an amount whose currency nobody said ("100k",
 * "50 тыс.", "2 млн"), which goes with an amount in any currency.
 */
export const CURRENCIES = ['rub', 'eur', 'usd', 'czk'] as const;

export function isMoney(unit: string | undefined): boolean {
  return unit === 'money' || (CURRENCIES as readonly (string | undefined)[]).includes(unit);
}

/** The currency a unit word names, if it names one ("руб.", "€", "euros", "крон", "Kč"). */
export function currencyOf(word: string): (typeof CURRENCIES)[number] | undefined {
  if (/^(руб|р\.|₽|rub|roub)/.test(word)) return 'rub';
  if (/^(евро|€|eur)/.test(word)) return 'eur';
  if (/^(долл|\$|usd|dollar)/.test(word)) return 'usd';
  if (/^(крон|czk|kč|kc\b|crown|koru)/.test(word)) return 'czk';
  return undefined;
}

/** A number in `cmpUnit` is about an attribute in `attrUnit`: the same unit, or money of a currency nobody said. */
export function unitsAgree(attrUnit: string | undefined, cmpUnit: string | undefined): boolean {
  if (attrUnit === cmpUnit) return true;
  return isMoney(attrUnit) && isMoney(cmpUnit) && (attrUnit === 'money' || cmpUnit === 'money');
}
