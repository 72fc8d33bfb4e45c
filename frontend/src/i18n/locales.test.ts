// Every word of the phone and the big screen exists in every language: a
// key in English that another language lacks fails here (i18next would
// quietly show English), and so does a plural missing one of the forms
// the language's rules ask for (Intl.PluralRules: Arabic's zero, one,
// two, few, many, other) or a placeholder lost in translation.
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from './index';

const files = import.meta.glob<Record<string, unknown>>('./locales/*/*.json', { eager: true, import: 'default' });
const NAMESPACES = ['common', 'play', 'screen'];
const CARDINAL = /_(zero|one|two|few|many|other)$/;
const ORDINAL = /_ordinal_(zero|one|two|few|many|other)$/;

function flat(o: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(o as Record<string, unknown>)) {
    if (v && typeof v === 'object') for (const [kk, vv] of flat(v, `${prefix}${k}.`)) out.set(kk, vv);
    else out.set(`${prefix}${k}`, String(v));
  }
  return out;
}

function words(lng: string, ns: string): Map<string, string> {
  const f = files[`./locales/${lng}/${ns}.json`];
  expect(f, `${lng}/${ns}.json`).toBeDefined();
  return flat(f);
}

/** key -> its base and kind: "players_few" -> ["players", "cardinal"]. */
function base(key: string): [string, 'ordinal' | 'cardinal' | 'plain'] {
  if (ORDINAL.test(key)) return [key.replace(ORDINAL, ''), 'ordinal'];
  if (CARDINAL.test(key)) return [key.replace(CARDINAL, ''), 'cardinal'];
  return [key, 'plain'];
}

const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}|<(\w+)>/g)].map((m) => m[1] ?? `<${m[2]}>`).sort();

describe.each(NAMESPACES)('namespace %s', (ns) => {
  const en = words('en', ns);
  const enBases = new Map<string, string>();
  for (const [k, v] of en) enBases.set(base(k)[0], v);
  it('English has words', () => expect(en.size).toBeGreaterThan(10));
  it.each(LANGUAGES.filter((l) => l !== 'en'))('%s has every key, every plural form and every placeholder', (lng) => {
    const got = words(lng, ns);
    const bases = new Map<string, Set<string>>();
    for (const k of got.keys()) {
      const [b] = base(k);
      if (!bases.has(b)) bases.set(b, new Set());
      bases.get(b)!.add(k);
    }
    const missing = [...enBases.keys()].filter((b) => !bases.has(b));
    expect(missing, `${lng}/${ns}.json lacks`).toEqual([]);
    const extra = [...bases.keys()].filter((b) => !enBases.has(b));
    expect(extra, `${lng}/${ns}.json has keys English lacks`).toEqual([]);
    for (const [k, v] of en) {
      const [b, kind] = base(k);
      if (kind === 'plain') {
        expect(got.get(k), `${lng}/${ns}: ${k}`).toBeTruthy();
        expect(placeholders(got.get(k)!), `${lng}/${ns}: ${k} placeholders`).toEqual(placeholders(v));
      }
      if (kind !== 'plain' && v === en.get(k)) {
        const cats = new Intl.PluralRules(lng, { type: kind }).resolvedOptions().pluralCategories;
        for (const c of cats) {
          const key = kind === 'ordinal' ? `${b}_ordinal_${c}` : `${b}_${c}`;
          expect(got.get(key), `${lng}/${ns}: ${key}`).toBeTruthy();
        }
      }
    }
  });
});
