import { describe, expect, it } from 'vitest';
import type { ServerFrame, WelcomeFrame } from './protocol';
import { initialState, isGap, ordinal, pointsToNextPlace, questionPhase, reduce, secondsToOpen, type Action, type ViewState } from './state';

const game = {
  game: 'g1', pin: '123456', title: 'Capitals', state: 'lobby' as const, question: 0,
  n_questions: 2, players: 3, reveal: 'live' as const, join_open: true, epoch: 1, auto_advance: null,
  brand: { accent: null, logo: null },
};

function welcome(extra: Partial<WelcomeFrame> = {}): WelcomeFrame {
  return {
    type: 'welcome', seq: '100-0', role: 'player', server_ms: 50_000, game,
    question: null, leaderboard: { top: [], players: 3, answered: 0 },
    you: { player: 2, nickname: 'Bo', score: 0, rank: 2, streak: 0, correct_count: 0, answer: null },
    ...extra,
  };
}

const question: ServerFrame = {
  type: 'question', seq: '101-0', prev: '100-0', question: 1, kind: 'choice', text: 'Capital of France?',
  choices: ['Paris', 'Rome', 'Oslo', 'Bern'], time_limit: 20, multiplier: 1, image: null, read_time: 0,
  multi: false, opened_ms: 60_000, answers_open_ms: 60_000, deadline_ms: 80_000, paused: false, server_ms: 60_010,
};

function run(frames: (ServerFrame | Action)[], start: ViewState = initialState, now = 10_000): ViewState {
  return frames.reduce<ViewState>((s, f) => reduce(s, 'frame' in f || f.type.startsWith('local/') ? (f as Action) : { type: 'server', frame: f as ServerFrame, now }), start);
}

describe('reducer: welcome', () => {
  it('takes the whole state and the clock offset', () => {
    const s = run([welcome()], initialState, 40_000);
    expect(s.role).toBe('player');
    expect(s.game?.pin).toBe('123456');
    expect(s.me?.nickname).toBe('Bo');
    expect(s.lastSeq).toBe('100-0');
    expect(s.clockOffset).toBe(10_000);
    expect(s.question).toBeNull();
  });

  it('resumes a player who already answered the open question', () => {
    const q = { ...question, state: 'open' as const, answered: 1 } as unknown as WelcomeFrame['question'];
    const s = run([welcome({
      game: { ...game, state: 'question', question: 1 },
      question: q,
      you: { player: 2, nickname: 'Bo', score: 0, rank: 2, streak: 0, correct_count: 0, answer: { question: 1, choices: [0], value: [0] } },
    })]);
    expect(s.question?.text).toBe('Capital of France?');
    expect(s.myAnswer).toEqual({ question: 1, choices: [0], value: [0], acked: true });
    expect(s.result).toBeNull();
  });

  it('rebuilds the result when resuming after the close', () => {
    const q = { ...question, state: 'closed' as const, correct: [0], distribution: [2, 1, 0, 0] } as unknown as WelcomeFrame['question'];
    const s = run([welcome({
      game: { ...game, state: 'reveal', question: 1 },
      question: q,
      you: { player: 2, nickname: 'Bo', score: 950, rank: 1, streak: 1, correct_count: 1, answer: { question: 1, choices: [0], value: [0], points: 950 } },
    })]);
    expect(s.result).toMatchObject({ question: 1, answered: true, right: true, points: 950, total: 950, rank: 1 });
  });

  it('shows the podium when joining a finished game', () => {
    const top = [1, 2, 3, 4].map((r) => ({ player: r, nickname: `p${r}`, score: 1000 - r, rank: r }));
    const s = run([welcome({ game: { ...game, state: 'finished' }, leaderboard: { top, players: 4, answered: 0 } })]);
    expect(s.podium?.map((e) => e.nickname)).toEqual(['p1', 'p2', 'p3']);
    expect(s.finalRank).toBe(2);
  });
});

describe('reducer: a question round', () => {
  it('question, local lock-in, ack, leaderboard, close', () => {
    let s = run([welcome(), question], initialState, 60_000);
    expect(s.question?.state).toBe('open');
    expect(s.clockOffset).toBe(10);
    expect(s.game?.state).toBe('question');
    expect(s.myAnswer).toBeNull();

    s = reduce(s, { type: 'local/answer_sent', question: 1, answer: { choices: [0] } });
    expect(s.myAnswer).toEqual({ question: 1, choices: [0], acked: false });

    s = run([{ type: 'answer_ack', seq: '102-0', question: 1, choices: [0], points: 980, bonus: 0, total: 980, rank: 1, streak: 1 }], s);
    expect(s.myAnswer?.acked).toBe(true);
    expect(s.me).toMatchObject({ score: 980, rank: 1, streak: 1 });

    s = run([{ type: 'leaderboard', seq: '103-0', prev: '101-0', question: 1, players: 3, answered: 2,
      top: [{ player: 2, nickname: 'Bo', score: 980, rank: 1 }, { player: 1, nickname: 'Al', score: 900, rank: 2 }] }], s);
    expect(s.leaderboard.answered).toBe(2);
    expect(s.question?.answered).toBe(2);
    expect(s.needResync).toBe(false);

    s = run([{ type: 'question_closed', kind: 'choice', seq: '104-0', prev: '103-0', question: 1, correct: [0], distribution: [2, 1, 0, 0],
      answered: 3, choices: [0], points: 980, bonus: 0, total: 980, rank: 1, streak: 1 }], s);
    expect(s.question?.state).toBe('closed');
    expect(s.question?.correct).toEqual([0]);
    expect(s.game?.state).toBe('reveal');
    expect(s.result).toEqual({ question: 1, answered: true, right: true, points: 980, bonus: 0, total: 980, rank: 1, streak: 1, value: [0] });
  });

  it('a wrong or missing answer is reported as such', () => {
    let s = run([welcome(), question]);
    s = run([{ type: 'question_closed', kind: 'choice', seq: '102-0', prev: '101-0', question: 1, correct: [0], distribution: [0, 1, 0, 0],
      answered: 1, choices: [1], points: 0, bonus: 0, total: 0, rank: 3, streak: 0 }], s);
    expect(s.result).toMatchObject({ answered: true, right: false, points: 0, rank: 3 });
    s = run([{ ...question, seq: '103-0', prev: '102-0', question: 2 } as ServerFrame], s);
    expect(s.result).toBeNull();
    s = run([{ type: 'question_closed', kind: 'choice', seq: '104-0', prev: '103-0', question: 2, correct: [0], distribution: [0, 0, 0, 0],
      answered: 0, choices: null, points: 0, bonus: 0, total: 0, rank: 3, streak: 0 }], s);
    expect(s.result).toMatchObject({ answered: false, right: false });
  });

  it('in on_close reveal the ack only locks in', () => {
    let s = run([welcome({ game: { ...game, reveal: 'on_close' } }), question]);
    s = run([{ type: 'answer_ack', seq: '102-0', question: 1, choices: [0, 2], locked: true }], s);
    expect(s.myAnswer).toEqual({ question: 1, choices: [0, 2], acked: true });
    expect(s.me?.score).toBe(0);
  });

  it('a refused answer is unlocked, an already recorded one stays', () => {
    let s = run([welcome(), question]);
    s = reduce(s, { type: 'local/answer_sent', question: 1, answer: { choices: [3] } });
    s = run([{ type: 'error', code: 'too_late', message: 'too late', ref: 'answer' }], s);
    expect(s.myAnswer).toBeNull();
    expect(s.lastError?.code).toBe('too_late');
    s = reduce(s, { type: 'local/answer_sent', question: 1, answer: { choices: [3] } });
    s = run([{ type: 'error', code: 'already_answered', message: 'once', ref: 'answer' }], s);
    expect(s.myAnswer?.choices).toEqual([3]);
    s = reduce(s, { type: 'local/clear_error' });
    expect(s.lastError).toBeNull();
    // a new question forgets the last question's error
    s = run([{ type: 'error', code: 'too_late', message: 'too late', ref: 'answer' }], s);
    s = run([{ ...question, seq: '102-0', prev: '101-0', question: 2 } as ServerFrame], s);
    expect(s.lastError).toBeNull();
  });
});

describe('reducer: end, kick, host frames', () => {
  it('game_over gives the podium and the final rank', () => {
    const podium = [1, 2, 3].map((r) => ({ player: r, nickname: `p${r}`, score: 3000 - r, rank: r }));
    const s = run([welcome(), { type: 'game_over', seq: '200-0', prev: '100-0', podium, players: 3, rank: 2, score: 2998 }]);
    expect(s.game?.state).toBe('finished');
    expect(s.podium).toEqual(podium);
    expect(s.finalRank).toBe(2);
    expect(s.finalScore).toBe(2998);
  });

  it('kicked', () => {
    const s = run([welcome(), { type: 'kicked' }]);
    expect(s.kicked).toBe(true);
  });

  it('host: players arrive and leave, distribution, saved', () => {
    let s = run([welcome({ role: 'host', you: undefined, players_list: [{ player: 1, nickname: 'Al' }] })]);
    expect(s.playersList).toEqual([{ player: 1, nickname: 'Al' }]);
    s = run([{ type: 'players', seq: '101-0', prev: '100-0', joined: [{ player: 2, nickname: '<b>Bo</b>' }, { player: 1, nickname: 'Al' }], players: 2 }], s);
    expect(s.playersList.map((p) => p.nickname)).toEqual(['Al', '<b>Bo</b>']);
    s = run([{ type: 'players', seq: '102-0', prev: '101-0', kicked: [1], players: 1 }], s);
    expect(s.playersList.map((p) => p.player)).toEqual([2]);
    expect(s.leaderboard.players).toBe(1);
    s = run([{ ...question, seq: '103-0', prev: '102-0' } as ServerFrame], s);
    expect(s.distribution).toEqual([0, 0, 0, 0]);
    s = run([{ type: 'leaderboard', seq: '104-0', prev: '103-0', question: 1, top: [], players: 1, answered: 1, distribution: [1, 0, 0, 0] }], s);
    expect(s.distribution).toEqual([1, 0, 0, 0]);
    expect(s.result).toBeNull();
    s = run([{ type: 'saved', results: '/api/games/123456/results' }], s);
    expect(s.savedResults).toBe('/api/games/123456/results');
  });
});

describe('seq / prev: gaps and resync', () => {
  it('detects a gap only on broadcast frames with a different prev', () => {
    expect(isGap('5-0', { type: 'leaderboard', prev: '5-0' })).toBe(false);
    expect(isGap('5-0', { type: 'leaderboard', prev: '4-0' })).toBe(true);
    expect(isGap(null, { type: 'leaderboard', prev: '4-0' })).toBe(false);
    expect(isGap('5-0', { type: 'answer_ack' })).toBe(false);
    expect(isGap('5-0', { type: 'question' })).toBe(false);
  });

  it('asks for one resync, then a welcome clears it', () => {
    let s = run([welcome()]);
    s = run([{ type: 'leaderboard', seq: '105-0', prev: '104-0', question: 0, top: [], players: 3, answered: 0 }], s);
    expect(s.needResync).toBe(true);
    expect(s.lastSeq).toBe('105-0');
    s = reduce(s, { type: 'local/resync_sent' });
    expect(s.needResync).toBe(false);
    expect(s.resyncPending).toBe(true);
    // more gaps while waiting do not ask again
    s = run([{ type: 'leaderboard', seq: '110-0', prev: '108-0', question: 0, top: [], players: 3, answered: 0 }], s);
    expect(s.needResync).toBe(false);
    s = run([welcome({ seq: '111-0' })], s);
    expect(s.resyncPending).toBe(false);
    expect(s.lastSeq).toBe('111-0');
    // in order again: no resync
    s = run([{ type: 'leaderboard', seq: '112-0', prev: '111-0', question: 0, top: [], players: 3, answered: 0 }], s);
    expect(s.needResync).toBe(false);
  });

  it('a resync refused as unavailable (Redis lost the game) does not block the next one', () => {
    let s = run([welcome(), { type: 'resync', seq: '101-0', prev: '100-0', reason: 'redis_lost' }]);
    s = reduce(s, { type: 'local/resync_sent' });
    s = run([{ type: 'error', seq: '101-0', code: 'unavailable', message: 'retry', ref: 'resync' }], s);
    expect(s.resyncPending).toBe(false);
    expect(s.needResync).toBe(false);
    // rebuild_game restored it: its resync frame must be acted on
    s = run([{ type: 'resync', seq: '200-0', prev: '101-0', reason: 'rebuilt' }], s);
    expect(s.needResync).toBe(true);
  });

  it('a server resync frame asks for one; a lost connection resets it', () => {
    let s = run([welcome(), { type: 'resync', seq: '101-0', prev: '100-0', reason: 'epoch' }]);
    expect(s.needResync).toBe(true);
    s = reduce(s, { type: 'local/lost' });
    expect(s.needResync).toBe(false);
    expect(s.connection).toBe('lost');
  });
});

describe('helpers', () => {
  it('points to the next place, from the top', () => {
    const top = [
      { player: 1, nickname: 'a', score: 2000, rank: 1 },
      { player: 2, nickname: 'b', score: 1500, rank: 2 },
    ];
    expect(pointsToNextPlace(top, { score: 1200, rank: 3 })).toBe(300);
    expect(pointsToNextPlace(top, { score: 2000, rank: 1 })).toBeNull();
    expect(pointsToNextPlace(top, { score: 10, rank: 12 })).toBeNull();
    expect(pointsToNextPlace(top, null)).toBeNull();
  });

  it('ordinals', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101].map(ordinal)).toEqual(
      ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '101st']);
  });
});

describe('reducer: kinds and the host clock', () => {
  const slider: ServerFrame = {
    type: 'question', seq: '101-0', prev: '100-0', question: 1, kind: 'slider', text: 'Attendance?',
    time_limit: 20, multiplier: 1, image: null, read_time: 5, opened_ms: 60_000, answers_open_ms: 65_000,
    deadline_ms: 85_000, paused: false, server_ms: 60_000, min: 0, max: 100_000, step: 1000, unit: 'people',
  };

  it('reading time: the phase follows answers_open_ms on the server clock', () => {
    const s = run([welcome(), slider], initialState, 60_000);
    const q = s.question!;
    expect(q.kind).toBe('slider');
    expect(q.answers_open_ms).toBe(65_000);
    expect(s.distribution).toBeNull();
    expect(questionPhase(q, 60_000)).toBe('reading');
    expect(secondsToOpen(q, 60_000)).toBe(5);
    expect(secondsToOpen(q, 64_001)).toBe(1);
    expect(questionPhase(q, 65_000)).toBe('answering');
    expect(questionPhase(q, 85_000)).toBe('time_up');
  });

  it('pause, extend while paused, resume with moved times', () => {
    let s = run([welcome(), slider], initialState, 60_000);
    s = run([{ type: 'question_paused', seq: '102-0', prev: '101-0', question: 1, remaining_ms: 12_000 }], s);
    expect(s.needResync).toBe(false);
    expect(s.question?.paused).toBe(true);
    expect(s.question?.remaining_ms).toBe(12_000);
    expect(questionPhase(s.question!, 70_000)).toBe('paused');
    s = run([{ type: 'question_extended', seq: '103-0', prev: '102-0', question: 1, deadline_ms: 95_000 }], s);
    expect(s.question?.deadline_ms).toBe(95_000);
    expect(s.question?.remaining_ms).toBe(22_000);
    s = run([{ type: 'question_resumed', seq: '104-0', prev: '103-0', question: 1, answers_open_ms: 65_000, deadline_ms: 99_000 }], s);
    expect(s.question?.paused).toBe(false);
    expect(s.question?.remaining_ms).toBeUndefined();
    expect(s.question?.deadline_ms).toBe(99_000);
    expect(questionPhase(s.question!, 98_999)).toBe('answering');
    // a frame for another question changes nothing
    const same = run([{ type: 'question_paused', seq: '105-0', prev: '104-0', question: 7, remaining_ms: 1 }], s);
    expect(same.question).toEqual(s.question);
  });

  it('a pause in the reading time: resume moves answers_open_ms', () => {
    let s = run([welcome(), slider], initialState, 60_000);
    s = run([{ type: 'question_paused', seq: '102-0', prev: '101-0', question: 1, remaining_ms: 23_000 }], s);
    s = run([{ type: 'question_resumed', seq: '103-0', prev: '102-0', question: 1, answers_open_ms: 69_000, deadline_ms: 89_000 }], s);
    expect(questionPhase(s.question!, 66_000)).toBe('reading');
    expect(secondsToOpen(s.question!, 66_000)).toBe(3);
  });

  it('a lost clock frame asks for a resync', () => {
    let s = run([welcome(), slider], initialState, 60_000);
    s = run([{ type: 'question_extended', seq: '105-0', prev: '104-0', question: 1, deadline_ms: 95_000 }], s);
    expect(s.needResync).toBe(true);
  });

  it('slider: the sent value, the ack, the close with value and right', () => {
    let s = run([welcome(), slider], initialState, 60_000);
    s = reduce(s, { type: 'local/answer_sent', question: 1, answer: { value: 42_000 } });
    expect(s.myAnswer).toEqual({ question: 1, value: 42_000, acked: false });
    s = run([{ type: 'answer_ack', seq: '1', question: 1, value: 42_000, points: 700, bonus: 0, total: 700, rank: 1, streak: 1 }], s);
    // scored kinds' acks say nothing of right or wrong (points do, or the close)
    expect(s.myAnswer).toEqual({ question: 1, value: 42_000, acked: true });
    expect(s.me?.score).toBe(700);
    s = run([{ type: 'question_closed', seq: '102-0', prev: '101-0', question: 1, kind: 'slider',
      correct: { answer: 40_000, tolerance: 5000 },
      distribution: [{ from: 0, to: 50_000, count: 3 }, { from: 50_000, to: 100_000, count: 1 }],
      answered: 4, players: 5, value: 42_000, right: true, choices: null, points: 700, bonus: 0, total: 700, rank: 1, streak: 1 }], s);
    expect(s.question?.state).toBe('closed');
    expect(s.question?.correct).toEqual({ answer: 40_000, tolerance: 5000 });
    expect(s.result).toEqual({ question: 1, answered: true, right: true, value: 42_000, points: 700, bonus: 0, total: 700, rank: 1, streak: 1 });
    expect(s.distribution).toEqual([{ from: 0, to: 50_000, count: 3 }, { from: 50_000, to: 100_000, count: 1 }]);
  });

  it('poll and word cloud: right is null (thanks for voting), no answer too', () => {
    const poll: ServerFrame = { ...question, kind: 'poll', choices: ['A', 'B'] } as ServerFrame;
    let s = run([welcome(), poll]);
    s = run([{ type: 'question_closed', seq: '102-0', prev: '101-0', question: 1, kind: 'poll', correct: null,
      distribution: [3, 1], answered: 4, value: [1], right: null, choices: [1], points: 0, bonus: 0, total: 0, rank: 2, streak: 0 }], s);
    expect(s.result).toMatchObject({ answered: true, right: null, value: [1], points: 0 });
    const cloud: ServerFrame = { ...question, seq: '103-0', prev: '102-0', question: 2, kind: 'word_cloud', choices: undefined, multi: undefined, max_length: 20 } as ServerFrame;
    s = run([cloud], s);
    expect(s.distribution).toBeNull();
    s = run([{ type: 'question_closed', seq: '104-0', prev: '103-0', question: 2, kind: 'word_cloud', correct: null,
      distribution: [{ text: 'goal', count: 2 }], answered: 2, value: null, right: null, choices: null, points: 0, bonus: 0, total: 0, rank: 2, streak: 0 }], s);
    expect(s.result).toMatchObject({ answered: false, right: null, value: null });
  });

  it('ordering and type_answer: value sent back, wrong is false', () => {
    const ord: ServerFrame = { ...question, kind: 'ordering', choices: undefined, items: ['b', 'c', 'a'] } as ServerFrame;
    let s = run([welcome(), ord]);
    s = reduce(s, { type: 'local/answer_sent', question: 1, answer: { order: [2, 0, 1] } });
    s = run([{ type: 'answer_ack', seq: '1', question: 1, order: [2, 0, 1], locked: true }], s);
    expect(s.myAnswer).toEqual({ question: 1, order: [2, 0, 1], acked: true });
    s = run([{ type: 'question_closed', seq: '102-0', prev: '101-0', question: 1, kind: 'ordering', correct: { order: [2, 0, 1] },
      distribution: { right: 1, wrong: 2 }, answered: 3, value: [2, 0, 1], right: true, choices: null, points: 900, bonus: 0, total: 900, rank: 1, streak: 1 }], s);
    expect(s.result).toMatchObject({ right: true, value: [2, 0, 1], points: 900 });
    const typed: ServerFrame = { ...question, seq: '103-0', prev: '102-0', question: 2, kind: 'type_answer', choices: undefined, max_length: 40 } as ServerFrame;
    s = run([typed], s);
    s = reduce(s, { type: 'local/answer_sent', question: 2, answer: { text: 'Wembly' } });
    s = run([{ type: 'question_closed', seq: '104-0', prev: '103-0', question: 2, kind: 'type_answer', correct: { accepted: ['Wembley'] },
      distribution: [{ text: 'wembly', count: 1 }], answered: 1, value: 'Wembly', right: false, choices: null, points: 0, bonus: 0, total: 900, rank: 1, streak: 0 }], s);
    expect(s.result).toMatchObject({ answered: true, right: false, value: 'Wembly', points: 0 });
  });

  it('show_leaderboard marks the results phase over; the next question clears it', () => {
    let s = run([welcome({ role: 'screen', you: undefined }), question]);
    s = run([{ type: 'question_closed', seq: '102-0', prev: '101-0', question: 1, kind: 'choice', correct: [0], distribution: [1, 0, 0, 0], answered: 1, players: 3 }], s);
    expect(s.boardShown).toBeNull();
    s = run([{ type: 'show_leaderboard', seq: '103-0', prev: '102-0', question: 1 }], s);
    expect(s.boardShown).toBe(1);
    expect(s.needResync).toBe(false);
    s = run([{ ...question, seq: '104-0', prev: '103-0', question: 2 } as ServerFrame], s);
    expect(s.boardShown).toBeNull();
  });

  it('welcome after the close of a slider: result from the points; poll: null', () => {
    const q = { ...slider, state: 'closed' as const, answered: 2, correct: { answer: 40_000, tolerance: 0 }, distribution: [] } as unknown as WelcomeFrame['question'];
    let s = run([welcome({
      game: { ...game, state: 'reveal', question: 1 }, question: q,
      you: { player: 2, nickname: 'Bo', score: 900, rank: 1, streak: 1, correct_count: 1, answer: { question: 1, choices: [], value: 42_000, points: 900 } },
    })]);
    expect(s.result).toMatchObject({ answered: true, right: true, points: 900 });
    const pq = { ...question, kind: 'poll', state: 'closed' as const, answered: 1, correct: null, distribution: [1, 0, 0, 0] } as unknown as WelcomeFrame['question'];
    s = run([welcome({
      game: { ...game, state: 'reveal', question: 1 }, question: pq,
      you: { player: 2, nickname: 'Bo', score: 0, rank: 1, streak: 0, correct_count: 0, answer: { question: 1, choices: [0], value: [0], points: 0 } },
    })]);
    expect(s.result).toMatchObject({ answered: true, right: null, value: [0] });
  });

  it('an older frame without the new fields gets the defaults', () => {
    const { kind: _k, read_time: _r, answers_open_ms: _a, paused: _p, ...old } = question as Extract<ServerFrame, { type: 'question' }>;
    const s = run([welcome(), old as ServerFrame]);
    expect(s.question).toMatchObject({ kind: 'choice', read_time: 0, answers_open_ms: 60_000, paused: false });
  });
});

describe('reducer: the screen lobby wall and join_open', () => {
  const p = (i: number) => ({ player: i, nickname: `P${i}` });
  it('starts from welcome.latest_players and follows players frames', () => {
    const w = welcome({ role: 'screen', you: undefined, latest_players: [p(1), p(2)] });
    let s = run([w]);
    expect(s.wall).toEqual([p(1), p(2)]);
    s = run([{ type: 'players', seq: '101-0', prev: '100-0', joined: [p(3)], kicked: [1], players: 2, join_open: true }], s);
    expect(s.wall).toEqual([p(2), p(3)]);
    expect(s.playersList).toEqual([]);
    expect(s.leaderboard.players).toBe(2);
  });
  it('takes join_open from the players frame (lock, or the start with late join off)', () => {
    let s = run([welcome({ role: 'screen', you: undefined })]);
    expect(s.game?.join_open).toBe(true);
    s = run([{ type: 'players', seq: '101-0', prev: '100-0', joined: [], kicked: [], players: 3, join_open: false }], s);
    expect(s.game?.join_open).toBe(false);
  });
});
