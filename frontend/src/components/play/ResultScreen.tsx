// The phone at a question's close: a full-screen verdict (green "Correct!"
// with the points, red "Wrong", neutral for polls and for a question the
// player joined after), the shapes they picked, then their rank.

import { useEffect, useRef } from 'react';
import { Shape } from '../bits';
import { rightAnswerText, valueText } from '../../lib/kinds';
import { ordinal, pointsToNextPlace, myTeam, type QuestionView, type ViewState } from '../../lib/state';
import { toNextText } from './words';

export type Verdict = { title: string; tone: 'right' | 'wrong' | 'neutral'; points: number | null };

const CHOICE_KINDS = new Set(['choice', 'true_false', 'poll']);
const UNSCORED = new Set(['poll', 'word_cloud', 'info']);

/** What the phone says about question `q` (also what the live region reads). */
export function verdict(state: ViewState, q: QuestionView, joinedAfter: boolean): Verdict {
  const r = state.result;
  const unscored = UNSCORED.has(q.kind);
  if (joinedAfter && !(r && r.answered)) return { title: 'You joined after this question', tone: 'neutral', points: null };
  if (!r) return { title: 'Question closed', tone: 'neutral', points: null };
  const points = unscored ? null : r.points;
  if (!r.answered) return { title: 'No answer', tone: 'wrong', points };
  if (r.right === null) return { title: q.kind === 'poll' ? 'Thanks for voting' : 'Thanks for your answer', tone: 'neutral', points };
  return r.right ? { title: 'Correct!', tone: 'right', points } : { title: 'Wrong', tone: 'wrong', points };
}

/** The player's team after a close (and at the end): its rank and score. */
export function TeamRank({ name, rank, score, final = false }: { name: string; rank: number | null; score: number | null; final?: boolean }) {
  if (rank === null) return null;
  return (
    <p className="my-team-rank" data-testid="my-team-rank" data-rank={rank} data-score={score ?? undefined}>
      {final ? `Team ${name} finished ${ordinal(rank)}` : `Team ${name}: ${ordinal(rank)}`}
      {score !== null ? ` with ${score} points` : ''}
    </p>
  );
}

export function ResultScreen({ state, q, joinedAfter }: { state: ViewState; q: QuestionView; joinedAfter: boolean }) {
  const heading = useRef<HTMLHeadingElement>(null);
  // The locked view (which held the focus) is gone: keep the focus on the
  // page's news rather than letting it drop to <body>.
  useEffect(() => {
    const active = document.activeElement;
    if (!active || active === document.body) heading.current?.focus({ preventScroll: true });
  }, [q.question]);
  if (q.kind === 'info') {
    return <div className="center result info" data-testid="result"><h2>{q.text}</h2><p className="muted">Next up soon…</p></div>;
  }
  const r = state.result;
  const me = state.me;
  const v = verdict(state, q, joinedAfter);
  const team = myTeam(state);
  const toNext = pointsToNextPlace(state.leaderboard.top, me ? { score: me.score, rank: me.rank } : null);
  const right = rightAnswerText(q, q.correct);
  const yours = r?.answered ? valueText(q, r.value) : '';
  const picked = r?.answered && CHOICE_KINDS.has(q.kind) && Array.isArray(r.value) ? (r.value as number[]) : [];
  return (
    <div className={`center result result-full ${v.tone}`} data-testid="result" data-tone={v.tone}>
      <div className="result-main">
        {picked.length > 0 && (
          <p className="result-shapes" aria-hidden="true">
            {picked.map((c) => <span key={c} className={`result-shape c${c}`}><Shape index={c} size={44} /></span>)}
          </p>
        )}
        <h2 data-testid="result-title" ref={heading} tabIndex={-1}>{v.title}</h2>
        {v.points !== null && !joinedAfter && (
          <p className="points" data-testid="points">+{v.points} points{r?.bonus ? ` (streak bonus ${r.bonus})` : ''}</p>
        )}
      </div>
      {yours && <p className="your-answer">Your answer: <strong data-testid="your-answer">{yours}</strong></p>}
      {right && <p className="right-answer">Right answer: <strong data-testid="right-answer">{right}</strong></p>}
      {me && (
        <dl className="stats">
          {me.rank !== null && <div className="stat-rank"><dt>Rank</dt><dd data-testid="rank">{ordinal(me.rank)}</dd></div>}
          <div><dt>Total</dt><dd data-testid="total">{me.score}</dd></div>
          <div><dt>Streak</dt><dd>{me.streak}</dd></div>
        </dl>
      )}
      {toNext !== null && <p className="to-next" data-testid="to-next">{toNextText(toNext)}</p>}
      {team && <TeamRank name={team.name} rank={state.myTeamRank} score={state.myTeamScore} />}
    </div>
  );
}
