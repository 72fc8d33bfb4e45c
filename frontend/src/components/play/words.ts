// The phone's counted phrases and screen-reader announcements, in the UI's
// language (i18n: play.json "say.*", common.json's plurals). Pure (no
// React), so vitest checks them; plural forms from Intl.PluralRules through
// i18next, not from "n === 1" (Arabic has six forms).

import i18n from '../../i18n';
import { formatNumber, formatRank } from '../../i18n/format';

const plural = new Intl.PluralRules('en-US');

/** "1 point", "0 points": English only (the UI's words are in play.json). */
export function counted(n: number, one: string, other: string): string {
  return `${n} ${plural.select(n) === 'one' ? one : other}`;
}

/** "1 player", "2 players" in the UI's language (Arabic has six forms). */
export function playersText(n: number): string {
  return i18n.t('players', { ns: 'common', count: n, n: formatNumber(n) });
}

/** "958 points", "1 point" in the UI's language. */
export function pointsText(n: number): string {
  return i18n.t('points', { ns: 'common', count: n, n: formatNumber(n) });
}

function secondsText(n: number): string {
  return i18n.t('seconds', { ns: 'common', count: n, n: formatNumber(n) });
}

/** The gap to the next place up: equal scores (ranked apart by time) are a tie. */
export function toNextText(points: number): string {
  if (points <= 0) return i18n.t('result.tied', { ns: 'play' });
  return i18n.t('result.behind', { ns: 'play', points: pointsText(points) });
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
  const base = i18n.t('say.question', { ns: 'play', n: formatNumber(n), of: formatNumber(of), seconds: secondsText(seconds) });
  return reading > 0 ? i18n.t('say.reading', { ns: 'play', question: base, seconds: secondsText(reading) }) : base;
}

export interface ResultWords {
  title: string;
  points: number | null;
  rank: number | null;
}

/** The live region's words when a result arrives: "Correct, plus 958 points, rank 4". */
export function resultAnnouncement({ title, points, rank }: ResultWords): string {
  // no exclamation marks read out ("¡Correcto!", "正解！")
  const parts = [title.replace(/^[¡!]+|[!！]+$/g, '')];
  if (points !== null) parts.push(i18n.t('say.plus', { ns: 'play', points: pointsText(points) }));
  if (rank !== null) parts.push(i18n.t('say.rank', { ns: 'play', rank: formatNumber(rank) }));
  return parts.join(i18n.t('say.sep', { ns: 'play' }));
}

export function finalAnnouncement(rank: number | null, score: number | null): string {
  if (rank === null) return i18n.t('game.gameOver', { ns: 'play' });
  if (score === null) return i18n.t('say.final', { ns: 'play', rank: formatRank(rank) });
  return i18n.t('say.finalWith', { ns: 'play', rank: formatRank(rank), points: pointsText(score) });
}
