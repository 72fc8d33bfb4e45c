// The host's words (namespaces host and report) are complete in every
// language: each English key exists in each other language, plural keys in
// every form that language's plural rules use (Intl.PluralRules: Arabic
// zero/one/two/few/many/other, Japanese other only), with the same
// {{placeholders}}, and no language has keys English lacks.
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../i18n';

const files = import.meta.glob<Record<string, unknown>>('../i18n/locales/*/*.json', { eager: true, import: 'default' });
const NAMESPACES = ['host', 'report'] as const;
const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(o: Record<string, unknown>, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(o)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object') for (const [kk, vv] of flatten(v as Record<string, unknown>, key)) out.set(kk, vv);
    else out.set(key, String(v));
  }
  return out;
}

function words(lng: string, ns: string): Map<string, string> {
  const f = files[`../i18n/locales/${lng}/${ns}.json`];
  if (!f) throw new Error(`no ${lng}/${ns}.json`);
  return flatten(f);
}

/** The placeholders of a text, by name ("{{count, number}}" -> "count"). */
function placeholders(s: string): string[] {
  return [...s.matchAll(/\{\{\s*([\w.]+)\s*(?:,[^}]*)?\}\}/g)].map((m) => m[1]).sort();
}

describe.each(NAMESPACES)('namespace %s', (ns) => {
  const en = words('en', ns);
  const plainKeys = [...en.keys()].filter((k) => !PLURAL.test(k));
  const pluralBases = [...new Set([...en.keys()].filter((k) => PLURAL.test(k)).map((k) => k.replace(PLURAL, '')))];

  it('has English words', () => {
    expect(plainKeys.length + pluralBases.length).toBeGreaterThan(ns === 'host' ? 150 : 50);
  });

  it.each(LANGUAGES.filter((l) => l !== 'en'))('%s has every key, every plural form and the same placeholders', (lng) => {
    const other = words(lng, ns);
    const missing: string[] = [];
    const wrongVars: string[] = [];
    for (const k of plainKeys) {
      const v = other.get(k);
      // a blank is missing unless English is blank too (the space that joins words)
      if (v === undefined || (v.trim() === '' && en.get(k)!.trim() !== '')) missing.push(k);
      else if (placeholders(v).join() !== placeholders(en.get(k)!).join()) wrongVars.push(k);
    }
    const forms = new Intl.PluralRules(lng).resolvedOptions().pluralCategories;
    for (const base of pluralBases) {
      const enVars = new Set(placeholders(en.get(`${base}_other`)!));
      for (const form of forms) {
        const v = other.get(`${base}_${form}`);
        if (v === undefined || v.trim() === '') missing.push(`${base}_${form}`);
        // a form may spell the number out ("one player"), never add a placeholder
        else if (placeholders(v).some((p) => !enVars.has(p))) wrongVars.push(`${base}_${form}`);
      }
    }
    const extra = [...other.keys()].filter((k) => (PLURAL.test(k) ? !pluralBases.includes(k.replace(PLURAL, '')) : !en.has(k)));
    expect({ missing, wrongVars, extra }).toEqual({ missing: [], wrongVars: [], extra: [] });
  });
});
