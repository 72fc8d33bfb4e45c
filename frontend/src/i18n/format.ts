// Numbers and ranks in the UI's language: points through Intl.NumberFormat
// ("12 345" in French, "١٢٬٣٤٥" in Arabic), ranks through the ordinal plural
// rules of i18next (common.json's rank_ordinal_*: "1st", "1.", "1er",
// "1.º", "1位", "المركز ١").
//
// Digits are grouped from five digits on ("min2": 12,345 but 1500): the
// usual scores of a game stay short on a phone's header and read the same
// in every language.
import i18n, { currentLanguage, type Language } from './index';

const formats = new Map<string, Intl.NumberFormat>();

// Arabic in Arabic-Indic digits (١٢٣), as the Arabic UI writes its own
// numbers ("أفضل ١٠"): said explicitly because ICU versions differ on
// plain "ar" (Latin digits in recent ones), and the phone, the screen and
// the tests must agree.
const LOCALE: Partial<Record<Language, string>> = { ar: 'ar-u-nu-arab' };

function numberFormat(lng: string): Intl.NumberFormat {
  let f = formats.get(lng);
  if (!f) {
    // "min2" is ES2023's Intl (every browser we serve has it); the ES2022
    // typings only know booleans
    f = new Intl.NumberFormat(LOCALE[lng as Language] ?? lng, { useGrouping: 'min2' } as unknown as Intl.NumberFormatOptions);
    formats.set(lng, f);
  }
  return f;
}

/** The Intl locale of a language's numbers (Arabic: Arabic-Indic digits). */
export function numberLocale(lng: Language = currentLanguage()): string {
  return LOCALE[lng] ?? lng;
}

/** A number (points, counts) as the language writes it. */
export function formatNumber(n: number, lng: Language = currentLanguage()): string {
  return numberFormat(lng).format(n);
}

/** A rank as the language writes it: "1st", "1.", "1er", "1.º", "1位", "المركز ١". */
export function formatRank(rank: number, lng: Language = currentLanguage()): string {
  return i18n.t('rank', { ns: 'common', lng, count: rank, ordinal: true, n: formatNumber(rank, lng) });
}

/** A sequence written with arrows ("A → B → C", an ordering answer) pointing
 *  the way the language reads: "A ← B ← C" right to left. */
export function readingArrows(text: string, lng: Language = currentLanguage()): string {
  return i18n.dir(lng) === 'rtl' ? text.replace(/→/g, '←') : text;
}
