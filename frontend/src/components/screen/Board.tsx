// The big screen's leaderboard: the side board while a question runs and
// the full-screen board between questions. Rows keep a stable DOM order
// (by player) and stand at their rank by a transform, so a new board
// slides them; the full board starts from the previous board's order and
// moves to the new one, with an arrow for each move.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import i18n from '../../i18n';
import { formatNumber } from '../../i18n/format';
import type { Entry } from '../../lib/protocol';
import { rowWords } from '../bits';
import { movements, type Move } from '../../lib/wall';
import { useReducedMotion } from './hooks';

/** One row's height plus the gap, in em of the list (screen.css agrees). */
const ROW = 1.6;

function moveText(m: Move | undefined): { mark: string; words: string } | null {
  if (!m) return null;
  const by = formatNumber(m.by);
  if (m.dir === 'up') return { mark: `▲${by}`, words: i18n.t('moveUp', { ns: 'screen', n: by }) };
  if (m.dir === 'down') return { mark: `▼${by}`, words: i18n.t('moveDown', { ns: 'screen', n: by }) };
  if (m.dir === 'new') return { mark: '★', words: i18n.t('moveNew', { ns: 'screen' }) };
  return { mark: '=', words: i18n.t('moveSame', { ns: 'screen' }) };
}

export function ScreenBoard({ top, previous = null, title, full = false, limit = 10 }: {
  top: Entry[];
  /** the board before (full board: arrows, and the slide from it) */
  previous?: Entry[] | null;
  title: string;
  full?: boolean;
  limit?: number;
}) {
  const { t } = useTranslation('screen');
  const rows = top.slice(0, limit);
  const reduced = useReducedMotion();
  const moves = full ? movements(previous, rows) : new Map<number, Move>();
  // the full board first stands in the previous order, then slides
  const [settled, setSettled] = useState(!full || !previous || reduced);
  useEffect(() => {
    if (settled) return;
    // two frames: the first paints the old order, the second moves
    let inner = 0;
    const outer = requestAnimationFrame(() => { inner = requestAnimationFrame(() => setSettled(true)); });
    return () => { cancelAnimationFrame(outer); cancelAnimationFrame(inner); };
  }, [settled]);
  const before = new Map((previous ?? []).map((e) => [e.player, e.rank - 1]));
  const pos = (e: Entry, i: number) => (settled ? i : Math.min(before.get(e.player) ?? rows.length, rows.length));
  const stable = [...rows].sort((a, b) => a.player - b.player);
  const at = new Map(rows.map((e, i) => [e.player, i]));
  return (
    <section className={full ? 'show-board full' : 'show-board side'} aria-label={title}>
      <h2 className="show-board-title">{title}</h2>
      {rows.length === 0 ? (
        <p className="muted show-board-empty">{t('board.noScores', { ns: 'common' })}</p>
      ) : (
        <>
          <ol className="sr-only">
            {rows.map((e) => {
              const m = moveText(moves.get(e.player));
              return <li key={e.player}>{m ? t('rowMove', { row: rowWords(e), move: m.words }) : rowWords(e)}</li>;
            })}
          </ol>
          <ol className="sb-list" style={{ height: `${rows.length * ROW}em` }} data-testid="leaderboard" data-settled={settled}
            aria-hidden="true">
            {stable.map((e) => {
              const m = moves.get(e.player);
              const mt = moveText(m);
              return (
                <li key={e.player} className={`sb-row r${e.rank}`} data-rank={e.rank} data-player={e.player}
                  style={{ transform: `translateY(${pos(e, at.get(e.player) ?? 0) * ROW}em)` }}>
                  <span className="sb-rank num">{formatNumber(e.rank)}</span>
                  {full && (
                    <span className={`sb-move ${m?.dir ?? 'none'}`} data-testid="lb-move" dir="ltr" data-move={m ? `${m.dir}${m.by || ''}` : ''}>
                      {mt?.mark ?? ''}
                    </span>
                  )}
                  <span className="lb-name sb-name" dir="auto">{e.nickname}</span>
                  <span className="lb-score sb-score num">{formatNumber(e.score)}</span>
                </li>
              );
            })}
          </ol>
        </>
      )}
    </section>
  );
}
