// React glue: one GameSocket, the reducer, resync on gaps, a clock ping.
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { offsetFromRoundTrip } from './lib/clock';
import type { AnswerPayload, Role } from './lib/protocol';
import { GameSocket, wsUrl, type FinalReason } from './lib/socket';
import { initialState, reduce, type ViewState } from './lib/state';

export interface GameHandle {
  state: ViewState;
  send(frame: Record<string, unknown>): boolean;
  /** set when the connection ended for good */
  final: FinalReason | null;
  /** ms until the next reconnect attempt, while the connection is lost */
  retryIn: number | null;
  offset: number;
  retryNow(): void;
}

export function useGame(role: Role, pin: string, token: string | null): GameHandle {
  const [state, dispatch] = useReducer(reduce, initialState);
  const [final, setFinal] = useState<FinalReason | null>(null);
  const [retryIn, setRetryIn] = useState<number | null>(null);
  const [rttOffset, setRttOffset] = useState<number | null>(null);
  const sock = useRef<GameSocket | null>(null);

  useEffect(() => {
    if (!token) return;
    setFinal(null);
    dispatch({ type: 'local/connecting' });
    const path = role === 'player' ? `/ws/play/${pin}/` : `/ws/${role}/${pin}/`;
    const s = new GameSocket(wsUrl(path), token, {
      onFrame: (frame) => {
        if (frame.type === 'pong' && typeof frame.ts === 'number' && typeof frame.server_ms === 'number') {
          setRttOffset(offsetFromRoundTrip(frame.ts, frame.server_ms, Date.now()));
        }
        dispatch({ type: 'server', frame, now: Date.now() });
      },
      onOpen: () => {
        setRetryIn(null);
        dispatch({ type: 'local/open' });
        s.send({ type: 'ping', ts: Date.now() });
      },
      onLost: (ms) => {
        setRetryIn(ms);
        dispatch({ type: 'local/lost' });
      },
      onFinal: (reason) => {
        setFinal(reason);
        dispatch({ type: 'local/closed' });
      },
    });
    sock.current = s;
    s.start();
    // a ping now and then keeps the clock offset fresh (and the link alive)
    const ping = window.setInterval(() => s.send({ type: 'ping', ts: Date.now() }), 20_000);
    return () => {
      window.clearInterval(ping);
      s.stop();
      sock.current = null;
    };
  }, [role, pin, token]);

  // a gap in seq/prev (or a server resync frame): ask for a fresh welcome
  useEffect(() => {
    if (state.needResync && sock.current?.send({ type: 'resync' })) {
      dispatch({ type: 'local/resync_sent' });
    }
  }, [state.needResync]);

  const send = useCallback((frame: Record<string, unknown>) => {
    const ok = sock.current?.send(frame) ?? false;
    if (ok && frame.type === 'answer') {
      const answer = (['choices', 'value', 'text', 'order'] as const)
        .filter((k) => frame[k] !== undefined)
        .map((k) => ({ [k]: frame[k] }) as unknown as AnswerPayload)[0];
      if (answer) dispatch({ type: 'local/answer_sent', question: frame.question as number, answer });
    }
    return ok;
  }, []);

  const retryNow = useCallback(() => {
    setFinal(null);
    sock.current?.reconnectNow();
  }, []);
  const offset = rttOffset ?? state.clockOffset;
  return { state, send, final, retryIn, offset, retryNow };
}

/** Re-render every `ms` while `on` (countdowns). */
export function useTicker(on: boolean, ms = 200): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!on) return;
    const t = window.setInterval(() => setNow(Date.now()), ms);
    return () => window.clearInterval(t);
  }, [on, ms]);
  return on ? Date.now() : now;
}
