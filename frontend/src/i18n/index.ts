// The UI's languages: i18next with one JSON file per language and namespace
// (locales/<lng>/<ns>.json, bundled: a phone on stadium Wi-Fi makes no extra
// request for its words). English is the fallback for any missing key.
//
// Namespaces: common (shared words, error codes), play (the phone),
// screen (the big screen), host (the console and editor), report, brand.
//
// The language is, in order: ?lang= in the address (the big screen opened
// from the console), the one picked with the switcher (localStorage
// "stadium.lang"), then the browser's. <html lang dir> follows it, so
// Arabic lays out right to left.
import i18n from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';

export const LANGUAGES = ['en', 'es', 'de', 'fr', 'pt', 'ar', 'ja'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language named in itself, for the switchers. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'English',
  es: 'Español',
  de: 'Deutsch',
  fr: 'Français',
  pt: 'Português',
  ar: 'العربية',
  ja: '日本語',
};

export const STORAGE_KEY = 'stadium.lang';

const files = import.meta.glob<Record<string, unknown>>('./locales/*/*.json', { eager: true, import: 'default' });

function resourcesOf(): Record<string, Record<string, Record<string, unknown>>> {
  const out: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const [path, words] of Object.entries(files)) {
    const m = path.match(/\.\/locales\/([^/]+)\/([^/]+)\.json$/);
    if (!m) continue;
    (out[m[1]] ??= {})[m[2]] = words;
  }
  return out;
}

export function isLanguage(v: unknown): v is Language {
  return typeof v === 'string' && (LANGUAGES as readonly string[]).includes(v);
}

void i18n
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources: resourcesOf(),
    supportedLngs: [...LANGUAGES],
    nonExplicitSupportedLngs: true, // "pt-BR", "de-AT" -> pt, de
    load: 'languageOnly',
    fallbackLng: 'en',
    ns: ['common', 'play', 'screen', 'host', 'report', 'brand'],
    defaultNS: 'common',
    fallbackNS: 'common',
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
    // the words are bundled: ready before the first render, no flash of keys
    initAsync: false,
    detection: {
      order: ['querystring', 'localStorage', 'navigator'],
      lookupQuerystring: 'lang',
      lookupLocalStorage: STORAGE_KEY,
      caches: [], // only the switcher stores a choice (setLanguage)
    },
  });

function applyToDocument(lng: string): void {
  if (typeof document === 'undefined') return;
  document.documentElement.lang = lng;
  document.documentElement.dir = i18n.dir(lng);
}

applyToDocument(i18n.resolvedLanguage ?? 'en');
i18n.on('languageChanged', (lng) => applyToDocument(i18n.resolvedLanguage ?? lng));

/** Switch the UI's language and remember the choice on this device. */
export function setLanguage(lng: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, lng);
  } catch {
    /* private mode: the choice lasts for this page */
  }
  void i18n.changeLanguage(lng);
}

/** The language in use, one of LANGUAGES. */
export function currentLanguage(): Language {
  const l = i18n.resolvedLanguage;
  return isLanguage(l) ? l : 'en';
}

export default i18n;
