import { describe, expect, it } from 'vitest';
import { brandStyle, contrast, logoPrecheck, luminance, MIN_CONTRAST, parseHex, readableAccent, SHOW_BG, textOn } from './brand';

describe('brand colours', () => {
  it('reads #rrggbb in either case and nothing else', () => {
    expect(parseHex('#1E88e5')).toEqual([30, 136, 229]);
    expect(parseHex('#fff')).toBeNull();
    expect(parseHex('red')).toBeNull();
    expect(parseHex(null)).toBeNull();
  });

  it('computes WCAG luminance and contrast', () => {
    expect(luminance([0, 0, 0])).toBe(0);
    expect(luminance([255, 255, 255])).toBeCloseTo(1, 6);
    expect(contrast([0, 0, 0], [255, 255, 255])).toBeCloseTo(21, 6);
    expect(contrast([119, 119, 119], [255, 255, 255])).toBeCloseTo(4.48, 2);
  });

  it('picks black text on light accents and white on dark ones', () => {
    expect(textOn('#ffd23f')).toBe('#000000'); // the default yellow
    expect(textOn('#ffffff')).toBe('#000000');
    expect(textOn('#1b1464')).toBe('#ffffff');
    expect(textOn('#000000')).toBe('#ffffff');
    expect(textOn('#e53935')).toBe('#000000'); // 5.3:1 with black, 3.9:1 with white
    expect(textOn('#1e88e5')).toBe('#000000');
    expect(textOn('#2e7d32')).toBe('#ffffff');
    // whichever it picks contrasts at least 4.5:1 (WCAG AA for text)
    for (const c of ['#ff0000', '#00ff00', '#0000ff', '#808080', '#777777', '#e53935', '#6a1b9a']) {
      const text = textOn(c) === '#000000' ? [0, 0, 0] : [255, 255, 255];
      expect(contrast(parseHex(c)!, text as [number, number, number])).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('keeps an accent that reads on the show and lifts one that does not', () => {
    expect(readableAccent('#ffd23f')).toBe('#ffd23f');
    expect(readableAccent('#e53935')).toBe('#e53935');
    const navy = readableAccent('#0a0a40');
    expect(navy).not.toBe('#0a0a40');
    expect(contrast(parseHex(navy)!, parseHex(SHOW_BG)!)).toBeGreaterThanOrEqual(MIN_CONTRAST);
  });

  it('styles the page root only for a valid accent', () => {
    expect(brandStyle({ accent: '#e53935', logo: null })).toEqual({ '--accent': '#e53935', '--on-accent': '#000000' });
    expect(brandStyle({ accent: null, logo: '/api/logos/x.png' })).toEqual({});
    expect(brandStyle(undefined)).toEqual({});
  });

  it('pre-checks an upload by type and size', () => {
    expect(logoPrecheck({ type: 'image/png', size: 1000 })).toBeNull();
    expect(logoPrecheck({ type: 'image/svg+xml', size: 1000 })).toBe('logo_type');
    expect(logoPrecheck({ type: 'text/plain', size: 10 })).toBe('logo_type');
    expect(logoPrecheck({ type: 'image/webp', size: 300 * 1024 })).toBe('logo_too_large');
    expect(logoPrecheck({ type: 'image/gif', size: 256 * 1024 })).toBeNull();
  });
});
