// Types of the WebSocket protocol (docs/protocol.md). Questions are numbered
// from 1 and choices indexed from 0 everywhere. The server builds these frames
// in sockets/frames.py and sockets/snapshot.py (typed there); a field added
// or made optional on one side only fails tests/sockets/test_frames.py.

export type Role = 'player' | 'host' | 'screen';
export type GameStateName = 'lobby' | 'question' | 'reveal' | 'finished';

export interface Entry {
  player: number;
  nickname: string;
  score: number;
  rank: number;
}

export interface PlayerRef {
  player: number;
  nickname: string;
}

export interface GameInfo {
  game: string;
  pin: string;
  title: string;
  state: GameStateName;
  question: number;
  n_questions: number;
  players: number;
  reveal: 'live' | 'on_close';
  join_open: boolean;
  epoch?: number;
}

export interface QuestionFrame {
  type: 'question';
  seq: string;
  prev?: string;
  question: number;
  text: string;
  choices: string[];
  time_limit: number;
  multiplier: number;
  image: string | null;
  multi: boolean;
  opened_ms: number;
  deadline_ms: number;
  server_ms: number;
}

export interface WelcomeQuestion extends Omit<QuestionFrame, 'type' | 'seq' | 'prev' | 'server_ms'> {
  state: 'open' | 'closed';
  answered: number;
  correct?: number[];
  distribution?: number[];
}

export interface YourAnswer {
  question: number;
  choices: number[];
  /** unless the reveal hides them (on_close, question open) */
  points?: number;
  bonus?: number;
}

/** All but player and nickname are absent once a finished game left Redis. */
export interface YouInfo {
  player: number;
  nickname: string;
  score?: number;
  rank?: number | null;
  streak?: number;
  correct_count?: number;
  answer?: YourAnswer | null;
}

export interface LeaderboardInfo {
  top: Entry[];
  players: number;
  answered: number;
}

export interface WelcomeFrame {
  type: 'welcome';
  seq: string;
  role: Role;
  server_ms: number;
  game: GameInfo;
  question: WelcomeQuestion | null;
  leaderboard: LeaderboardInfo;
  you?: YouInfo;
  players_list?: PlayerRef[];
  distribution?: number[];
}

export interface AnswerAckFrame {
  type: 'answer_ack';
  seq: string;
  question: number;
  choices: number[];
  ts?: number;
  points?: number;
  bonus?: number;
  total?: number;
  rank?: number;
  streak?: number;
  locked?: boolean;
}

export interface QuestionClosedFrame {
  type: 'question_closed';
  seq: string;
  prev?: string;
  question: number;
  correct: number[];
  distribution: number[];
  answered: number;
  players?: number;
  choices?: number[] | null;
  points?: number;
  bonus?: number;
  total?: number;
  rank?: number;
  streak?: number;
}

export interface LeaderboardFrame {
  type: 'leaderboard';
  seq: string;
  prev?: string;
  question: number;
  top: Entry[];
  players: number;
  answered: number;
  server_ms?: number;
  distribution?: number[];
}

export interface PlayersFrame {
  type: 'players';
  seq: string;
  prev?: string;
  joined?: PlayerRef[];
  kicked?: number[];
  players: number;
  join_open?: boolean;
}

export interface GameOverFrame {
  type: 'game_over';
  seq: string;
  prev?: string;
  podium: Entry[];
  players: number;
  rank?: number;
  score?: number;
}

export interface SavedFrame {
  type: 'saved';
  seq?: string;
  results: string;
}

export interface KickedFrame {
  type: 'kicked';
  seq?: string;
}

export interface PongFrame {
  type: 'pong';
  seq?: string;
  ts?: number | string | null;
  server_ms: number;
}

export interface ErrorFrame {
  type: 'error';
  seq?: string;
  code: string;
  message: string;
  ref?: string;
}

export interface ResyncFrame {
  type: 'resync';
  seq: string;
  prev?: string;
  reason?: string;
}

export type ServerFrame =
  | WelcomeFrame
  | QuestionFrame
  | AnswerAckFrame
  | QuestionClosedFrame
  | LeaderboardFrame
  | PlayersFrame
  | GameOverFrame
  | SavedFrame
  | KickedFrame
  | PongFrame
  | ErrorFrame
  | ResyncFrame;

/** Parse one text frame; null when it is not a protocol object. */
export function parseFrame(text: string): ServerFrame | null {
  try {
    const data = JSON.parse(text);
    if (data && typeof data === 'object' && typeof data.type === 'string') return data as ServerFrame;
  } catch {
    /* not JSON */
  }
  return null;
}

/** Close codes of docs/protocol.md, named as in sockets/messages.py. */
export const CLOSE_NO_HELLO = 4401;
export const CLOSE_KICKED = 4403;
export const CLOSE_NO_GAME = 4404;
export const CLOSE_FLOOD = 4429;
export const CLOSE_TOO_LARGE = 1009;
/** The server could not check the token (Redis unreachable): reconnect with backoff. */
export const CLOSE_TRY_AGAIN = 1013;
/** the same token opened a newer socket (another tab or device): no automatic reconnect */
export const CLOSE_REPLACED = 4409;
export const CLOSE_SERVER_ERROR = 1011;

/** Plain words for the WebSocket error codes. */
export function socketErrorText(code: string, fallback?: string): string {
  const words: Record<string, string> = {
    not_open: 'The question is not open yet.',
    wrong_question: 'That answer was for another question.',
    bad_choice: 'That choice is not valid.',
    already_answered: 'You already answered this question.',
    too_late: 'Too late: time was up.',
    game_finished: 'The game has ended.',
    rate_limited: 'Slow down a little.',
    unavailable: 'The server is busy, try again.',
    already_played: 'That question was already played.',
    no_more_questions: 'There are no more questions.',
    unknown_player: 'That player is not in the game.',
    not_host: 'Only the host can do that.',
  };
  return words[code] ?? fallback ?? 'Something went wrong.';
}
