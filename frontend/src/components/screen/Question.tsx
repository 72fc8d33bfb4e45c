// A question on the big screen: the reading time ("get ready"), the open
// question (tiles or the kind's prompt, the countdown) and its results.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../i18n/format';
import { serverNow } from '../../lib/clock';
import type { GameInfo } from '../../lib/protocol';
import { questionPhase, type QuestionView } from '../../lib/state';
import { Countdown } from '../bits';
import { KindPrompt, KindResults } from '../kinds';
import { ChoiceResults, ChoiceTiles } from './Choices';
import { GetReadyBar } from './GetReady';

const CHOICE_KINDS = new Set(['choice', 'true_false', 'poll']);

/** Long texts step down so that they still fit the canvas (the usual
 *  question stays at the full size, >= 56 px at 1920 wide). */
function textSize(text: string): string {
  const n = [...text].length;
  if (n > 260) return ' longest';
  if (n > 140) return ' long';
  return '';
}

export function ScreenQuestion({ g, q, now, offset, answered, players, dist, late }: {
  g: GameInfo;
  q: QuestionView;
  now: number;
  offset: number;
  answered: number;
  players: number;
  /** the live distribution (the closed question's own comes in q) */
  dist: unknown;
  /** the late-join line, when joining is possible */
  late: ReactNode;
}) {
  const { t } = useTranslation('screen');
  const open = q.state === 'open';
  const phase = questionPhase(q, serverNow(now, offset));
  const reading = phase === 'reading';
  const paused = phase === 'paused';
  const info = q.kind === 'info';
  const choices = q.choices ?? [];
  const choiceKind = CHOICE_KINDS.has(q.kind);
  let body: ReactNode;
  if (reading) {
    body = <GetReadyBar openedMs={q.opened_ms} openMs={q.answers_open_ms} offset={offset} />;
  } else if (open) {
    body = choiceKind ? <ChoiceTiles choices={choices} /> : <KindPrompt q={q} big />;
  } else if (choiceKind) {
    const d = q.distribution ?? dist;
    const counts = Array.isArray(d) && d.every((x) => typeof x === 'number') ? (d as number[]) : choices.map(() => 0);
    const correct = Array.isArray(q.correct) && q.kind !== 'poll' ? q.correct : undefined;
    body = <ChoiceResults choices={choices} counts={counts} correct={correct} />;
  } else {
    body = <KindResults q={q} dist={q.distribution ?? dist} />;
  }
  return (
    <div className={`show-question kind-${q.kind}${reading ? ' reading-view' : ''}${open ? ' is-open' : ' is-closed'}`}
      data-testid={reading ? 'screen-reading' : 'screen-question'}>
      <div className="show-qhead">
        <span className="show-qnum" data-testid="screen-qnum">{t('questionOf', { n: formatNumber(q.question), of: formatNumber(g.n_questions) })}</span>
        {open && !reading && !info && (
          <Countdown openedMs={q.answers_open_ms} deadlineMs={q.deadline_ms} offset={offset} big
            pausedLeftMs={paused ? (q.remaining_ms ?? 0) : undefined} />
        )}
        {!open && !info && <span className="show-closed-label">{q.kind === 'poll' || q.kind === 'word_cloud' ? t('results') : t('answers')}</span>}
        {!info && !reading && (
          <span className="screen-answered" data-testid="screen-answered">{t('answered', { answered: formatNumber(answered), players: formatNumber(players) })}</span>
        )}
      </div>
      <h1 className={`qtext show-qtext${reading || info ? ' huge' : ''}${textSize(q.text)}`} data-testid="screen-qtext" dir="auto">{q.text}</h1>
      {q.image && <img className={info ? 'qimage info' : 'qimage'} src={q.image} alt="" />}
      <div className="show-body">{body}</div>
      {late}
      {open && paused && (
        <div className="paused-overlay" role="status" data-testid="screen-paused"><span>{t('paused')}</span></div>
      )}
    </div>
  );
}
