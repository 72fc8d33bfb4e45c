import { useTranslation } from 'react-i18next';
import type { QuestionView } from '../lib/state';

/** The console's "Show leaderboard" between questions: the big screen's
 *  full-screen board replaces the results until the next question (the
 *  host's `show_leaderboard`, the same step auto-advance takes by itself).
 *  Shown once the current question closed, until the board is up. */
export function ShowBoardButton({ q, boardShown, finished, send }: {
  q: QuestionView | null;
  boardShown: number | null;
  finished: boolean;
  send: (frame: Record<string, unknown>) => boolean;
}) {
  const { t } = useTranslation('brand');
  if (finished || !q || q.state !== 'closed' || boardShown === q.question) return null;
  return (
    <button type="button" className="btn big" data-testid="host-show-board" onClick={() => send({ type: 'show_leaderboard' })}>
      {t('showBoard')}
    </button>
  );
}
