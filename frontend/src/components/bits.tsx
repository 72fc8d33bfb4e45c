import { Trans, useTranslation } from 'react-i18next';
import { formatNumber, formatRank } from '../i18n/format';
import i18n from '../i18n';
import type { Entry } from '../lib/protocol';
import { fractionLeft, secondsLeft } from '../lib/clock';
import { useTicker } from '../useGame';

// Answer tiles: a shape AND a colour each, so colour-blind players can tell
// them apart (and the host can say "the triangle").
export const SHAPES = ['triangle', 'diamond', 'circle', 'square', 'pentagon', 'star'] as const;

export function Shape({ index, size = 28 }: { index: number; size?: number }) {
  const s = SHAPES[index % SHAPES.length];
  const p = { fill: 'currentColor' };
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" focusable="false" className="shape">
      {s === 'triangle' && <polygon points="12,2 23,21 1,21" {...p} />}
      {s === 'diamond' && <polygon points="12,1 23,12 12,23 1,12" {...p} />}
      {s === 'circle' && <circle cx="12" cy="12" r="11" {...p} />}
      {s === 'square' && <rect x="2" y="2" width="20" height="20" {...p} />}
      {s === 'pentagon' && <polygon points="12,1 23,9 19,23 5,23 1,9" {...p} />}
      {s === 'star' && <polygon points="12,1 15,9 23,9 17,14 19,23 12,17 5,23 7,14 1,9 9,9" {...p} />}
    </svg>
  );
}

/** The shape's name in the UI's language (what a screen reader says). */
export function shapeName(index: number): string {
  return i18n.t(`shapes.${SHAPES[index % SHAPES.length]}`, { ns: 'common' });
}

/** "1st Ana 958 points": one row of a board, for screen readers. */
export function rowWords(e: { rank: number; nickname: string; score: number }): string {
  return i18n.t('board.row', { ns: 'common', rank: formatRank(e.rank), name: e.nickname, points: i18n.t('points', { ns: 'common', count: e.score, n: formatNumber(e.score) }) });
}

/** Seconds left and a bar. `openMs` is when answers opened (the bar's start);
 *  `pausedLeftMs` freezes it while the host has paused the question. */
export function Countdown({ openedMs, deadlineMs, offset, big = false, pausedLeftMs }: { openedMs: number; deadlineMs: number; offset: number; big?: boolean; pausedLeftMs?: number }) {
  const { t } = useTranslation('common');
  const now = useTicker(pausedLeftMs === undefined, 200);
  const total = deadlineMs - openedMs;
  const secs = pausedLeftMs !== undefined ? Math.ceil(Math.max(0, pausedLeftMs) / 1000) : secondsLeft(deadlineMs, offset, now);
  const frac = pausedLeftMs !== undefined
    ? (total > 0 ? Math.min(1, Math.max(0, pausedLeftMs) / total) : 0)
    : fractionLeft(openedMs, deadlineMs, offset, now);
  return (
    <div className={`countdown${big ? ' big' : ''}${pausedLeftMs !== undefined ? ' paused' : ''}`} role="timer" aria-label={pausedLeftMs !== undefined ? t('countdown.paused', { left: t('countdown.left', { count: secs, n: formatNumber(secs) }) }) : t('countdown.left', { count: secs, n: formatNumber(secs) })}>
      <span className="countdown-num" data-testid="countdown">{formatNumber(secs)}</span>
      <div className="countdown-bar" aria-hidden="true">
        <div className="countdown-fill" style={{ transform: `scaleX(${frac})` }} />
      </div>
    </div>
  );
}

/** The reading time: "Answers open in N s" (server clock). */
export function ReadCountdown({ openMs, offset, big = false }: { openMs: number; offset: number; big?: boolean }) {
  useTranslation('common');
  const now = useTicker(true, 200);
  const secs = secondsLeft(openMs, offset, now);
  return (
    <p className={big ? 'reading big' : 'reading'} role="timer" data-testid="reading-countdown">
      <Trans ns="common" i18nKey="countdown.reading" values={{ n: formatNumber(secs) }}
        components={{ num: <span className="reading-num" data-testid="reading-seconds" /> }} />
    </p>
  );
}

const ROW = 3.4; // em, height of one leaderboard row

/** The live top: rows keyed by player move with a CSS transform transition. */
export function Leaderboard({ top, highlight, title }: { top: Entry[]; highlight?: number; title?: string }) {
  const { t } = useTranslation('common');
  title ??= t('board.top10');
  const rows = top.slice(0, 10);
  const order = [...rows].sort((a, b) => a.player - b.player); // stable DOM order: only transforms change
  const pos = new Map(rows.map((e, i) => [e.player, i]));
  return (
    <section className="leaderboard" aria-label={title}>
      <h2>{title}</h2>
      {rows.length === 0 ? (
        <p className="muted">{t('board.noScores')}</p>
      ) : (
        <>
        <ol className="sr-only">
          {rows.map((e) => <li key={e.player}>{rowWords(e)}</li>)}
        </ol>
        <ol className="lb-list" style={{ height: `${rows.length * ROW}em` }} data-testid="leaderboard" aria-hidden="true">
          {order.map((e) => (
            <li
              key={e.player}
              className={e.player === highlight ? 'lb-row me' : 'lb-row'}
              style={{ transform: `translateY(${(pos.get(e.player) ?? 0) * ROW}em)` }}
              data-rank={e.rank}
            >
              <span className="lb-rank num">{formatNumber(e.rank)}</span>
              <span className="lb-name" dir="auto">{e.nickname}</span>
              <span className="lb-score num">{formatNumber(e.score)}</span>
            </li>
          ))}
        </ol>
        </>
      )}
    </section>
  );
}

export function Podium({ podium }: { podium: Entry[] }) {
  const { t } = useTranslation('common');
  // classic layout: 2nd, 1st, 3rd
  const places = [podium[1], podium[0], podium[2]].filter(Boolean) as Entry[];
  return (
    <section className="podium" aria-label={t('board.podium')}>
      <h2>{t('board.podium')}</h2>
      <ol className="podium-list" data-testid="podium">
        {podium.slice(0, 3).map((e) => (
          <li key={e.player} className="sr-only">{rowWords(e)}</li>
        ))}
      </ol>
      <div className="podium-stage" aria-hidden="true">
        {places.map((e) => (
          <div key={e.player} className={`podium-step p${e.rank}`}>
            <div className="podium-name" dir="auto">{e.nickname}</div>
            <div className="podium-score num">{formatNumber(e.score)}</div>
            <div className="podium-block">{formatNumber(e.rank)}</div>
          </div>
        ))}
      </div>
    </section>
  );
}

export function Distribution({ choices, counts, correct }: { choices: string[]; counts: number[]; correct?: number[] }) {
  const { t } = useTranslation('common');
  const max = Math.max(1, ...counts);
  const ok = new Set(correct ?? []);
  return (
    <section className="dist" aria-label={t('board.answersPerChoice')}>
      <ul className="dist-list">
        {choices.map((c, i) => (
          <li key={i} className={`dist-row c${i}${correct ? (ok.has(i) ? ' right' : ' wrong') : ''}`}>
            <span className="dist-label"><Shape index={i} size={18} /> {c}{correct && ok.has(i) ? ' ✓' : ''}</span>
            <span className="dist-bar"><span style={{ width: `${((counts[i] ?? 0) / max) * 100}%` }} /></span>
            <span className="dist-count num" data-testid={`dist-${i}`}>{formatNumber(counts[i] ?? 0)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function ConnectionBanner({ connection, retryIn, onRetry }: { connection: string; retryIn: number | null; onRetry(): void }) {
  const { t } = useTranslation('common');
  if (connection !== 'lost') return null;
  return (
    <div className="banner" role="alert" data-testid="banner">
      {retryIn !== null ? t('connection.lostIn', { s: formatNumber(Math.ceil(retryIn / 1000)) }) : t('connection.lost')}{' '}
      <button type="button" className="link" onClick={onRetry}>{t('connection.retry')}</button>
    </div>
  );
}

/** Closed with 4409: the same game is open in another tab or on another device. */
export function Replaced({ onUseHere }: { onUseHere(): void }) {
  const { t } = useTranslation('common');
  return (
    <main className="page narrow center" data-testid="replaced">
      <h1>{t('replaced.title')}</h1>
      <p>{t('replaced.body')}</p>
      <button type="button" className="btn primary" onClick={onUseHere}>{t('replaced.useHere')}</button>
    </main>
  );
}
