// The choice kinds on the big screen: the tiles while the question is open
// and the bars of the results, each with its shape large (>= 48 px, by
// screen.css) so a choice is told by shape as well as colour: under a
// red-green colour blindness the red and green tiles look alike.
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../i18n/format';
import { Shape, shapeName } from '../bits';

export function ChoiceTiles({ choices }: { choices: string[] }) {
  useTranslation('common'); // the shapes' names follow the language
  return (
    <ul className={`show-tiles n${choices.length}`} data-testid="screen-tiles">
      {choices.map((c, i) => (
        <li key={i} className={`show-tile c${i}`} data-testid={`tile-${i}`}>
          <span className="show-shape" role="img" aria-label={shapeName(i)}><Shape index={i} size={64} /></span>
          <span className="show-tile-text" dir="auto">{c}</span>
        </li>
      ))}
    </ul>
  );
}

/** The results: a bar per choice, the right ones marked (✓ and full
 *  colour), the wrong ones dimmed. `correct` undefined: a poll, no verdict. */
export function ChoiceResults({ choices, counts, correct }: { choices: string[]; counts: number[]; correct?: number[] }) {
  const { t } = useTranslation('screen');
  const max = Math.max(1, ...counts);
  const ok = new Set(correct ?? []);
  return (
    <section className="show-dist" aria-label={t('board.answersPerChoice', { ns: 'common' })} data-testid="screen-results">
      <ul className="show-dist-list">
        {choices.map((c, i) => {
          const verdict = correct ? (ok.has(i) ? ' right' : ' wrong') : '';
          return (
            <li key={i} className={`show-dist-row c${i}${verdict}`} data-testid={`dist-row-${i}`}>
              <span className="show-shape" role="img" aria-label={shapeName(i)}><Shape index={i} size={64} /></span>
              <span className="show-dist-label">
                <span className="show-dist-text" dir="auto">{c}</span>
                {correct && ok.has(i) && <span className="show-dist-tick" aria-label={t('rightMark')}> ✓</span>}
              </span>
              <span className="show-dist-bar" aria-hidden="true">
                <span style={{ width: `${((counts[i] ?? 0) / max) * 100}%` }} />
              </span>
              <span className="show-dist-count num" data-testid={`dist-${i}`}>{formatNumber(counts[i] ?? 0)}</span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
