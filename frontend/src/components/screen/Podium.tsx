// The final podium, revealed 3rd, then 2nd, then 1st (REVEAL_GAP_MS apart),
// as a show does; with prefers-reduced-motion every place shows at once.
// Screen readers get the whole podium at once (the list), in rank order.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber, formatRank } from '../../i18n/format';
import type { Entry } from '../../lib/protocol';
import { rowWords } from '../bits';
import { revealOrder } from '../../lib/wall';
import { useReducedMotion } from './hooks';

export const REVEAL_FIRST_MS = 800;
export const REVEAL_GAP_MS = 1500;

export function ScreenPodium({ podium }: { podium: Entry[] }) {
  const { t } = useTranslation('screen');
  const reduced = useReducedMotion();
  const order = revealOrder(podium); // e.g. [3, 2, 1]
  const [shown, setShown] = useState(() => (reduced ? order.length : 0));
  useEffect(() => {
    if (reduced) {
      setShown(order.length);
      return;
    }
    const timers = order.map((_, i) => window.setTimeout(() => setShown((s) => Math.max(s, i + 1)), REVEAL_FIRST_MS + i * REVEAL_GAP_MS));
    return () => timers.forEach((t) => window.clearTimeout(t));
    // the reveal runs once per podium size (a resync's same podium does not restart it)
  }, [reduced, order.length]);
  const revealed = new Set(order.slice(0, shown));
  const top = [...podium].sort((a, b) => a.rank - b.rank).slice(0, 3);
  // classic layout: 2nd, 1st, 3rd
  const places = [top[1], top[0], top[2]].filter(Boolean) as Entry[];
  return (
    <section className="show-podium" aria-label={t('podium')}>
      <h2 className="show-podium-title">{t('podium')}</h2>
      <ol className="sr-only" data-testid="podium">
        {top.map((e) => <li key={e.player}>{rowWords(e)}</li>)}
      </ol>
      <div className="show-podium-stage" aria-hidden="true">
        {places.map((e) => {
          const on = revealed.has(e.rank);
          return (
            <div key={e.player} className={`show-step p${e.rank}${on ? ' on' : ''}`} data-testid={`podium-step-${e.rank}`}
              data-revealed={on ? 'true' : 'false'}>
              <div className="show-step-who">
                <div className="show-step-name" dir="auto">{e.nickname}</div>
                <div className="show-step-score num">{formatNumber(e.score)}</div>
              </div>
              <div className="show-step-block">{formatRank(e.rank)}</div>
            </div>
          );
        })}
      </div>
    </section>
  );
}
