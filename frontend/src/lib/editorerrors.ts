// The quiz editor's errors in plain words. The API's 400 validation_error
// names each problem by its location ("questions.0.time_limit") and
// pydantic's wording ("Field required"): a host reads "Question 1: time
// limit is required" instead. The API's own message stays as it is (the
// import_quiz command and API clients read it). The words are the UI's
// language (i18n, namespace host).

import { ApiError, errorText, type ErrorDetail } from '../api';
import i18n from '../i18n';

/** One problem: the question it is in (1-based, null: the quiz's title or
 *  the whole quiz), its field path inside the question, and the words. */
export interface Problem { question: number | null; field: string | null; text: string }

// The words are host.json's "problem" keys, in the UI's language:
// field.<name> names a field, entry.<list> one entry of a list, msg.<rule>
// says pydantic's rule; "about"/"says" put the subject and the rule
// together the way each language does.

/** A field's name in words ("time_limit" -> "time limit"). */
function fieldWord(p: string): string {
  return i18n.t(`host:problem.field.${p}`, { defaultValue: p.replace(/_/g, ' ') });
}

// list fields whose entries are named one by one ("choice 3")
const ENTRIES = new Set(['choices', 'accepted', 'items']);

/** pydantic's messages, as a host would say them: the rule's key and its
 *  values. `predicate`: the words follow their subject ("time limit is
 *  required"); otherwise (the server's own sentence) after a colon. */
type Said = { text: string; predicate: boolean };
const MESSAGES: [RegExp, (m: RegExpMatchArray) => [string, Record<string, string>?]][] = [
  [/^Field required$/, () => ['required']],
  [/^Extra inputs are not permitted$/, () => ['extra']],
  [/^Input should be greater than or equal to (.+)$/, (m) => ['atLeast', { n: m[1] }]],
  [/^Input should be less than or equal to (.+)$/, (m) => ['atMost', { n: m[1] }]],
  [/^Input should be greater than (.+)$/, (m) => ['moreThan', { n: m[1] }]],
  [/^Input should be less than (.+)$/, (m) => ['lessThan', { n: m[1] }]],
  [/^Input should be a valid integer.*$/, () => ['integer']],
  [/^Input should be a (valid|finite) number.*$/, () => ['number']],
  [/^Input should be a valid string$/, () => ['string']],
  [/^Input should be a valid boolean$/, () => ['boolean']],
  [/^Input should be a valid (list|array)$/, () => ['list']],
  [/^String should have at least 1 character$/, () => ['notEmpty']],
  [/^String should have at least (\d+) characters$/, (m) => ['minChars', { n: m[1] }]],
  [/^String should have at most (\d+) characters?$/, (m) => ['maxChars', { n: m[1] }]],
  [/^List should have at least (\d+) items?.*$/, (m) => ['minItems', { n: m[1] }]],
  [/^List should have at most (\d+) items?.*$/, (m) => ['maxItems', { n: m[1] }]],
  [/^Input should be (.*)$/s, (m) => ['oneOf', { what: m[1] }]],
];

// the server's own sentence ("Value error, ..."), kept as written: it reads
// as a predicate when it starts like one
const PREDICATE = /^(is|must|needs|can|should|has|are)\b/;

function words(msg: string): Said {
  const v = msg.match(/^Value error, (.*)$/s);
  if (v) return { text: v[1], predicate: PREDICATE.test(v[1]) };
  for (const [re, say] of MESSAGES) {
    const m = msg.match(re);
    if (m) {
      const [key, values] = say(m);
      return { text: i18n.t(`host:problem.msg.${key}`, values ?? {}), predicate: true };
    }
  }
  return { text: msg, predicate: false };
}

/** "choices.2.text" -> "choice 3 text"; "time_limit" -> "time limit". */
function fieldWords(parts: string[]): string {
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    const next = parts[i + 1];
    if (ENTRIES.has(p) && next !== undefined && /^\d+$/.test(next)) {
      out.push(i18n.t(`host:problem.entry.${p}`, { n: Number(next) + 1 }));
      i++;
    } else if (/^\d+$/.test(p)) {
      out.push(String(Number(p) + 1));
    } else {
      out.push(fieldWord(p));
    }
  }
  return out.join(i18n.t('host:problem.join'));
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

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
  const tail = subject
    ? i18n.t(said.predicate ? 'host:problem.about' : 'host:problem.says', { subject, said: said.text })
    : said.text;
  const text = question !== null ? i18n.t('host:problem.question', { n: question, tail }) : capital(tail);
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
