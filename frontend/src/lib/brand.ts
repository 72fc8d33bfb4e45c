// A game's brand on the screen and phones (docs/quizzes.md, "Branding"):
// the accent colour becomes the page's --accent (bars, highlights, the
// accent texts), and text drawn on it picks black or white, whichever
// contrasts more (WCAG relative luminance), so any colour a host picks
// stays readable. An accent too dark to read on the show's background is
// lifted toward white until it reaches MIN_CONTRAST.
import type { CSSProperties } from 'react';
import type { Brand } from './protocol';

/** The show's background (styles.css --bg): accent texts stand on it. */
export const SHOW_BG = '#1b1464';
/** WCAG's minimum for large text and graphical objects (bars, chips). */
export const MIN_CONTRAST = 3;

type Rgb = [number, number, number];

/** "#rrggbb" (either case) as [r, g, b]; null for anything else. */
export function parseHex(hex: string | null | undefined): Rgb | null {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex ?? '');
  return m ? [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)] : null;
}

export function toHex([r, g, b]: Rgb): string {
  return '#' + [r, g, b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('');
}

/** WCAG 2 relative luminance, 0 (black) to 1 (white). */
export function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** WCAG contrast ratio of two colours, 1 to 21. */
export function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** The text colour for a surface of `accent`: black or white, whichever
 *  contrasts more ("#000000" for yellow, "#ffffff" for navy). */
export function textOn(accent: string): '#000000' | '#ffffff' {
  const rgb = parseHex(accent);
  if (!rgb) return '#000000';
  return contrast(rgb, [0, 0, 0]) >= contrast(rgb, [255, 255, 255]) ? '#000000' : '#ffffff';
}

/** `accent` as it is when it reads on `bg` (MIN_CONTRAST), else mixed
 *  with white in 5% steps until it does. */
export function readableAccent(accent: string, bg: string = SHOW_BG): string {
  const rgb = parseHex(accent);
  const back = parseHex(bg);
  if (!rgb || !back) return accent;
  for (let w = 0; w <= 1.0001; w += 0.05) {
    const mixed: Rgb = [0, 1, 2].map((i) => rgb[i] + (255 - rgb[i]) * w) as Rgb;
    if (contrast(mixed, back) >= MIN_CONTRAST) return toHex(mixed);
  }
  return '#ffffff';
}

/** The page root's style for a brand: --accent and --on-accent, or
 *  nothing (the default colours) without an accent. */
export function brandStyle(brand: Brand | null | undefined): CSSProperties {
  if (!brand?.accent || !parseHex(brand.accent)) return {};
  const accent = readableAccent(brand.accent);
  return { '--accent': accent, '--on-accent': textOn(accent) } as CSSProperties;
}

/** What an upload may be, checked before sending (the server checks the
 *  bytes themselves: quiz/brand.py). */
export const LOGO_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'];
export const LOGO_MAX_BYTES = 256 * 1024;

/** null when the file may be sent, else the brand namespace's error key. */
export function logoPrecheck(file: { type: string; size: number }): 'logo_type' | 'logo_too_large' | null {
  if (!LOGO_TYPES.includes(file.type)) return 'logo_type';
  if (file.size > LOGO_MAX_BYTES) return 'logo_too_large';
  return null;
}
