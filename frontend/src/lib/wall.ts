// The big screen's lobby wall: the newest joiners, kept in join order
// (newest last) and capped, so a stadium's 50,000 joins never grow the
// screen's state; the screen shows the newest that fit.
import type { Entry, PlayerRef } from './protocol';

/** How many names the screen keeps (the server's welcome sends as many). */
export const WALL_MAX = 100;

/** The wall after a `players` frame: the joined appended (once each), the
 *  kicked removed, the oldest dropped past `max`. */
export function wallAfter(wall: PlayerRef[], joined: PlayerRef[], kicked: number[], max = WALL_MAX): PlayerRef[] {
  const gone = new Set(kicked);
  const seen = new Set<number>();
  const out: PlayerRef[] = [];
  for (const p of [...wall, ...joined]) {
    if (gone.has(p.player) || seen.has(p.player)) continue;
    seen.add(p.player);
    out.push(p);
  }
  return out.length > max ? out.slice(out.length - max) : out;
}

/** "1 player", "200 players". */
export function playersLabel(n: number): string {
  return `${n} ${n === 1 ? 'player' : 'players'}`;
}

/** A row's movement since the previous board: up or down by so many
 *  places, the same place, or new in the top. */
export type Move = { dir: 'up' | 'down' | 'same' | 'new'; by: number };

/** Each player's movement from `prev` (null: nothing to compare with, no
 *  movement shown) to `now`, by rank. */
export function movements(prev: Entry[] | null, now: Entry[]): Map<number, Move> {
  const out = new Map<number, Move>();
  if (!prev) return out;
  const before = new Map(prev.map((e) => [e.player, e.rank]));
  for (const e of now) {
    const was = before.get(e.player);
    if (was === undefined) out.set(e.player, { dir: 'new', by: 0 });
    else if (was > e.rank) out.set(e.player, { dir: 'up', by: was - e.rank });
    else if (was < e.rank) out.set(e.player, { dir: 'down', by: e.rank - was });
    else out.set(e.player, { dir: 'same', by: 0 });
  }
  return out;
}

/** The podium's reveal order: 3rd, 2nd, 1st (the places there are). */
export function revealOrder(podium: Entry[]): number[] {
  return [...podium].map((e) => e.rank).filter((r) => r >= 1 && r <= 3).sort((a, b) => b - a);
}
