// Teams (issue 14), pure helpers: a colour per team, the bar race's widths,
// and the host form's team names.

import type { TeamEntry } from './protocol';
import i18n from '../i18n';

/** The first teams take the answer tiles' colours (home red, away blue…). */
const FIRST: { bg: string; fg: string }[] = [
  { bg: '#c62828', fg: '#fff' },
  { bg: '#1565c0', fg: '#fff' },
  { bg: '#f9a825', fg: '#1a1a1a' },
  { bg: '#2e7d32', fg: '#fff' },
  { bg: '#6a1b9a', fg: '#fff' },
  { bg: '#00695c', fg: '#fff' },
];

/** A distinct colour per team index (up to 100 teams and beyond): the palette
 *  above, then hues a golden angle apart at two lightnesses, dark enough for
 *  white text. */
export function teamColor(index: number): { bg: string; fg: string } {
  if (index >= 0 && index < FIRST.length) return FIRST[index];
  const i = index - FIRST.length;
  const hue = Math.round((i * 137.508 + 15) % 360);
  const light = i % 2 === 0 ? 32 : 40;
  return { bg: `hsl(${hue} 70% ${light}%)`, fg: '#fff' };
}

/** The board in rank order (ties: the lower index first, as the server ranks). */
export function byRank(teams: TeamEntry[]): TeamEntry[] {
  return [...teams].sort((a, b) => a.rank - b.rank || a.team - b.team);
}

/** A bar's width in percent of the leader's score; a team without points
 *  keeps a sliver so its name stays readable. */
export function barWidth(score: number, top: number, min = 4): number {
  if (top <= 0) return min;
  return Math.max(min, Math.min(100, (score / top) * 100));
}

/** The host form's names: one per line, blank lines dropped. Errors as the
 *  server would refuse them (2-100 names, 1-30 characters, distinct ignoring case). */
export function parseTeamNames(text: string): { names: string[]; error: string | null } {
  const names = text.split('\n').map((n) => n.trim()).filter((n) => n.length > 0);
  if (names.length < 2) return { names, error: i18n.t('host:teamsCheck.few', { min: 2 }) };
  if (names.length > 100) return { names, error: i18n.t('host:teamsCheck.many', { max: 100 }) };
  const long = names.find((n) => n.length > 30);
  if (long) return { names, error: i18n.t('host:teamsCheck.long', { max: 30, name: long }) };
  const seen = new Set<string>();
  for (const n of names) {
    const k = n.toLowerCase();
    if (seen.has(k)) return { names, error: i18n.t('host:teamsCheck.twice', { name: n }) };
    seen.add(k);
  }
  return { names, error: null };
}
