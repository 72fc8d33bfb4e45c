// The big screen's language is the host's choice, not the screen browser's:
// the console puts it in the screen's address (?lang=) and tells screens
// already open in this browser over a BroadcastChannel, the way it sets
// their sound (lib/sound.ts) and board (components/teams.tsx).
import { isLanguage, type Language } from './index';

const channelName = (pin: string) => `stadium.screenlang.${pin}`;
const storageKey = (pin: string) => `stadium.screenlang.${pin}`;

/** The console's choice for this game's screen, if it made one in this browser. */
export function readScreenLanguage(pin: string): Language | null {
  try {
    const v = localStorage.getItem(storageKey(pin));
    return isLanguage(v) ? v : null;
  } catch {
    return null;
  }
}

/** The console: set the screen's language (stored, and told to open screens). */
export function announceScreenLanguage(pin: string, lng: Language): void {
  try {
    localStorage.setItem(storageKey(pin), lng);
  } catch {
    /* private mode: the channel still tells open screens */
  }
  if (typeof BroadcastChannel === 'undefined') return;
  const c = new BroadcastChannel(channelName(pin));
  c.postMessage({ lang: lng });
  c.close();
}

/** The screen: follow the console's choice; returns the unsubscribe. */
export function listenScreenLanguage(pin: string, on: (lng: Language) => void): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => undefined;
  const c = new BroadcastChannel(channelName(pin));
  c.onmessage = (e: MessageEvent) => {
    const lng = (e.data as { lang?: unknown } | null)?.lang;
    if (isLanguage(lng)) on(lng);
  };
  return () => c.close();
}

/** The browser's own language among ours (navigator only: the phone
 *  switcher's stored choice is a phone's, not the screen's). */
function browserLanguage(): Language | null {
  if (typeof navigator === 'undefined') return null;
  for (const l of navigator.languages?.length ? navigator.languages : [navigator.language]) {
    const base = (l ?? '').toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return null;
}

/** The screen's language when it loads: the console's latest choice made
 *  in this browser, else `?lang=` (the console puts it in the link it
 *  opens), else the browser's, else English. */
export function initialScreenLanguage(pin: string, search: string = typeof location === 'undefined' ? '' : location.search): Language {
  const stored = readScreenLanguage(pin);
  if (stored) return stored;
  const q = new URLSearchParams(search).get('lang');
  if (isLanguage(q)) return q;
  return browserLanguage() ?? 'en';
}
