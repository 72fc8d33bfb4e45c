// The phone at a question's close: a full-screen verdict (green "Correct!"
// with the points, red "Wrong", neutral for polls and for a question the
// player joined after), the shapes they picked, then their rank.

import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import i18n from '../../i18n';
import { formatNumber, formatRank, readingArrows } from '../../i18n/format';
import { Shape } from '../bits';
import { rightAnswerText, valueText } from '../../lib/kinds';
import { pointsToNextPlace, myTeam, type QuestionView, type ViewState } from '../../lib/state';
import { pointsText, toNextText } from './words';

export type Verdict = { title: string; tone: 'right' | 'wrong' | 'neutral'; points: number | null };

const CHOICE_KINDS = new Set(['choice', 'true_false', 'poll']);
const UNSCORED = new Set(['poll', 'word_cloud', 'info']);

const say = (key: string) => i18n.t(`result.${key}`, { ns: 'play' });

/** What the phone says about question `q` (also what the live region reads),
 *  in the UI's language. */
export function verdict(state: ViewState, q: QuestionView, joinedAfter: boolean): Verdict {
  const r = state.result;
  const unscored = UNSCORED.has(q.kind);
  if (joinedAfter && !(r && r.answered)) return { title: say('joinedAfter'), tone: 'neutral', points: null };
  if (!r) return { title: say('closed'), tone: 'neutral', points: null };
  const points = unscored ? null : r.points;
  if (!r.answered) return { title: say('noAnswer'), tone: 'wrong', points };
  if (r.right === null) return { title: say(q.kind === 'poll' ? 'thanksVote' : 'thanksAnswer'), tone: 'neutral', points };
  return r.right ? { title: say('correct'), tone: 'right', points } : { title: say('wrong'), tone: 'wrong', points };
}

/** The player's team after a close (and at the end): its rank and score. */
export function TeamRank({ name, rank, score, final = false }: { name: string; rank: number | null; score: number | null; final?: boolean }) {
  const { t } = useTranslation('play');
  if (rank === null) return null;
  const team = t(final ? 'result.teamFinished' : 'result.teamRank', { name, rank: formatRank(rank) });
  return (
    <p className="my-team-rank" data-testid="my-team-rank" data-rank={rank} data-score={score ?? undefined}>
      {score !== null ? t('result.teamWith', { team, points: pointsText(score) }) : team}
    </p>
  );
}

export function ResultScreen({ state, q, joinedAfter }: { state: ViewState; q: QuestionView; joinedAfter: boolean }) {
  const { t } = useTranslation('play');
  const heading = useRef<HTMLHeadingElement>(null);
  // The locked view (which held the focus) is gone: keep the focus on the
  // page's news rather than letting it drop to <body>.
  useEffect(() => {
    const active = document.activeElement;
    if (!active || active === document.body) heading.current?.focus({ preventScroll: true });
  }, [q.question]);
  if (q.kind === 'info') {
    return <div className="center result info" data-testid="result"><h2 dir="auto">{q.text}</h2><p className="muted">{t('result.infoNext')}</p></div>;
  }
  const r = state.result;
  const me = state.me;
  const v = verdict(state, q, joinedAfter);
  const team = myTeam(state);
  const toNext = pointsToNextPlace(state.leaderboard.top, me ? { score: me.score, rank: me.rank } : null);
  const right = readingArrows(rightAnswerText(q, q.correct));
  const yours = r?.answered ? readingArrows(valueText(q, r.value)) : '';
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
          <p className="points" data-testid="points">
            {t('result.plusPoints', { count: v.points, n: formatNumber(v.points) })}
            {r?.bonus ? t('result.bonus', { n: formatNumber(r.bonus) }) : ''}
          </p>
        )}
      </div>
      {yours && <p className="your-answer">{t('result.yourAnswer')} <strong data-testid="your-answer" dir="auto">{yours}</strong></p>}
      {right && <p className="right-answer">{t('result.rightAnswer')} <strong data-testid="right-answer" dir="auto">{right}</strong></p>}
      {me && (
        <dl className="stats">
          {me.rank !== null && <div className="stat-rank"><dt>{t('result.rank')}</dt><dd data-testid="rank">{formatRank(me.rank)}</dd></div>}
          <div><dt>{t('result.total')}</dt><dd data-testid="total" className="num">{formatNumber(me.score)}</dd></div>
          <div><dt>{t('result.streak')}</dt><dd className="num">{formatNumber(me.streak)}</dd></div>
        </dl>
      )}
      {toNext !== null && <p className="to-next" data-testid="to-next">{toNextText(toNext)}</p>}
      {team && <TeamRank name={team.name} rank={state.myTeamRank} score={state.myTeamScore} />}
    </div>
  );
}
