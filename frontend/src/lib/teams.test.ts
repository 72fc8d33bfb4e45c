import { describe, expect, it } from 'vitest';
import type { ServerFrame, TeamEntry, WelcomeFrame } from './protocol';
import { initialState, myTeam, reduce, teamNames, type ViewState } from './state';

// Teams (issue 14): welcome names and the player's team, the team board of
// leaderboard and question_closed, the team podium of game_over.

const game = {
  game: 'g1', pin: '123456', title: 'Derby', state: 'lobby' as const, question: 0,
  n_questions: 2, players: 5, reveal: 'live' as const, join_open: true, epoch: 1, auto_advance: null,
  brand: { accent: null, logo: null },
  teams: ['Home', 'Away', 'Neutral'],
};

function welcome(extra: Partial<WelcomeFrame> = {}): WelcomeFrame {
  return {
    type: 'welcome', seq: '100-0', role: 'player', server_ms: 50_000, game,
    question: null, leaderboard: { top: [], players: 5, answered: 0 },
    you: { player: 2, nickname: 'Bo', score: 0, rank: 2, streak: 0, correct_count: 0, answer: null, team: 1 },
    ...extra,
  };
}

const question: ServerFrame = {
  type: 'question', seq: '101-0', prev: '100-0', question: 1, kind: 'choice', text: 'Capital of France?',
  choices: ['Paris', 'Rome'], time_limit: 20, multiplier: 1, image: null, read_time: 0,
  multi: false, opened_ms: 60_000, answers_open_ms: 60_000, deadline_ms: 80_000, paused: false, server_ms: 60_010,
};

const board: TeamEntry[] = [
  { team: 1, name: 'Away', score: 900, members: 2, rank: 1 },
  { team: 0, name: 'Home', score: 450, members: 2, rank: 2 },
  { team: 2, name: 'Neutral', score: 0, members: 1, rank: 3 },
];

function run(frames: ServerFrame[], start: ViewState = initialState): ViewState {
  return frames.reduce<ViewState>((s, frame) => reduce(s, { type: 'server', frame, now: 10_000 }), start);
}

describe('teams: welcome', () => {
  it('takes the team names and the player team', () => {
    const s = run([welcome()]);
    expect(teamNames(s)).toEqual(['Home', 'Away', 'Neutral']);
    expect(s.me?.team).toBe(1);
    expect(myTeam(s)).toEqual({ team: 1, name: 'Away' });
    expect(s.teams).toBeNull();
  });

  it('teams off: no names, no team, nothing kept', () => {
    const s = run([welcome({ game: { ...game, teams: null }, you: { player: 2, nickname: 'Bo', team: null } })]);
    expect(teamNames(s)).toBeNull();
    expect(myTeam(s)).toBeNull();
    expect(s.teams).toBeNull();
    expect(s.myTeamRank).toBeNull();
  });

  it('a welcome without you.team (host, screen or an older server) keeps none', () => {
    const s = run([welcome({ role: 'screen', you: undefined })]);
    expect(myTeam(s)).toBeNull();
    expect(teamNames(s)).toEqual(['Home', 'Away', 'Neutral']);
  });

  it('a reconnect welcome keeps the last team board until the next tick', () => {
    const lb: ServerFrame = { type: 'leaderboard', seq: '101-0', prev: '100-0', question: 0, top: [], players: 5, answered: 0, teams: board };
    const s = run([welcome(), lb, welcome({ seq: '102-0' })]);
    expect(s.teams).toEqual(board);
    expect(s.myTeamRank).toBe(1);
  });
});

describe('teams: leaderboard and question_closed', () => {
  it('the leaderboard tick carries the team board and the player team row', () => {
    const lb: ServerFrame = { type: 'leaderboard', seq: '102-0', prev: '101-0', question: 1, top: [], players: 5, answered: 3, teams: board };
    const s = run([welcome(), question, lb]);
    expect(s.teams?.map((t) => t.name)).toEqual(['Away', 'Home', 'Neutral']);
    expect(s.myTeamRank).toBe(1);
    expect(s.myTeamScore).toBe(900);
  });

  it('a tick without teams (older server) keeps the board; null clears it', () => {
    const lb1: ServerFrame = { type: 'leaderboard', seq: '102-0', prev: '101-0', question: 1, top: [], players: 5, answered: 3, teams: board };
    const lb2: ServerFrame = { type: 'leaderboard', seq: '103-0', prev: '102-0', question: 1, top: [], players: 5, answered: 4 };
    let s = run([welcome(), question, lb1, lb2]);
    expect(s.teams).toEqual(board);
    s = run([{ type: 'leaderboard', seq: '104-0', prev: '103-0', question: 1, top: [], players: 5, answered: 4, teams: null }], s);
    expect(s.teams).toBeNull();
  });

  it('on_close reveal: the player team rank does not move from ticks while the question is open', () => {
    const w = welcome({ game: { ...game, reveal: 'on_close' } });
    const lb: ServerFrame = { type: 'leaderboard', seq: '102-0', prev: '101-0', question: 1, top: [], players: 5, answered: 3, teams: board };
    const s = run([w, question, lb]);
    expect(s.teams).toEqual(board);
    expect(s.myTeamRank).toBeNull();
  });

  it('question_closed: the board, and the player team_rank / team_score', () => {
    const closed: ServerFrame = {
      type: 'question_closed', seq: '102-0', prev: '101-0', question: 1, kind: 'choice', correct: [0],
      distribution: [3, 2], answered: 5, players: 5, choices: [0], value: [0], right: true, points: 900, bonus: 0,
      total: 900, rank: 1, streak: 1, teams: board, team_rank: 1, team_score: 900,
    };
    const s = run([welcome(), question, closed]);
    expect(s.teams).toEqual(board);
    expect(s.myTeamRank).toBe(1);
    expect(s.myTeamScore).toBe(900);
  });

  it('question_closed for the screen: the board only', () => {
    const closed: ServerFrame = {
      type: 'question_closed', seq: '102-0', prev: '101-0', question: 1, kind: 'choice', correct: [0],
      distribution: [3, 2], answered: 5, players: 5, teams: board,
    };
    const s = run([welcome({ role: 'screen', you: undefined }), question, closed]);
    expect(s.teams?.[0]).toEqual({ team: 1, name: 'Away', score: 900, members: 2, rank: 1 });
    expect(s.myTeamRank).toBeNull();
  });
});

describe('teams: game_over', () => {
  it('takes the team podium and the player team result', () => {
    const over: ServerFrame = {
      type: 'game_over', seq: '103-0', prev: '102-0', podium: [], players: 5, rank: 2, score: 900,
      teams_podium: board, team_rank: 1, team_score: 900,
    };
    const s = run([welcome(), question, over]);
    expect(s.game?.state).toBe('finished');
    expect(s.teamsPodium?.map((t) => [t.rank, t.name, t.score])).toEqual([[1, 'Away', 900], [2, 'Home', 450], [3, 'Neutral', 0]]);
    expect(s.myTeamRank).toBe(1);
    expect(s.myTeamScore).toBe(900);
  });

  it('teams off: teams_podium null, team_rank null', () => {
    const over: ServerFrame = {
      type: 'game_over', seq: '103-0', prev: '102-0', podium: [], players: 5, rank: 2, score: 900,
      teams_podium: null, team_rank: null, team_score: null,
    };
    const s = run([welcome({ game: { ...game, teams: null }, you: { player: 2, nickname: 'Bo', team: null } }), over]);
    expect(s.teamsPodium).toBeNull();
    expect(s.myTeamRank).toBeNull();
  });

  it('no teams_podium from the server: the last board top 3', () => {
    const lb: ServerFrame = { type: 'leaderboard', seq: '102-0', prev: '101-0', question: 1, top: [], players: 5, answered: 3, teams: board };
    const over: ServerFrame = { type: 'game_over', seq: '103-0', prev: '102-0', podium: [], players: 5 };
    const s = run([welcome(), question, lb, over]);
    expect(s.teamsPodium?.map((t) => t.team)).toEqual([1, 0, 2]);
  });
});
