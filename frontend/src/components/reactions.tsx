import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../i18n/format';
import { REACTIONS, type Reaction, type ReactionsFrame } from '../lib/protocol';

/** How each reaction is drawn, and read out (the English label; the phone
 *  reads common.json `reactions.<name>`). */
export const REACTION_EMOJI: Record<Reaction, { emoji: string; label: string }> = {
  clap: { emoji: '👏', label: 'Applause' },
  fire: { emoji: '🔥', label: 'Fire' },
  laugh: { emoji: '😂', label: 'Laugh' },
  wow: { emoji: '😮', label: 'Wow' },
  heart: { emoji: '❤️', label: 'Love' },
  party: { emoji: '🎉', label: 'Party' },
};

/** The phone's six reaction buttons. A tap is one `react` frame; nothing
 *  comes back unless it is refused (rate_limited past 2 a second). */
export function ReactionBar({ send }: { send: (frame: Record<string, unknown>) => boolean }) {
  const { t } = useTranslation('common');
  const [last, setLast] = useState<Reaction | null>(null);
  return (
    <div className="reaction-bar" role="group" aria-label={t('reactions.group')} data-testid="reaction-bar">
      {REACTIONS.map((r) => (
        <button key={r} type="button" className={last === r ? 'reaction tapped' : 'reaction'}
          data-reaction={r} aria-label={t(`reactions.${r}`)}
          onClick={() => { if (send({ type: 'react', reaction: r })) setLast(r); }}>
          <span aria-hidden="true">{REACTION_EMOJI[r].emoji}</span>
        </button>
      ))}
    </div>
  );
}

interface Burst {
  id: number;
  reaction: Reaction;
  left: number; // % of the width (from the start edge: right in Arabic)
  delay: number; // s
}

// a second with a thousand taps still draws a readable burst
const MAX_PER_SECOND = 40;

/** Floating emoji on the big screen, one burst per second of taps (sized by
 *  the taps, capped), and the running total of each reaction. */
export function ReactionBursts({ frame }: { frame: ReactionsFrame | null }) {
  useTranslation('common'); // the totals' digits follow the language
  const [bursts, setBursts] = useState<Burst[]>([]);
  const [totals, setTotals] = useState<Partial<Record<Reaction, number>>>({});
  const nextId = useRef(0);
  const seen = useRef<number | null>(null);
  useEffect(() => {
    if (!frame || frame.second === seen.current) return;
    seen.current = frame.second;
    const all = REACTIONS.flatMap((r) => Array.from({ length: frame.counts[r] ?? 0 }, () => r));
    const step = Math.max(1, all.length / MAX_PER_SECOND);
    const picked: Burst[] = [];
    for (let i = 0; i < all.length && picked.length < MAX_PER_SECOND; i += step) {
      picked.push({ id: nextId.current++, reaction: all[Math.floor(i)], left: 5 + Math.random() * 80, delay: Math.random() * 0.8 });
    }
    setBursts((b) => [...b.slice(-2 * MAX_PER_SECOND), ...picked]);
    setTotals((t) => {
      const out = { ...t };
      for (const r of REACTIONS) out[r] = (out[r] ?? 0) + (frame.counts[r] ?? 0);
      return out;
    });
  }, [frame]);
  return (
    <div className="reaction-bursts" aria-hidden="true" data-testid="reaction-bursts">
      {bursts.map((b) => (
        <span key={b.id} className="reaction-float" style={{ insetInlineStart: `${b.left}%`, animationDelay: `${b.delay}s` }}
          onAnimationEnd={() => setBursts((all) => all.filter((x) => x.id !== b.id))}>
          {REACTION_EMOJI[b.reaction].emoji}
        </span>
      ))}
      <ul className="reaction-totals" data-testid="reaction-totals">
        {REACTIONS.filter((r) => totals[r]).map((r) => (
          <li key={r} data-reaction={r} data-count={totals[r]}>{REACTION_EMOJI[r].emoji} {formatNumber(totals[r] ?? 0)}</li>
        ))}
      </ul>
    </div>
  );
}
