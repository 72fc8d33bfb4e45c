// Small hooks of the big screen's show.
import { useEffect, useRef, useState } from 'react';
import type { Entry } from '../../lib/protocol';

const REDUCE = '(prefers-reduced-motion: reduce)';

/** The viewer asked for less motion: reveals show at once, nothing slides. */
export function useReducedMotion(): boolean {
  const [reduced, setReduced] = useState(() => typeof matchMedia === 'function' && matchMedia(REDUCE).matches);
  useEffect(() => {
    if (typeof matchMedia !== 'function') return;
    const mq = matchMedia(REDUCE);
    const on = () => setReduced(mq.matches);
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, []);
  return reduced;
}

/** The board as it stood when question `question` opened: the "before" of
 *  the board shown after it (rank arrows, the reorder). Null for the first
 *  question and for a screen opened mid-game (nothing to compare with). */
export function usePreviousBoard(question: number, top: Entry[]): Entry[] | null {
  const seen = useRef<{ question: number; before: Entry[] | null }>({ question: -1, before: null });
  const last = useRef<{ question: number; top: Entry[] }>({ question: -1, top });
  if (seen.current.question !== question) {
    // the top of the last render is the board before this question's
    // points (a question frame does not change the board)
    const from = last.current;
    seen.current = { question, before: from.question >= 1 && question > from.question ? from.top : null };
  }
  last.current = { question, top };
  return seen.current.before;
}
