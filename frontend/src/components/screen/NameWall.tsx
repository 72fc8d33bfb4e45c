// The lobby wall: the newest joiners first, as many as the wall holds. The
// wall has a fixed box (the rest of the lobby's column) and never scrolls:
// after each render the chips that do not fit whole are hidden (they are
// the oldest, at the end of the flow), again whenever the box resizes.
import { useLayoutEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { PlayerRef } from '../../lib/protocol';

function fitChips(ul: HTMLUListElement): void {
  const limit = ul.clientHeight;
  const width = ul.clientWidth;
  let full = false;
  for (const li of Array.from(ul.children) as HTMLElement[]) {
    // once one chip overflows every later chip is hidden too, so the shown
    // ones are always the newest
    full = full || li.offsetTop + li.offsetHeight > limit || li.offsetLeft + li.offsetWidth > width + 1;
    if (full) li.setAttribute('data-off', '');
    else li.removeAttribute('data-off');
  }
  ul.setAttribute('data-shown', String(ul.querySelectorAll('li:not([data-off])').length));
}

export function NameWall({ wall }: { wall: PlayerRef[] }) {
  const { t } = useTranslation('screen');
  const ref = useRef<HTMLUListElement>(null);
  const newest = [...wall].reverse();
  const empty = newest.length === 0;
  useLayoutEffect(() => {
    const ul = ref.current;
    if (ul) fitChips(ul);
  });
  useLayoutEffect(() => {
    const ul = ref.current;
    if (!ul || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => fitChips(ul));
    ro.observe(ul);
    return () => ro.disconnect();
  }, [empty]);
  if (empty) {
    return <p className="wall-empty" data-testid="wall-empty">{t('wallEmpty')}</p>;
  }
  return (
    <ul className="name-wall" ref={ref} aria-label={t('wallLabel')} data-testid="name-wall">
      {newest.map((p, i) => (
        <li key={p.player} className={i === 0 ? 'wall-chip newest' : 'wall-chip'} data-player={p.player} title={p.nickname}>
          <span className="wall-name" dir="auto">{p.nickname}</span>
        </li>
      ))}
    </ul>
  );
}
