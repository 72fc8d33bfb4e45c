// The reading time: the question alone, large, a "Get ready" label and a
// bar that runs out when the answers open (server clock).
import { useTranslation } from 'react-i18next';
import { remainingMs } from '../../lib/clock';
import { useTicker } from '../../useGame';
import { ReadCountdown } from '../bits';

export function GetReadyBar({ openedMs, openMs, offset }: { openedMs: number; openMs: number; offset: number }) {
  const { t } = useTranslation('screen');
  const now = useTicker(true, 100);
  const total = Math.max(1, openMs - openedMs);
  const frac = Math.min(1, remainingMs(openMs, offset, now) / total);
  return (
    <div className="getready" data-testid="screen-getready">
      <p className="getready-label">{t('getReady')}</p>
      <div className="getready-bar" role="progressbar" aria-label={t('untilOpen')}
        aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(frac * 100)}>
        <div className="getready-fill" style={{ transform: `scaleX(${frac})` }} />
      </div>
      <ReadCountdown openMs={openMs} offset={offset} big />
    </div>
  );
}
