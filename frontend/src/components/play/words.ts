// The phone's counted phrases and screen-reader announcements. Pure (no
// React), so vitest checks them; plural forms from Intl.PluralRules, not
// from "n === 1" (other languages have more forms than English).

import { ordinal } from '../../lib/state';

const plural = new Intl.PluralRules('en-US');

/** "1 player", "2 players", "1 point", "0 points". */
export function counted(n: number, one: string, other: string): string {
  return `${n} ${plural.select(n) === 'one' ? one : other}`;
}

export function playersText(n: number): string {
  return counted(n, 'player', 'players');
}

/** The gap to the next place up: equal scores (ranked apart by time) are a tie. */
export function toNextText(points: number): string {
  if (points <= 0) return 'Tied on points with the next place';
  return `${counted(points, 'point', 'points')} behind the next place`;
}

/** Graphemes as people count them ("👩‍🚀" is one): the nickname's limit. */
export function graphemeCount(text: string): number {
  const Seg = (Intl as { Segmenter?: typeof Intl.Segmenter }).Segmenter;
  if (!Seg) return [...text].length;
  let n = 0;
  for (const _ of new Seg('en', { granularity: 'grapheme' }).segment(text)) n += 1;
  return n;
}

/** The live region's words when a question opens. */
export function questionAnnouncement(n: number, of: number, seconds: number, reading: number): string {
  const base = `Question ${n} of ${of}, ${counted(seconds, 'second', 'seconds')}`;
  return reading > 0 ? `${base}. Answers open in ${counted(reading, 'second', 'seconds')}` : base;
}

export interface ResultWords {
  title: string;
  points: number | null;
  rank: number | null;
}

/** The live region's words when a result arrives: "Correct, plus 958 points, rank 4". */
export function resultAnnouncement({ title, points, rank }: ResultWords): string {
  const parts = [title.replace(/!$/, '')];
  if (points !== null) parts.push(`plus ${counted(points, 'point', 'points')}`);
  if (rank !== null) parts.push(`rank ${rank}`);
  return parts.join(', ');
}

export function finalAnnouncement(rank: number | null, score: number | null): string {
  if (rank === null) return 'Game over';
  return `Game over. You finished ${ordinal(rank)}${score !== null ? ` with ${counted(score, 'point', 'points')}` : ''}`;
}
