// Types of the WebSocket protocol (docs/protocol.md). Questions are numbered
// from 1 and choices indexed from 0 everywhere. The server builds these frames
// in sockets/frames.py and sockets/snapshot.py (typed there); a field added
// or made optional on one side only fails tests/sockets/test_frames.py.

import i18n from '../i18n';

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
  /** players may join after the first question (the game's setting) */
  late_join?: boolean;
  epoch?: number;
  auto_advance: AutoAdvance | null;
  /** the team names (numbered from 0), null when teams are off */
  teams?: string[] | null;
  /** the quiz's brand as the game opened with it (docs/quizzes.md, "Branding") */
  brand: Brand;
}

/** A game's brand: accent "#rrggbb" and logo URL, null for none (type alias: the frame test reads interfaces only). */
export type Brand = { accent: string | null; logo: string | null };

/** One team on a board (type alias, not an interface: the frame test reads
 *  interfaces only). Every team is listed, in rank order. */
export type TeamEntry = { team: number; name: string; score: number; members: number; rank: number };

/** welcome.game.auto_advance: the server runs the show (docs/protocol.md, "Auto-advance"). */
export type AutoAdvance = { reveal_s: number; leaderboard_s: number };

/** Question kinds (docs/protocol.md). Interfaces below spell the union out
 *  inline: tests/sockets/test_frames.py reads them as strings. */
export type QuestionKind = 'choice' | 'true_false' | 'poll' | 'slider' | 'type_answer' | 'ordering' | 'word_cloud' | 'info';
export const KINDS: QuestionKind[] = ['choice', 'true_false', 'poll', 'slider', 'type_answer', 'ordering', 'word_cloud', 'info'];
export const SCORED_KINDS: QuestionKind[] = ['choice', 'true_false', 'slider', 'type_answer', 'ordering'];

/** question_closed.correct per kind (type aliases, not interfaces: the frame test reads interfaces only). */
export type SliderCorrect = { answer: number; tolerance: number };
export type AcceptedCorrect = { accepted: string[] };
export type OrderCorrect = { order: number[] };
export type Correct = number[] | SliderCorrect | AcceptedCorrect | OrderCorrect | null;
/** question_closed.distribution per kind. */
export type SliderBucket = { from: number; to: number; count: number };
export type TextCount = { text: string; count: number };
export type RightWrong = { right: number; wrong: number };
export type Distribution = number[] | SliderBucket[] | TextCount[] | RightWrong | null;
/** A player's recorded answer value: choices | slider number | text | order. */
export type AnswerValue = number[] | number | string | null;

export interface QuestionFrame {
  type: 'question';
  seq: string;
  prev?: string;
  question: number;
  kind: 'choice' | 'true_false' | 'poll' | 'slider' | 'type_answer' | 'ordering' | 'word_cloud' | 'info';
  text: string;
  image: string | null;
  time_limit: number;
  multiplier: number;
  read_time: number;
  opened_ms: number;
  answers_open_ms: number;
  deadline_ms: number;
  paused: boolean;
  server_ms: number;
  choices?: string[];
  multi?: boolean;
  min?: number;
  max?: number;
  step?: number;
  unit?: string | null;
  max_length?: number;
  items?: string[];
  /** while paused: the time left at the pause */
  remaining_ms?: number;
}

export interface WelcomeQuestion extends Omit<QuestionFrame, 'type' | 'seq' | 'prev' | 'server_ms'> {
  state: 'open' | 'closed';
  answered: number;
  /** auto-advance: the leaderboard replaced the results */
  board_shown: boolean;
  correct?: number[] | SliderCorrect | AcceptedCorrect | OrderCorrect | null;
  distribution?: number[] | SliderBucket[] | TextCount[] | RightWrong | null;
}

export interface YourAnswer {
  question: number;
  choices: number[];
  value: number[] | number | string | null;
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
  /** the player's team index, null when teams are off */
  team?: number | null;
}

export interface LeaderboardInfo {
  top: Entry[];
  /** the team board (null when teams are off) */
  teams?: TeamEntry[] | null;
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
  /** screens: the newest joiners (at most 100, oldest first) while in the lobby, else [] */
  latest_players?: PlayerRef[];
  distribution?: number[];
}

/** The ack carries back the field sent (choices | value | text | order). */
export interface AnswerAckFrame {
  type: 'answer_ack';
  seq: string;
  question: number;
  choices?: number[];
  value?: number;
  text?: string;
  order?: number[];
  ts?: number;
  points?: number;
  bonus?: number;
  total?: number;
  rank?: number;
  streak?: number;
  correct?: null;
  locked?: boolean;
}

export interface QuestionClosedFrame {
  type: 'question_closed';
  seq: string;
  prev?: string;
  question: number;
  kind: 'choice' | 'true_false' | 'poll' | 'slider' | 'type_answer' | 'ordering' | 'word_cloud' | 'info';
  correct: number[] | SliderCorrect | AcceptedCorrect | OrderCorrect | null;
  distribution: number[] | SliderBucket[] | TextCount[] | RightWrong | null;
  answered: number;
  players?: number;
  value?: number[] | number | string | null;
  right?: boolean | null;
  choices?: number[] | null;
  points?: number;
  bonus?: number;
  total?: number;
  rank?: number;
  streak?: number;
  /** every team in rank order, null when teams are off */
  teams?: TeamEntry[] | null;
  /** the player's own (null when teams are off) */
  team_rank?: number | null;
  team_score?: number | null;
}

export interface QuestionPausedFrame {
  type: 'question_paused';
  seq: string;
  prev?: string;
  question: number;
  remaining_ms: number;
}

export interface QuestionResumedFrame {
  type: 'question_resumed';
  seq: string;
  prev?: string;
  question: number;
  answers_open_ms: number;
  deadline_ms: number;
}

export interface QuestionExtendedFrame {
  type: 'question_extended';
  seq: string;
  prev?: string;
  question: number;
  deadline_ms: number;
}

/** The results phase is over, the full-screen leaderboard shows (auto-advance, or the host's show_leaderboard). */
export interface ShowLeaderboardFrame {
  type: 'show_leaderboard';
  seq: string;
  prev?: string;
  question: number;
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
  /** every team in rank order, null when teams are off */
  teams?: TeamEntry[] | null;
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
  /** the final team board and its top 3, null when teams are off */
  teams?: TeamEntry[] | null;
  teams_podium?: TeamEntry[] | null;
  /** the player's own (null when teams are off) */
  team_rank?: number | null;
  team_score?: number | null;
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

/** Screens only, outside the seq chain: the crowd's taps of one second. */
export interface ReactionsFrame {
  type: 'reactions';
  second: number;
  counts: Partial<Record<Reaction, number>>;
}

export const REACTIONS = ['clap', 'fire', 'laugh', 'wow', 'heart', 'party'] as const;
export type Reaction = (typeof REACTIONS)[number];

export type ServerFrame =
  | ReactionsFrame
  | WelcomeFrame
  | QuestionFrame
  | AnswerAckFrame
  | QuestionClosedFrame
  | QuestionPausedFrame
  | QuestionResumedFrame
  | QuestionExtendedFrame
  | ShowLeaderboardFrame
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

// Client frames (type aliases: only server frames are interfaces).
/** An answer carries exactly the kind's field. */
export type AnswerPayload = { choices: number[] } | { value: number } | { text: string } | { order: number[] };
export type AnswerFrame = { type: 'answer'; question: number; ts?: number } & AnswerPayload;
export type HostClockFrame =
  | { type: 'pause_question' }
  | { type: 'resume_question' }
  | { type: 'extend_question'; seconds: number }
  | { type: 'start_question'; question?: number }
  | { type: 'close_question' }
  | { type: 'show_leaderboard' };

/** The answer field a kind sends. */
export function answerField(kind: QuestionKind): 'choices' | 'value' | 'text' | 'order' | null {
  switch (kind) {
    case 'choice':
    case 'true_false':
    case 'poll':
      return 'choices';
    case 'slider':
      return 'value';
    case 'type_answer':
    case 'word_cloud':
      return 'text';
    case 'ordering':
      return 'order';
    default:
      return null;
  }
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
  // the code is the key (common.json `socket.<code>`, docs/protocol.md "Error codes")
  const key = `socket.${code}`;
  if (i18n.exists(key, { ns: 'common' })) return i18n.t(key, { ns: 'common' });
  return fallback ?? i18n.t('errors.generic', { ns: 'common' });
}
