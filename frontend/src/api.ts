// The HTTP API (OpenAPI page at /api/docs; error codes in docs/protocol.md): JSON, session cookie, CSRF header.
import i18n from './i18n';

/** One problem of a 400 validation_error: where (`["body", "payload", "questions", "0", "time_limit"]`) and what. */
export interface ErrorDetail { loc: string[]; msg: string }

export class ApiError extends Error {
  constructor(public status: number, public code: string, message: string, public details: ErrorDetail[] = []) {
    super(message);
  }
}

function cookie(name: string): string | null {
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return null;
}

export async function csrfToken(): Promise<string> {
  let token = cookie('csrftoken');
  if (!token) {
    const r = await fetch('/api/auth/csrf', { credentials: 'same-origin' });
    if (r.ok) {
      try {
        const data = await r.json();
        token = data.csrftoken ?? null;
      } catch {
        /* cookie only */
      }
    }
    token = cookie('csrftoken') ?? token;
  }
  return token ?? '';
}

/** Plain words for an API error, in the UI's language: the server's stable
 *  code is the key (common.json `errors.<code>`, docs/protocol.md); a code
 *  the UI does not know yet shows the server's English message. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    // the server's own words say which field: shown as they are
    if (e.code === 'validation_error') return e.message || i18n.t('errors.validation_error', { ns: 'common' });
    const key = `errors.${e.code}`;
    if (i18n.exists(key, { ns: 'common' })) return i18n.t(key, { ns: 'common' });
    return e.message || i18n.t('errors.generic', { ns: 'common' });
  }
  if (e instanceof TypeError) return i18n.t('errors.network', { ns: 'common' });
  return e instanceof Error ? e.message : i18n.t('errors.generic', { ns: 'common' });
}

export async function api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD') headers['X-CSRFToken'] = await csrfToken();
  const r = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  if (!r.ok) {
    const d = (data && typeof data === 'object' ? data : {}) as { error?: string; message?: string; detail?: unknown; details?: unknown };
    const code = d.error ?? (r.status === 401 ? 'unauthorized' : r.status === 403 ? 'forbidden' : r.status === 404 ? 'not_found' : 'http_' + r.status);
    const message = d.message ?? (typeof d.detail === 'string' ? d.detail : `HTTP ${r.status}`);
    const details = Array.isArray(d.details) ? (d.details as ErrorDetail[]) : [];
    throw new ApiError(r.status, code, message, details);
  }
  return data as T;
}

export interface QuizSummary {
  id: number;
  title: string;
  n_questions?: number;
  updated?: string;
}

export type { AutoAdvance, ChoiceDoc, QuestionDoc, QuizDoc } from './lib/quizdoc';
import type { Brand } from './lib/protocol';

export interface GameOpened { game: number; pin: string; host_token: string; screen_token: string; title?: string }
/** `team`: the player's team index (null when teams are off). */
export interface Joined { player: number; token: string; nickname: string; game?: number; team?: number | null }
/** GET /api/games/<pin>: `teams` is null when teams are off. */
export interface PublicTeams { mode: 'choose' | 'auto'; names: string[]; score?: 'sum' | 'average' }
export interface PublicGame { game: number; pin: string; title: string; state: string; players: number; join_open: boolean; teams?: PublicTeams | null; names?: 'off' | 'offered' | 'required'; brand?: Brand }
/** POST /api/games `teams` (null: off). */
export interface TeamsSetting { mode: 'choose' | 'auto'; score: 'sum' | 'average'; names: string[] }

/** The list may come bare or wrapped. */
export function quizList(data: unknown): QuizSummary[] {
  if (Array.isArray(data)) return data as QuizSummary[];
  if (data && typeof data === 'object') {
    const d = data as Record<string, unknown>;
    for (const k of ['quizzes', 'items', 'results']) if (Array.isArray(d[k])) return d[k] as QuizSummary[];
  }
  return [];
}

// Tokens live in sessionStorage, per PIN, so a reload resumes the game.
export const store = {
  get<T>(key: string): T | null {
    try {
      const v = sessionStorage.getItem(key);
      return v ? (JSON.parse(v) as T) : null;
    } catch {
      return null;
    }
  },
  set(key: string, value: unknown): void {
    sessionStorage.setItem(key, JSON.stringify(value));
  },
  del(key: string): void {
    sessionStorage.removeItem(key);
  },
};
export const playerKey = (pin: string) => `stadium.player.${pin}`;
export const hostKey = (pin: string) => `stadium.host.${pin}`;
export const screenKey = (pin: string) => `stadium.screen.${pin}`;
