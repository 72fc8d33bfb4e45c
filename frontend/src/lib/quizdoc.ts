// The quiz document (spec: quiz/documents.py) and the editor's model of a
// question: one record holding every kind's fields, so switching the kind
// in the editor keeps what was typed; toDoc() writes only the kind's fields.

import type { QuestionKind } from './protocol';
import i18n from '../i18n';

export interface ChoiceDoc { text: string; correct?: boolean }
/** A question of the quiz document (docs/quiz-format: common fields, then the kind's). */
export interface QuestionDoc {
  text: string;
  time_limit: number;
  multiplier?: 0 | 1 | 2;
  image?: string | null;
  kind?: QuestionKind;
  read_time?: number;
  choices?: ChoiceDoc[];
  /** true_false: bool; slider: the number */
  answer?: boolean | number;
  min?: number;
  max?: number;
  step?: number;
  tolerance?: number;
  unit?: string | null;
  accepted?: string[];
  max_length?: number;
  items?: string[];
}
export interface QuizDoc { title: string; questions: QuestionDoc[] }

/** POST /api/games: auto_advance is null or both times in seconds (1-60). */
export interface AutoAdvance { reveal_s: number; leaderboard_s: number }

export const KIND_LABELS: Record<QuestionKind, string> = {
  choice: 'Quiz (choices)',
  true_false: 'True or false',
  poll: 'Poll (no right answer)',
  slider: 'Slider (guess a number)',
  type_answer: 'Type the answer',
  ordering: 'Put in order',
  word_cloud: 'Word cloud',
  info: 'Info slide',
};

/** Kinds that score: they keep a points setting. */
export const SCORED = new Set<QuestionKind>(['choice', 'true_false', 'slider', 'type_answer', 'ordering']);

/** One question in the editor. Slider numbers stay strings while typed. */
export interface EditQuestion {
  kind: QuestionKind;
  text: string;
  image: string;
  time_limit: number;
  multiplier: 0 | 1 | 2;
  read_time: number;
  choices: { text: string; correct: boolean }[];
  truth: boolean;
  min: string;
  max: string;
  step: string;
  answer: string;
  tolerance: string;
  unit: string;
  accepted: string[];
  max_length: number;
  items: string[];
}

export function blankEdit(kind: QuestionKind = 'choice'): EditQuestion {
  return {
    kind,
    text: '',
    image: '',
    time_limit: 20,
    multiplier: 1,
    read_time: 0,
    choices: [{ text: '', correct: true }, { text: '', correct: false }, { text: '', correct: false }, { text: '', correct: false }],
    truth: true,
    min: '0',
    max: '100',
    step: '1',
    answer: '50',
    tolerance: '0',
    unit: '',
    accepted: [''],
    max_length: 40,
    items: ['', '', ''],
  };
}

/** A document question (from GET /api/quizzes/<id> or an import) into the editor. */
export function fromDoc(d: QuestionDoc): EditQuestion {
  const kind: QuestionKind = d.kind ?? 'choice';
  const e = blankEdit(kind);
  e.text = d.text ?? '';
  e.image = d.image ?? '';
  e.time_limit = d.time_limit ?? 20;
  e.multiplier = d.multiplier ?? (SCORED.has(kind) ? 1 : 0);
  e.read_time = d.read_time ?? 0;
  if (d.choices) e.choices = d.choices.map((c) => ({ text: c.text, correct: !!c.correct }));
  if (kind === 'poll') e.choices = e.choices.map((c) => ({ ...c, correct: false }));
  if (typeof d.answer === 'boolean') e.truth = d.answer;
  if (typeof d.answer === 'number') e.answer = String(d.answer);
  if (d.min !== undefined) e.min = String(d.min);
  if (d.max !== undefined) e.max = String(d.max);
  if (d.step !== undefined) e.step = String(d.step);
  if (d.tolerance !== undefined) e.tolerance = String(d.tolerance);
  e.unit = d.unit ?? '';
  if (d.accepted) e.accepted = [...d.accepted];
  if (d.max_length !== undefined) e.max_length = d.max_length;
  if (d.items) e.items = [...d.items];
  return e;
}

function num(s: string): number {
  return s.trim() === '' ? NaN : Number(s);
}

/** The document question of the spec: common fields, then only the kind's. */
export function toDoc(e: EditQuestion): QuestionDoc {
  const d: QuestionDoc = {
    kind: e.kind,
    text: e.text.trim(),
    image: e.image.trim() ? e.image.trim() : null,
    time_limit: e.time_limit,
    read_time: e.read_time,
  };
  // poll, word_cloud and info: the multiplier may be omitted and is then 0
  if (SCORED.has(e.kind)) d.multiplier = e.multiplier;
  switch (e.kind) {
    case 'choice':
      d.choices = e.choices.map((c) => ({ text: c.text.trim(), correct: c.correct }));
      break;
    case 'true_false':
      d.answer = e.truth;
      break;
    case 'poll':
      d.choices = e.choices.map((c) => ({ text: c.text.trim() }));
      break;
    case 'slider':
      d.min = num(e.min);
      d.max = num(e.max);
      d.step = num(e.step);
      d.answer = num(e.answer);
      d.tolerance = num(e.tolerance);
      if (e.unit.trim()) d.unit = e.unit.trim();
      break;
    case 'type_answer':
      d.accepted = e.accepted.map((a) => a.trim()).filter((a) => a !== '');
      d.max_length = e.max_length;
      break;
    case 'ordering':
      d.items = e.items.map((i) => i.trim());
      break;
    case 'word_cloud':
      d.max_length = e.max_length;
      break;
    case 'info':
      break;
  }
  return d;
}

const onGrid = (x: number, step: number) => Math.abs(x / step - Math.round(x / step)) <= 1e-9;

/** The checks worth making before the server's (which names the same fields);
 *  null when the question looks fine. The words are the UI's language (host.json "check"). `n` is the question's 1-based number. */
export function checkEdit(e: EditQuestion, n: number): string | null {
  const say = (key: string, values: Record<string, unknown> = {}) => i18n.t(`host:check.${key}`, { n, ...values });
  if (!e.text.trim()) return say('textEmpty');
  if (e.read_time < 0 || e.read_time > 15 || !Number.isInteger(e.read_time)) return say('readTime');
  switch (e.kind) {
    case 'choice':
      if (!e.choices.some((c) => c.correct)) return say('needRight');
      break;
    case 'slider': {
      const [lo, hi, step, ans, tol] = [e.min, e.max, e.step, e.answer, e.tolerance].map(num);
      if ([lo, hi, step, ans, tol].some((x) => !Number.isFinite(x))) return say('sliderNumbers');
      if (!(lo < hi)) return say('minMax');
      if (!(step > 0)) return say('step');
      if (!onGrid(hi - lo, step)) return say('grid');
      if ((hi - lo) / step > 10000) return say('maxSteps', { max: 10000 });
      if (ans < lo || ans > hi || !onGrid(ans - lo, step)) return say('answerGrid');
      if (tol < 0 || !onGrid(tol, step)) return say('tolGrid');
      break;
    }
    case 'type_answer': {
      const acc = e.accepted.map((a) => a.trim()).filter((a) => a !== '');
      if (acc.length === 0) return say('accepted');
      if (acc.some((a) => [...a].length > e.max_length)) return say('acceptedLong');
      break;
    }
    case 'ordering':
      if (e.items.length < 3 || e.items.length > 6) return say('items');
      if (e.items.some((i) => !i.trim())) return say('itemEmpty');
      break;
    default:
      break;
  }
  return null;
}
