// The host's games (GET /api/games): what each row of the console's list offers.
import i18n from '../i18n';

export interface GameListItem {
  pin: string;
  game: string;
  title: string;
  state: 'lobby' | 'question' | 'reveal' | 'finished';
  players: number;
  created: string;
  started: string | null;
  finished: string | null;
  saved: boolean;
  live: boolean;
}

export interface GamesPage { games: GameListItem[]; page: number; page_size: number; total: number }

/** resume: live (from any tab or device: the console fetches the host
 *  key, GET /api/games/<pin>/host-key); report: saved results; saving:
 *  finished, the final save still running; gone: never saved and no
 *  longer in Redis. ('elsewhere' is no longer given: kept for callers.) */
export type GameAction = 'resume' | 'elsewhere' | 'report' | 'saving' | 'gone';

export function gameAction(g: GameListItem): GameAction {
  if (g.saved) return 'report';
  if (g.live) return g.state === 'finished' ? 'saving' : 'resume';
  return 'gone';
}

/** A game's state in words, in the UI's language (host.json games.state.*). */
export function stateWords(state: GameListItem['state'] | string): string {
  return i18n.t(`host:games.state.${state}`, { defaultValue: state });
}

export function pageCount(p: Pick<GamesPage, 'page_size' | 'total'>): number {
  return Math.max(1, Math.ceil(p.total / p.page_size));
}

/** A time in the host's locale, "—" for none. */
export function when(iso: string | null, locale?: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '—' : d.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}
