import { describe, expect, it } from 'vitest';
import i18n from './index';
import { formatNumber, formatRank } from './format';

describe('ranks in every language', () => {
  it('English: 1st 2nd 3rd 4th 11th 12th 13th 21st 102nd', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 102].map((n) => formatRank(n, 'en'))).toEqual(
      ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '102nd'],
    );
  });
  it('German: 1. 2. 3.', () => {
    expect([1, 2, 3, 10].map((n) => formatRank(n, 'de'))).toEqual(['1.', '2.', '3.', '10.']);
  });
  it('French: 1er 2e 3e', () => {
    expect([1, 2, 3, 21].map((n) => formatRank(n, 'fr'))).toEqual(['1er', '2e', '3e', '21e']);
  });
  it('Spanish and Portuguese: 1.º', () => {
    expect([1, 2, 3].map((n) => formatRank(n, 'es'))).toEqual(['1.º', '2.º', '3.º']);
    expect([1, 2, 3].map((n) => formatRank(n, 'pt'))).toEqual(['1.º', '2.º', '3.º']);
  });
  it('Japanese: 1位', () => {
    expect([1, 2, 12].map((n) => formatRank(n, 'ja'))).toEqual(['1位', '2位', '12位']);
  });
  it('Arabic: المركز ١ in Arabic-Indic digits', () => {
    expect([1, 2, 12].map((n) => formatRank(n, 'ar'))).toEqual(['المركز ١', 'المركز ٢', 'المركز ١٢']);
  });
});

describe('numbers in every language', () => {
  it('four digits stay ungrouped, five and more are grouped as the language does', () => {
    expect(formatNumber(1500, 'en')).toBe('1500');
    expect(formatNumber(12345, 'en')).toBe('12,345');
    expect(formatNumber(12345, 'de')).toBe('12.345');
    expect(formatNumber(12345, 'es')).toBe('12.345');
    expect(formatNumber(12345, 'pt')).toBe('12.345');
    expect(formatNumber(12345, 'fr')).toBe('12\u202f345'); // a narrow no-break space
    expect(formatNumber(12345, 'ja')).toBe('12,345');
    expect(formatNumber(958, 'ar')).toBe('٩٥٨');
    expect(formatNumber(12345, 'ar')).toBe('١٢٬٣٤٥');
    expect(formatNumber(0, 'ar')).toBe('٠');
  });
  it('the current language is the default', async () => {
    await i18n.changeLanguage('de');
    expect(formatNumber(12345)).toBe('12.345');
    expect(formatRank(3)).toBe('3.');
    await i18n.changeLanguage('en');
    expect(formatRank(3)).toBe('3rd');
  });
});

describe('plural words', () => {
  const players = (lng: string, n: number) => i18n.t('players', { ns: 'common', lng, count: n, n: String(n) });
  it('Arabic has six forms', () => {
    expect([0, 1, 2, 3, 11, 100].map((n) => players('ar', n))).toEqual(
      ['لا لاعبين', 'لاعب واحد', 'لاعبان', '3 لاعبين', '11 لاعبًا', '100 لاعب'],
    );
  });
  it('Japanese has one', () => {
    expect(players('ja', 1)).toBe('1人');
    expect(players('ja', 5)).toBe('5人');
  });
  it('English, French', () => {
    expect(players('en', 1)).toBe('1 player');
    expect(players('en', 0)).toBe('0 players');
    expect(players('fr', 0)).toBe('0 joueur');
    expect(players('fr', 2)).toBe('2 joueurs');
  });
});

describe('arrows follow the reading direction', () => {
  it('right to left in Arabic only', async () => {
    const { readingArrows } = await import('./format');
    expect(readingArrows('A → B → C', 'en')).toBe('A → B → C');
    expect(readingArrows('أ → ب', 'ar')).toBe('أ ← ب');
    expect(readingArrows('A → B', 'ja')).toBe('A → B');
  });
});
