// The game report (issue 16): the shape of GET /api/games/<pin>/report
// (docs/reports.md) and pure helpers for the console's report
// page: number formats, chart series, the distribution per kind, and the
// players' table (sort, filter, page: a report may hold 100,000 players).
// Words come from the report namespace (i18n) and numbers, shares and
// times are formatted by Intl for the UI's language (or the `lng` given).
import i18n, { currentLanguage } from '../i18n';

import type { AnswerValue, QuestionKind, SliderBucket, TextCount, RightWrong } from './protocol';

export type ReportFormat = 'json' | 'csv' | 'xlsx';

/** A histogram bucket of response times, [from_ms, to_ms) (the last closed). */
export type TimeBucket = { from_ms: number; to_ms: number; count: number };
export type ReportDistribution = number[] | SliderBucket[] | TextCount[] | RightWrong | null;

export interface ReportQuestion {
  question: number;
  kind: QuestionKind;
  text: string;
  answered: number;
  /** right answers; null for unscored kinds (poll, word cloud, info) */
  right: number | null;
  /** 0..1; null for unscored kinds */
  share_right: number | null;
  mean_ms: number | null;
  median_ms: number | null;
  points: number;
  distribution: ReportDistribution;
  times: TimeBucket[];
}

export interface ReportAnswer {
  question: number;
  value: AnswerValue;
  correct: boolean | null;
  points: number;
  elapsed_ms: number | null;
}

export interface ReportPlayer {
  player: number;
  nickname: string;
  team: number | null;
  rank: number;
  score: number;
  kicked: boolean;
  answers: ReportAnswer[];
}

export interface ReportTeam {
  team: number;
  name: string;
  rank: number;
  score: number;
  members: number;
  total: number;
  share_right: number | null;
}

export interface Report {
  game: number | string;
  pin: string;
  title: string;
  players: number;
  answers: number;
  teams: boolean;
  questions: ReportQuestion[];
  hardest: number[];
  easiest: number[];
  players_detail: ReportPlayer[];
  teams_detail: ReportTeam[] | null;
}

/** A question kind's short name ("Choice", "True/false"…) in the UI's language. */
export function kindName(kind: QuestionKind | string, lng?: string): string {
  return i18n.t(`report:kind.${kind}`, { lng, defaultValue: kind });
}

const formats = new Map<string, Intl.NumberFormat>();
/** One Intl.NumberFormat per language and style (made once: the players' table formats thousands of cells). */
function numberFormat(lng: string | undefined, style: 'count' | 'percent' | 'decimal1'): Intl.NumberFormat {
  const l = lng ?? currentLanguage();
  const key = `${l}|${style}`;
  let f = formats.get(key);
  if (!f) {
    f = style === 'percent' ? new Intl.NumberFormat(l, { style: 'percent', maximumFractionDigits: 0 })
      : style === 'decimal1' ? new Intl.NumberFormat(l, { minimumFractionDigits: 1, maximumFractionDigits: 1 })
        : new Intl.NumberFormat(l, { maximumFractionDigits: 0 });
    formats.set(key, f);
  }
  return f;
}

/** The endpoint of a download (or the JSON the page reads). */
export function reportUrl(pin: string, format: ReportFormat = 'json'): string {
  return `/api/games/${encodeURIComponent(pin)}/report?format=${format}`;
}

/** A share 0..1 as a whole percent ("67%", French "67 %"); "–" for unscored questions. */
export function percent(share: number | null | undefined, lng?: string): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '–';
  return numberFormat(lng, 'percent').format(Math.round(share * 100) / 100);
}

/** Milliseconds as seconds with one decimal ("3.2 s", French "3,2 s"); "–" when no answer. */
export function seconds(ms: number | null | undefined, lng?: string): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  return i18n.t('report:seconds', { lng, value: numberFormat(lng, 'decimal1').format(ms / 1000) });
}

/** A whole number with the language's grouping ("100,000", "100.000", "100 000"). */
export function count(n: number, lng?: string): string {
  return numberFormat(lng, 'count').format(Math.round(n));
}

export function isScored(q: ReportQuestion): boolean {
  return q.share_right !== null && q.share_right !== undefined;
}

/** The share-right bar chart: one bar per question, in percent (null: no bar). */
export function shareSeries(questions: ReportQuestion[], lng?: string): { labels: string[]; values: (number | null)[] } {
  return {
    labels: questions.map((q) => i18n.t('report:qShort', { lng, n: q.question })),
    values: questions.map((q) => (isScored(q) ? Math.round((q.share_right as number) * 1000) / 10 : null)),
  };
}

/** A response-time histogram: "0–2 s" labels and the counts. */
export function timeSeries(times: TimeBucket[], lng?: string): { labels: string[]; values: number[] } {
  const s = (ms: number) => {
    const v = ms / 1000;
    return Number.isInteger(v) ? count(v, lng) : numberFormat(lng, 'decimal1').format(v);
  };
  return {
    labels: times.map((b) => i18n.t('report:seconds', { lng, value: `${s(b.from_ms)}–${s(b.to_ms)}` })),
    values: times.map((b) => b.count),
  };
}

export type DistRow = { label: string; count: number };

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The distribution of one question as labelled counts, per kind:
 *  choices (A, B… or True/False), slider buckets, texts, right/wrong
 *  (ordering). Empty for info slides or when there is none. */
export function distributionRows(q: Pick<ReportQuestion, 'kind' | 'distribution'>, lng?: string): DistRow[] {
  const d = q.distribution;
  if (d === null || d === undefined) return [];
  if (Array.isArray(d)) {
    if (d.length === 0) return [];
    if (typeof d[0] === 'number') {
      const counts = d as number[];
      if (q.kind === 'true_false' && counts.length === 2) {
        return [{ label: i18n.t('report:true', { lng }), count: counts[0] }, { label: i18n.t('report:false', { lng }), count: counts[1] }];
      }
      return counts.map((c, i) => ({ label: LETTERS[i] ?? `#${i + 1}`, count: c }));
    }
    const first = d[0] as object;
    if ('text' in first) return (d as TextCount[]).map((t) => ({ label: t.text, count: t.count }));
    if ('from' in first) {
      return (d as SliderBucket[]).map((b) => ({ label: b.from === b.to ? String(b.from) : `${b.from}–${b.to}`, count: b.count }));
    }
    return [];
  }
  if (typeof d === 'object' && 'right' in d) {
    return [{ label: i18n.t('report:rightWord', { lng }), count: d.right }, { label: i18n.t('report:wrongWord', { lng }), count: d.wrong }];
  }
  return [];
}

/** The questions named in a hardest/easiest list, in the list's order. */
export function pick(questions: ReportQuestion[], numbers: number[]): ReportQuestion[] {
  const by = new Map(questions.map((q) => [q.question, q]));
  return numbers.map((n) => by.get(n)).filter((q): q is ReportQuestion => q !== undefined);
}

/** A player's row: right answers, answers given, mean time of the answers. */
export type PlayerRow = ReportPlayer & { right: number; answered: number; mean_ms: number | null };

export function playerRow(p: ReportPlayer): PlayerRow {
  let right = 0;
  let answered = 0;
  let sum = 0;
  let timed = 0;
  for (const a of p.answers) {
    answered += 1;
    if (a.correct === true) right += 1;
    if (a.elapsed_ms !== null && a.elapsed_ms !== undefined) {
      sum += a.elapsed_ms;
      timed += 1;
    }
  }
  return { ...p, right, answered, mean_ms: timed ? sum / timed : null };
}

export type PlayerSortKey = 'rank' | 'nickname' | 'team' | 'score' | 'right' | 'answered' | 'mean_ms';
export type SortDir = 'asc' | 'desc';

/** Kicked players come last whatever the key (rank 0 in the results). */
function rankKey(p: PlayerRow): number {
  return p.kicked || p.rank <= 0 ? Number.MAX_SAFE_INTEGER : p.rank;
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** A sorted copy; ties fall back to rank then player id, so pages are stable.
 *  Missing values (no team, no time) sort last in either direction. */
export function sortPlayers(rows: PlayerRow[], key: PlayerSortKey, dir: SortDir): PlayerRow[] {
  const sign = dir === 'asc' ? 1 : -1;
  const tie = (a: PlayerRow, b: PlayerRow) => rankKey(a) - rankKey(b) || a.player - b.player;
  const cmp = (a: PlayerRow, b: PlayerRow): number => {
    if (key === 'rank') return sign * (rankKey(a) - rankKey(b)) || a.player - b.player;
    if (key === 'nickname') return sign * collator.compare(a.nickname, b.nickname) || tie(a, b);
    const va = a[key];
    const vb = b[key];
    const na = va === null || va === undefined;
    const nb = vb === null || vb === undefined;
    if (na || nb) return na === nb ? tie(a, b) : na ? 1 : -1;
    return sign * ((va as number) - (vb as number)) || tie(a, b);
  };
  return [...rows].sort(cmp);
}

/** Players whose nickname contains the text (case-insensitive). */
export function filterPlayers(rows: PlayerRow[], text: string): PlayerRow[] {
  const t = text.trim().toLowerCase();
  if (!t) return rows;
  return rows.filter((p) => p.nickname.toLowerCase().includes(t));
}

/** One page (1-based, clamped) of a list. */
export function paginate<T>(rows: T[], page: number, size: number): { rows: T[]; page: number; pages: number; from: number; to: number } {
  const pages = Math.max(1, Math.ceil(rows.length / size));
  const p = Math.min(Math.max(1, Math.floor(page) || 1), pages);
  const start = (p - 1) * size;
  const slice = rows.slice(start, start + size);
  return { rows: slice, page: p, pages, from: slice.length ? start + 1 : 0, to: start + slice.length };
}

/** A recorded answer as text: choices as letters, an order as arrows. */
export function answerText(kind: QuestionKind | undefined, value: AnswerValue, lng?: string): string {
  if (value === null || value === undefined) return '–';
  if (Array.isArray(value)) {
    if (kind === 'ordering') return value.map((i) => LETTERS[i] ?? String(i + 1)).join(' → ');
    if (kind === 'true_false') return value.map((i) => (i === 0 ? i18n.t('report:true', { lng }) : i === 1 ? i18n.t('report:false', { lng }) : String(i))).join(', ');
    return value.map((i) => LETTERS[i] ?? String(i + 1)).join(', ');
  }
  return String(value);
}

/** The team's name by index (players' table). */
export function teamNames(report: Report): Map<number, string> {
  return new Map((report.teams_detail ?? []).map((t) => [t.team, t.name]));
}

/** The report is the report the page expects (a guard against an HTML error page or an old server). */
export function isReport(data: unknown): data is Report {
  if (!data || typeof data !== 'object') return false;
  const d = data as Record<string, unknown>;
  return Array.isArray(d.questions) && Array.isArray(d.players_detail) && typeof d.players === 'number';
}
