// One game connection: hello with the token, frames to a callback, and a
// reconnect with backoff when the network drops (docs/protocol.md).

import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import { CLOSE_NO_HELLO, CLOSE_KICKED, CLOSE_NO_GAME, CLOSE_REPLACED, parseFrame, type ServerFrame } from './protocol';

export type FinalReason = 'kicked' | 'unauthorized' | 'no_game' | 'replaced' | 'stopped';

export interface SocketEvents {
  onFrame(frame: ServerFrame): void;
  onOpen(): void;
  /** the connection dropped; a reconnect is scheduled in `delayMs` */
  onLost(delayMs: number, attempt: number): void;
  /** no reconnect will follow */
  onFinal(reason: FinalReason, code: number): void;
}

export interface WebSocketLike {
  readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export interface SocketDeps {
  create(url: string): WebSocketLike;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  random(): number;
}

const browserDeps: SocketDeps = {
  create: (url) => new WebSocket(url) as unknown as WebSocketLike,
  setTimeout: (fn, ms) => window.setTimeout(fn, ms),
  clearTimeout: (h) => window.clearTimeout(h as number),
  random: Math.random,
};

export function wsUrl(path: string, loc: { protocol: string; host: string } = window.location): string {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}${path}`;
}

export class GameSocket {
  private ws: WebSocketLike | null = null;
  private attempt = 0;
  private timer: unknown = null;
  private stopped = false;
  private gotWelcome = false;

  constructor(
    private url: string,
    private token: string,
    private events: SocketEvents,
    private deps: SocketDeps = browserDeps,
    private backoff: BackoffOptions = DEFAULT_BACKOFF,
  ) {}

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.drop('bye');
  }

  /** Send a frame; false when not connected (the caller may show it). */
  send(frame: Record<string, unknown>): boolean {
    if (!this.ws || this.ws.readyState !== 1 || !this.gotWelcome) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  /** Drop the socket as a network loss would (used by tests and "retry now"). */
  reconnectNow(): void {
    this.drop('reconnect');
    this.connect();
  }

  /** Cancel a pending reconnect and close the socket without its onclose. */
  private drop(reason: string): void {
    if (this.timer !== null) this.deps.clearTimeout(this.timer);
    this.timer = null;
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onclose = null;
      ws.close(1000, reason);
    }
  }

  private connect(): void {
    if (this.stopped) return;
    this.gotWelcome = false;
    const ws = this.deps.create(this.url);
    this.ws = ws;
    ws.onopen = () => {
      ws.send(JSON.stringify({ type: 'hello', token: this.token }));
    };
    ws.onmessage = (ev) => {
      if (typeof ev.data !== 'string') return;
      const frame = parseFrame(ev.data);
      if (!frame) return;
      if (frame.type === 'welcome') {
        this.gotWelcome = true;
        this.attempt = 0;
        this.events.onOpen();
      }
      this.events.onFrame(frame);
    };
    ws.onerror = () => {
      /* onclose follows */
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.gotWelcome = false;
      if (this.stopped) return;
      const code = ev.code;
      if (code === CLOSE_KICKED) return this.events.onFinal('kicked', code);
      if (code === CLOSE_NO_HELLO) return this.events.onFinal('unauthorized', code);
      if (code === CLOSE_NO_GAME) return this.events.onFinal('no_game', code);
      // Two tabs of one token reconnecting by themselves would close each
      // other in turn: the person chooses where to play.
      if (code === CLOSE_REPLACED) return this.events.onFinal('replaced', code);
      // Any other code, CLOSE_TRY_AGAIN (1013, Redis unreachable) included,
      // is worth another try: with backoff, so a stadium does not stampede.
      const delay = backoffDelay(this.attempt, this.backoff, this.deps.random);
      const attempt = this.attempt;
      this.attempt += 1;
      this.events.onLost(delay, attempt);
      this.timer = this.deps.setTimeout(() => {
        this.timer = null;
        this.connect();
      }, delay);
    };
  }
}
