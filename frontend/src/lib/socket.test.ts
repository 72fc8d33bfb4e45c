import { describe, expect, it } from 'vitest';
import { CLOSE_TRY_AGAIN } from './protocol';
import { GameSocket, wsUrl, type SocketDeps, type WebSocketLike } from './socket';

class FakeWs implements WebSocketLike {
  readyState = 0;
  sent: string[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  constructor(public url: string) {}
  send(data: string) { this.sent.push(data); }
  close() { this.readyState = 3; }
  open() { this.readyState = 1; this.onopen?.({}); }
  receive(frame: object) { this.onmessage?.({ data: JSON.stringify(frame) }); }
  drop(code: number) { this.readyState = 3; this.onclose?.({ code }); }
}

function harness() {
  const sockets: FakeWs[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const deps: SocketDeps = {
    create: (url) => { const ws = new FakeWs(url); sockets.push(ws); return ws; },
    setTimeout: (fn, ms) => { timers.push({ fn, ms }); return timers.length; },
    clearTimeout: () => {},
    random: () => 0.5,
  };
  const log: string[] = [];
  const sock = new GameSocket('ws://x/ws/play/123456/', 'tok', {
    onFrame: (f) => log.push(`frame:${f.type}`),
    onOpen: () => log.push('open'),
    onLost: (ms, attempt) => log.push(`lost:${ms}:${attempt}`),
    onFinal: (reason, code) => log.push(`final:${reason}:${code}`),
  }, deps, { base: 100, factor: 2, max: 1_000, jitter: 0 });
  return { sockets, timers, log, sock };
}

describe('GameSocket', () => {
  it('says hello with the token first and sends only after welcome', () => {
    const { sockets, log, sock } = harness();
    sock.start();
    expect(sock.send({ type: 'ping' })).toBe(false);
    sockets[0].open();
    expect(JSON.parse(sockets[0].sent[0])).toEqual({ type: 'hello', token: 'tok' });
    sockets[0].receive({ type: 'welcome', seq: '1-0' });
    expect(log).toEqual(['open', 'frame:welcome']);
    expect(sock.send({ type: 'ping' })).toBe(true);
  });

  it('reconnects with growing delays, and resets them after a welcome', () => {
    const { sockets, timers, log, sock } = harness();
    sock.start();
    sockets[0].drop(1006);
    timers[0].fn();
    sockets[1].drop(1006);
    timers[1].fn();
    sockets[2].drop(1006);
    expect(timers.map((t) => t.ms)).toEqual([100, 200, 400]);
    timers[2].fn();
    sockets[3].open();
    sockets[3].receive({ type: 'welcome', seq: '1-0' });
    sockets[3].drop(1011);
    expect(timers[3].ms).toBe(100);
    expect(log.filter((l) => l.startsWith('lost'))).toEqual(['lost:100:0', 'lost:200:1', 'lost:400:2', 'lost:100:0']);
    expect(JSON.parse(sockets[3].sent[0]).type).toBe('hello');
  });

  it('does not reconnect when kicked, refused or when the game is gone', () => {
    for (const [code, reason] of [[4403, 'kicked'], [4401, 'unauthorized'], [4404, 'no_game'], [4409, 'replaced']] as const) {
      const { sockets, timers, log, sock } = harness();
      sock.start();
      sockets[0].open();
      sockets[0].drop(code);
      expect(timers).toHaveLength(0);
      expect(log).toEqual([`final:${reason}:${code}`]);
    }
  });

  it('retries with backoff when the server cannot check the token yet (1013)', () => {
    const { sockets, timers, log, sock } = harness();
    sock.start();
    for (let i = 0; i < 3; i++) {
      sockets[i].open();
      sockets[i].drop(CLOSE_TRY_AGAIN);
      timers[i].fn();
    }
    expect(timers.map((t) => t.ms)).toEqual([100, 200, 400]);
    expect(log.some((l) => l.startsWith('final'))).toBe(false);
    // Redis is back: the same token is welcomed
    sockets[3].open();
    expect(JSON.parse(sockets[3].sent[0])).toEqual({ type: 'hello', token: 'tok' });
    sockets[3].receive({ type: 'welcome', seq: '1-0' });
    expect(log.slice(-2)).toEqual(['open', 'frame:welcome']);
  });

  it('stop() ends it for good', () => {
    const { sockets, timers, sock } = harness();
    sock.start();
    sock.stop();
    sockets[0].drop(1006);
    expect(timers).toHaveLength(0);
  });

  it('builds ws and wss URLs', () => {
    expect(wsUrl('/ws/play/1/', { protocol: 'http:', host: 'a:8000' })).toBe('ws://a:8000/ws/play/1/');
    expect(wsUrl('/ws/play/1/', { protocol: 'https:', host: 'a' })).toBe('wss://a/ws/play/1/');
  });
});
