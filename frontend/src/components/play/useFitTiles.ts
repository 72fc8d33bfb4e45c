// Answer tiles' text sized to fit: never a word broken mid-word
// ("Manchest/er") nor text cut off at the bottom of a small tile. CSS alone
// cannot pick a size from the longest word, so after layout each tile's
// text steps down a pixel at a time until its longest word fits the width
// and its lines the height. Each tile keeps its own size: one long word
// must not make every answer small.

import { useLayoutEffect, type RefObject } from 'react';

const MIN_PX = 11; // below this a word may break after all (class "squeezed")

function overflows(text: HTMLElement, tile: HTMLElement): boolean {
  return text.scrollWidth > text.clientWidth + 0.5 || tile.scrollHeight > tile.clientHeight + 0.5;
}

function fit(root: HTMLElement): void {
  for (const t of root.querySelectorAll<HTMLElement>('.answer .answer-text')) {
    const tile = t.closest<HTMLElement>('.answer');
    if (!tile) continue;
    t.style.fontSize = '';
    t.classList.remove('squeezed');
    let px = parseFloat(getComputedStyle(t).fontSize);
    while (px > MIN_PX && overflows(t, tile)) {
      px -= 1;
      t.style.fontSize = `${px}px`;
    }
    if (overflows(t, tile)) t.classList.add('squeezed');
  }
}

/** Fit the tiles under `ref` now and whenever a tile changes size. */
export function useFitTiles(ref: RefObject<HTMLElement | null>, key: string): void {
  useLayoutEffect(() => {
    const root = ref.current;
    if (!root) return;
    fit(root);
    if (typeof ResizeObserver === 'undefined') return;
    let frame = 0;
    const ro = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => fit(root));
    });
    root.querySelectorAll('.answer').forEach((el) => ro.observe(el));
    return () => {
      cancelAnimationFrame(frame);
      ro.disconnect();
    };
  }, [ref, key]);
}
