import { describe, expect, it } from 'vitest';
import { initialScreenLanguage } from './screenLanguage';

describe("the big screen's language at load", () => {
  it('?lang= when the console chose nothing in this browser', () => {
    expect(initialScreenLanguage('123456', '?lang=ar')).toBe('ar');
    expect(initialScreenLanguage('123456', '?board=teams&lang=ja')).toBe('ja');
  });
  it("an unknown ?lang= falls back to the browser's language, never a made-up one", () => {
    // vitest's Node may have no navigator at all: then English
    const browser = (typeof navigator === 'undefined' ? 'en' : navigator.language || 'en').toLowerCase().split('-')[0];
    const want = ['en', 'es', 'de', 'fr', 'pt', 'ar', 'ja'].includes(browser) ? browser : 'en';
    expect(initialScreenLanguage('123456', '?lang=xx')).toBe(want);
    expect(initialScreenLanguage('123456', '')).toBe(want);
  });
});
