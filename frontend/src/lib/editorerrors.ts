// The quiz editor's errors in plain words. The API's 400 validation_error
// names each problem by its location ("questions.0.time_limit") and
// pydantic's wording ("Field required"): a host reads "Question 1: time
// limit is required" instead. The API's own message stays as it is (the
// import_quiz command and API clients read it).

import { ApiError, errorText, type ErrorDetail } from '../api';

/** One problem: the question it is in (1-based, null: the quiz's title or
 *  the whole quiz), its field path inside the question, and the words. */
export interface Problem { question: number | null; field: string | null; text: string }

const FIELD_WORDS: Record<string, string> = {
  title: 'title',
  questions: 'questions',
  text: 'text',
  kind: 'kind',
  time_limit: 'time limit',
  read_time: 'reading time',
  multiplier: 'points',
  image: 'image URL',
  choices: 'choices',
  correct: 'right answer',
  answer: 'right answer',
  min: 'min',
  max: 'max',
  step: 'step',
  tolerance: 'tolerance',
  unit: 'unit',
  accepted: 'accepted answers',
  max_length: 'max length',
  items: 'items',
};

// list fields and the word for one of their entries
const ENTRY_WORDS: Record<string, string> = { choices: 'choice', accepted: 'accepted answer', items: 'item' };

/** pydantic's messages, as a host would say them. */
const MESSAGES: [RegExp, (m: RegExpMatchArray) => string][] = [
  [/^Field required$/, () => 'is required'],
  [/^Extra inputs are not permitted$/, () => 'is not a field of this kind of question'],
  [/^Input should be greater than or equal to (.+)$/, (m) => `must be at least ${m[1]}`],
  [/^Input should be less than or equal to (.+)$/, (m) => `must be at most ${m[1]}`],
  [/^Input should be greater than (.+)$/, (m) => `must be more than ${m[1]}`],
  [/^Input should be less than (.+)$/, (m) => `must be less than ${m[1]}`],
  [/^Input should be a valid integer.*$/, () => 'must be a whole number'],
  [/^Input should be a (valid|finite) number.*$/, () => 'must be a number'],
  [/^Input should be a valid string$/, () => 'must be text'],
  [/^Input should be a valid boolean$/, () => 'must be true or false'],
  [/^Input should be a valid (list|array)$/, () => 'must be a list'],
  [/^String should have at least 1 character$/, () => 'must not be empty'],
  [/^String should have at least (\d+) characters$/, (m) => `must have at least ${m[1]} characters`],
  [/^String should have at most (\d+) characters?$/, (m) => `must be at most ${m[1]} characters`],
  [/^List should have at least (\d+) items?.*$/, (m) => `needs at least ${m[1]}`],
  [/^List should have at most (\d+) items?.*$/, (m) => `can have at most ${m[1]}`],
  [/^Value error, (.*)$/s, (m) => m[1]],
  [/^Input should be (.*)$/s, (m) => `must be ${m[1]}`],
];

function words(msg: string): string {
  for (const [re, say] of MESSAGES) {
    const m = msg.match(re);
    if (m) return say(m);
  }
  return msg;
}

/** "choices.2.text" -> "choice 3 text"; "time_limit" -> "time limit". */
function fieldWords(parts: string[]): string {
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    const next = parts[i + 1];
    if (ENTRY_WORDS[p] && next !== undefined && /^\d+$/.test(next)) {
      out.push(`${ENTRY_WORDS[p]} ${Number(next) + 1}`);
      i++;
    } else if (/^\d+$/.test(p)) {
      out.push(String(Number(p) + 1));
    } else {
      out.push(FIELD_WORDS[p] ?? p.replace(/_/g, ' '));
    }
  }
  return out.join(' ');
}

// a message that reads as a predicate follows its subject ("time limit is
// required"); any other (a sentence of its own) follows a colon
const PREDICATE = /^(is|must|needs|can|should|has|are)\b/;

/** One API problem in plain words. */
export function problemOf(d: ErrorDetail): Problem {
  const loc = d.loc.filter((p) => p !== 'body' && p !== 'payload');
  const said = words(d.msg);
  let question: number | null = null;
  let rest = loc;
  if (loc[0] === 'questions' && loc.length >= 2 && /^\d+$/.test(loc[1])) {
    question = Number(loc[1]) + 1;
    rest = loc.slice(2);
  }
  const field = rest.length ? rest.join('.') : null;
  const subject = rest.length ? fieldWords(rest) : '';
  const tail = subject ? (PREDICATE.test(said) ? `${subject} ${said}` : `${subject}: ${said}`) : said;
  let text: string;
  if (question !== null) text = `Question ${question}: ${tail}`;
  else if (subject) text = tail.charAt(0).toUpperCase() + tail.slice(1);
  else text = said.charAt(0).toUpperCase() + said.slice(1);
  return { question, field, text };
}

/** The API's "questions.0.time_limit: Field required" message, when there
 *  are no details to read, split back into location and message. */
function detailOfMessage(message: string): ErrorDetail | null {
  const m = message.match(/^([A-Za-z_][\w]*(?:\.[\w]+)*): (.+)$/s);
  return m ? { loc: m[1].split('.'), msg: m[2] } : null;
}

/** The first problem of an API error, in plain words (any other error: its usual text). */
export function apiProblem(e: unknown): Problem {
  if (e instanceof ApiError && e.code === 'validation_error') {
    const first = e.details[0] ?? detailOfMessage(e.message);
    if (first) return problemOf(first);
  }
  return { question: null, field: null, text: errorText(e) };
}
