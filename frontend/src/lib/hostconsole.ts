// The host console's pure helpers (kept out of the page for unit tests).
import i18n, { currentLanguage, isLanguage } from '../i18n';
import { numberLocale } from '../i18n/format';

/** Joining as the server has it: open; closed by the host's lock (or a
 *  full game), which "Allow joining" lifts; or closed for good because
 *  late join is off and a question has been started. */
export function joinState(g: { join_open: boolean; late_join?: boolean; state: string }): 'open' | 'locked' | 'started' {
  if (g.join_open) return 'open';
  return g.late_join === false && g.state !== 'lobby' ? 'started' : 'locked';
}

/** The big screen's address from the console: `?board=` (teams games) and
 *  `?lang=` (the host's pick of the screen's language) in the query, the
 *  screen key in the fragment (never sent to the server or in its logs). */
export function screenLink({ pin, token, board, lang }: { pin: string; token: string; board: string | null; lang: string | null }): string {
  const q = new URLSearchParams();
  if (board) q.set('board', board);
  if (lang) q.set('lang', lang);
  const query = q.toString();
  return `/screen/${pin}${query ? `?${query}` : ''}#token=${encodeURIComponent(token)}`;
}

/** The locale for Intl on the host pages: the browser's full tag when it is
 *  of the language in use (pt-BR, de-CH, ar-EG: the region's digits and
 *  grouping), else the language in use (a zh-CN browser reads English
 *  words, so English numbers). */
export function hostLocale(full: string | undefined = i18n.language, inUse: string = currentLanguage()): string {
  if (full && full.split('-')[0].toLowerCase() === inUse) return full;
  // the phone's and screen's digits for the language (Arabic: Arabic-Indic)
  return isLanguage(inUse) ? numberLocale(inUse) : inUse;
}
