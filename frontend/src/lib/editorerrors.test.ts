import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../api';
import i18n from '../i18n';
import { blankEdit, checkEdit } from './quizdoc';
import { parseTeamNames } from './teams';
import { apiProblem, problemOf } from './editorerrors';

const at = (...loc: string[]) => ['body', 'payload', ...loc];

describe('problemOf', () => {
  it('says a missing field in words, with the question counted from 1', () => {
    expect(problemOf({ loc: at('questions', '0', 'time_limit'), msg: 'Field required' }))
      .toEqual({ question: 1, field: 'time_limit', text: 'Question 1: time limit is required' });
  });
  it('names a choice by its number', () => {
    expect(problemOf({ loc: at('questions', '2', 'choices', '1', 'text'), msg: 'String should have at least 1 character' }).text)
      .toBe('Question 3: choice 2 text must not be empty');
  });
  it('turns bounds into words', () => {
    expect(problemOf({ loc: at('questions', '0', 'time_limit'), msg: 'Input should be less than or equal to 240' }).text)
      .toBe('Question 1: time limit must be at most 240');
    expect(problemOf({ loc: at('questions', '1', 'read_time'), msg: 'Input should be a valid integer' }).text)
      .toBe('Question 2: reading time must be a whole number');
  });
  it('keeps the server\'s own sentences, after a colon when they are not a predicate', () => {
    expect(problemOf({ loc: at('questions', '3', 'tolerance'), msg: 'Value error, must be a whole number of steps' }).text)
      .toBe('Question 4: tolerance must be a whole number of steps');
    expect(problemOf({ loc: at('questions', '0', 'accepted'), msg: "Value error, '?!' is only punctuation and spaces" }).text)
      .toBe("Question 1: accepted answers: '?!' is only punctuation and spaces");
  });
  it('says the title and unknown fields plainly', () => {
    expect(problemOf({ loc: at('title'), msg: 'String should have at least 1 character' }).text).toBe('Title must not be empty');
    expect(problemOf({ loc: at('questions', '0', 'colour'), msg: 'Extra inputs are not permitted' }).text)
      .toBe('Question 1: colour is not a field of this kind of question');
  });
});

describe('apiProblem', () => {
  it('reads the details of a validation_error', () => {
    const e = new ApiError(400, 'validation_error', 'questions.0.time_limit: Field required',
      [{ loc: at('questions', '0', 'time_limit'), msg: 'Field required' }]);
    expect(apiProblem(e).text).toBe('Question 1: time limit is required');
  });
  it('falls back to the message when there are no details', () => {
    const e = new ApiError(400, 'validation_error', 'questions.0.time_limit: Field required');
    expect(apiProblem(e)).toEqual({ question: 1, field: 'time_limit', text: 'Question 1: time limit is required' });
  });
  it('gives other errors their usual words', () => {
    expect(apiProblem(new ApiError(401, 'unauthorized', 'log in')).text).toBe('Please log in.');
  });
});

describe('in the UI language', () => {
  afterEach(async () => { await i18n.changeLanguage('en'); });
  it('says the problem in German, Japanese and Arabic', async () => {
    const d = { loc: at('questions', '0', 'time_limit'), msg: 'Field required' };
    await i18n.changeLanguage('de');
    expect(problemOf(d).text).toBe('Frage 1: Zeitlimit fehlt');
    expect(problemOf({ loc: at('questions', '2', 'choices', '1', 'text'), msg: 'String should have at least 1 character' }).text)
      .toBe('Frage 3: Antwort 2 Text darf nicht leer sein');
    await i18n.changeLanguage('ja');
    expect(problemOf(d).text).toBe('問題 1：制限時間は必須です');
    expect(problemOf({ loc: at('questions', '0', 'time_limit'), msg: 'Input should be less than or equal to 240' }).text)
      .toBe('問題 1：制限時間は240 以下にしてください');
    await i18n.changeLanguage('ar');
    expect(problemOf(d).text).toBe('السؤال 1: الوقت المحدد: مطلوب');
  });
  it('says the editor\'s own checks in the language too', async () => {
    const noRight = { ...blankEdit(), text: 'Q', choices: [{ text: 'A', correct: false }, { text: 'B', correct: false }] };
    await i18n.changeLanguage('fr');
    expect(checkEdit(noRight, 2)).toBe('La question 2 a besoin d’au moins une bonne réponse.');
    expect(parseTeamNames('Bleus\nbleus').error).toBe('Deux équipes s’appellent « bleus ».');
  });
});
