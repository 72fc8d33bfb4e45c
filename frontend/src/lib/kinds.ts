// Pure helpers of the question kinds (no React): the slider grid, ordering
// moves, word-cloud sizes and the right answer in words.

import type { AcceptedCorrect, OrderCorrect, QuestionKind, SliderBucket, SliderCorrect, TextCount } from './protocol';

/** A grid number as the server shows it: 0.3, not 0.30000000000000004. */
export function gridNum(x: number): number {
  return Number(x.toFixed(9));
}

/** Decimals worth showing for a step (0.25 -> 2, 5 -> 0). */
export function stepDecimals(step: number): number {
  const s = String(gridNum(step));
  const i = s.indexOf('.');
  return i < 0 ? 0 : Math.min(9, s.length - i - 1);
}

/** The nearest value of the slider grid (anchored at min), within min..max. */
export function snapToGrid(v: number, min: number, max: number, step: number): number {
  if (!(step > 0) || !Number.isFinite(v)) return min;
  const n = Math.round((max - min) / step);
  const k = Math.min(n, Math.max(0, Math.round((v - min) / step)));
  return gridNum(min + k * step);
}

/** The grid value `steps` grid steps from `v` (keyboard / +- buttons). */
export function stepBy(v: number, steps: number, min: number, max: number, step: number): number {
  return snapToGrid(v + steps * step, min, max, step);
}

/** A slider value for display: the step's decimals, then the unit. */
export function formatValue(v: number, step: number, unit?: string | null, locale = 'en-US'): string {
  const d = stepDecimals(step);
  const text = v.toLocaleString(locale, { minimumFractionDigits: d, maximumFractionDigits: d });
  return unit ? `${text} ${unit}` : text;
}

/** Where a slider starts: the middle of the grid. */
export function sliderStart(min: number, max: number, step: number): number {
  return snapToGrid((min + max) / 2, min, max, step);
}

/** Move one entry of a list from index `from` to index `to`. */
export function moveItem<T>(list: T[], from: number, to: number): T[] {
  if (from === to || from < 0 || from >= list.length) return list.slice();
  const out = list.slice();
  const [x] = out.splice(from, 1);
  out.splice(Math.max(0, Math.min(out.length, to)), 0, x);
  return out;
}

/** Tap ordering: tapping an item not yet picked appends it. */
export function tapPick(picked: number[], item: number): number[] {
  return picked.includes(item) ? picked : [...picked, item];
}

/** True when `order` is a permutation of 0..n-1. */
export function isPermutation(order: number[], n: number): boolean {
  return order.length === n && [...order].sort((a, b) => a - b).every((x, i) => x === i);
}

/** Font size (rem) of each word-cloud entry: by count, from `minRem` to `maxRem`. */
export function cloudSizes(entries: TextCount[], minRem = 1.2, maxRem = 5): number[] {
  if (entries.length === 0) return [];
  const counts = entries.map((e) => e.count);
  const lo = Math.min(...counts);
  const hi = Math.max(...counts);
  return counts.map((c) => (hi === lo ? (minRem + maxRem) / 2 : minRem + ((c - lo) / (hi - lo)) * (maxRem - minRem)));
}

/** Histogram buckets touched by [lo, hi] (the tolerance band), and the one holding `x`. */
export function bucketsInBand(buckets: SliderBucket[], lo: number, hi: number): boolean[] {
  return buckets.map((b, i) => {
    const last = i === buckets.length - 1;
    return b.from <= hi && (last ? b.to >= lo : b.to > lo);
  });
}

export function bucketOf(buckets: SliderBucket[], x: number): number {
  for (let i = 0; i < buckets.length; i++) {
    const last = i === buckets.length - 1;
    if (x >= buckets[i].from && (x < buckets[i].to || (last && x <= buckets[i].to))) return i;
  }
  return -1;
}

export function isSliderCorrect(c: unknown): c is SliderCorrect {
  return !!c && typeof c === 'object' && !Array.isArray(c) && 'answer' in c;
}
export function isAcceptedCorrect(c: unknown): c is AcceptedCorrect {
  return !!c && typeof c === 'object' && !Array.isArray(c) && 'accepted' in c;
}
export function isOrderCorrect(c: unknown): c is OrderCorrect {
  return !!c && typeof c === 'object' && !Array.isArray(c) && 'order' in c;
}

interface Shown {
  kind: QuestionKind;
  choices?: string[];
  items?: string[];
  step?: number;
  unit?: string | null;
}

/** The right answer in words, per kind ('' when there is none: poll, word cloud, info). */
export function rightAnswerText(q: Shown, correct: unknown): string {
  if (Array.isArray(correct)) return correct.map((c) => q.choices?.[c] ?? `#${c + 1}`).join(', ');
  if (isSliderCorrect(correct)) {
    const v = formatValue(correct.answer, q.step ?? 1, q.unit);
    return correct.tolerance > 0 ? `${v} (± ${formatValue(correct.tolerance, q.step ?? 1, q.unit)})` : v;
  }
  if (isAcceptedCorrect(correct)) return correct.accepted.join(' / ');
  if (isOrderCorrect(correct)) return correct.order.map((i) => q.items?.[i] ?? `#${i + 1}`).join(' → ');
  return '';
}

/** The player's value in words, per kind. */
export function valueText(q: Shown, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (q.kind === 'ordering' && Array.isArray(value)) return value.map((i) => q.items?.[i] ?? `#${i + 1}`).join(' → ');
  if (Array.isArray(value)) return value.map((c) => q.choices?.[c] ?? `#${c + 1}`).join(', ');
  if (typeof value === 'number') return formatValue(value, q.step ?? 1, q.unit);
  return String(value);
}
