/** Sound on the big screen: lobby music, the countdown's last ticks, the
 *  reveal sting and the podium fanfare.
 *
 *  Every sound is synthesized here with the Web Audio API (oscillators and
 *  gain envelopes): the project ships no audio file, so there is no asset
 *  licence to track. Browsers refuse to start audio before a user gesture
 *  on the page (autoplay rules): the screen creates its AudioContext on its
 *  first click or key press, and shows a button until then.
 *
 *  What plays when is a pure function of the screen's state (`cuesBetween`),
 *  tested on its own; `ScreenSound` only turns cues into notes. The console
 *  sets volume and mute over a BroadcastChannel (same browser) and
 *  localStorage (kept for the next load). */

export type SoundPhase = 'lobby' | 'reading' | 'answering' | 'closed' | 'between' | 'finished' | 'none';

export interface SoundState {
  phase: SoundPhase;
  question: number;
  /** whole seconds left while answering, else null */
  secondsLeft: number | null;
}

export type Cue = 'lobby_start' | 'lobby_stop' | 'tick' | 'reveal' | 'podium';

/** The countdown ticks during the last seconds of a question. */
export const TICK_FROM_S = 5;

/** The cues to play when the screen goes from `prev` to `next` (null: the
 *  first state seen: nothing is replayed, but lobby music starts). */
export function cuesBetween(prev: SoundState | null, next: SoundState): Cue[] {
  const out: Cue[] = [];
  const wasLobby = prev?.phase === 'lobby';
  if (next.phase === 'lobby' && !wasLobby) out.push('lobby_start');
  if (wasLobby && next.phase !== 'lobby') out.push('lobby_stop');
  if (!prev) return out;
  const s = next.secondsLeft;
  if (
    next.phase === 'answering' && s !== null && s >= 1 && s <= TICK_FROM_S &&
    (prev.phase !== 'answering' || prev.question !== next.question || prev.secondsLeft !== s)
  ) {
    out.push('tick');
  }
  if (next.phase === 'closed' && (prev.phase !== 'closed' || prev.question !== next.question)) out.push('reveal');
  if (next.phase === 'finished' && prev.phase !== 'finished') out.push('podium');
  return out;
}

export interface SoundSettings {
  muted: boolean;
  /** 0..1 */
  volume: number;
}

export const DEFAULT_SOUND: SoundSettings = { muted: false, volume: 0.6 };

export function soundKey(pin: string): string {
  return `stadium.sound.${pin}`;
}

/** Settings as stored (a JSON string, or null): defaults for anything off. */
export function parseSoundSettings(raw: string | null): SoundSettings {
  if (!raw) return DEFAULT_SOUND;
  try {
    const v = JSON.parse(raw) as Partial<SoundSettings> | null;
    return {
      muted: typeof v?.muted === 'boolean' ? v.muted : DEFAULT_SOUND.muted,
      volume: typeof v?.volume === 'number' && v.volume >= 0 && v.volume <= 1 ? v.volume : DEFAULT_SOUND.volume,
    };
  } catch {
    return DEFAULT_SOUND;
  }
}

export function readSoundSettings(pin: string): SoundSettings {
  try {
    return parseSoundSettings(localStorage.getItem(soundKey(pin)));
  } catch {
    return DEFAULT_SOUND;
  }
}

/** The console's side: store and tell the screens of this browser. */
export function announceSound(pin: string, s: SoundSettings): void {
  try {
    localStorage.setItem(soundKey(pin), JSON.stringify(s));
  } catch {
    /* private mode: the channel still tells open screens */
  }
  if (typeof BroadcastChannel === 'undefined') return;
  const c = new BroadcastChannel(soundKey(pin));
  c.postMessage(s);
  c.close();
}

/** The screen's side: settings as the console changes them. */
export function listenSound(pin: string, onChange: (s: SoundSettings) => void): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => undefined;
  const c = new BroadcastChannel(soundKey(pin));
  // the message's own settings: another page's localStorage write may not
  // have reached this page yet when the message does
  c.onmessage = (e: MessageEvent) => onChange(parseSoundSettings(JSON.stringify(e.data ?? null)));
  return () => c.close();
}

/** What the tests read: every cue asked for, and whether audio ran. */
interface SoundLog {
  cues: string[];
  running: boolean;
  settings: SoundSettings;
}

declare global {
  interface Window {
    __stadiumSound?: SoundLog;
  }
}

const NOTE = (semitonesFromA4: number) => 440 * Math.pow(2, semitonesFromA4 / 12);
// A bright C major pentatonic arpeggio, one bar of eighth notes, looped.
const LOBBY_NOTES = [-9, -5, -2, 3, 7, 3, -2, -5].map(NOTE);
const LOBBY_STEP_S = 0.25;

export class ScreenSound {
  private ctx: AudioContext | null = null;
  private master: GainNode | null = null;
  private loop: number | null = null;
  private lobbyWanted = false;
  private settings: SoundSettings;
  private readonly log: SoundLog;

  constructor(settings: SoundSettings) {
    this.settings = settings;
    this.log = { cues: [], running: false, settings };
    if (typeof window !== 'undefined') window.__stadiumSound = this.log;
  }

  get unlocked(): boolean {
    return this.ctx !== null && this.ctx.state === 'running';
  }

  /** Call from a user gesture (click, key): browsers allow audio from then on. */
  async unlock(): Promise<boolean> {
    const Ctor = typeof window !== 'undefined' ? (window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext) : undefined;
    if (!Ctor) return false;
    if (!this.ctx) {
      this.ctx = new Ctor();
      this.master = this.ctx.createGain();
      this.master.connect(this.ctx.destination);
      this.applyVolume();
    }
    if (this.ctx.state !== 'running') await this.ctx.resume();
    this.log.running = this.ctx.state === 'running';
    if (this.lobbyWanted) this.startLobby();
    return this.log.running;
  }

  set(settings: SoundSettings): void {
    this.settings = settings;
    this.log.settings = settings;
    this.applyVolume();
  }

  play(cue: Cue): void {
    this.log.cues.push(cue);
    if (cue === 'lobby_start') {
      this.lobbyWanted = true;
      this.startLobby();
    } else if (cue === 'lobby_stop') {
      this.lobbyWanted = false;
      this.stopLobby();
    } else if (cue === 'tick') {
      this.tone(NOTE(12), 0, 0.06, 'square', 0.35);
    } else if (cue === 'reveal') {
      [0, 4, 7, 12].forEach((s, i) => this.tone(NOTE(3 + s), i * 0.09, 0.35, 'triangle', 0.6));
    } else if (cue === 'podium') {
      [0, 4, 7, 12, 7, 12].forEach((s, i) => this.tone(NOTE(3 + s), i * 0.16, 0.3, 'sawtooth', 0.35));
      [0, 4, 7].forEach((s) => this.tone(NOTE(3 + s), 1.0, 1.4, 'triangle', 0.45));
    }
  }

  close(): void {
    this.stopLobby();
    void this.ctx?.close();
    this.ctx = null;
  }

  private applyVolume(): void {
    if (!this.ctx || !this.master) return;
    const v = this.settings.muted ? 0 : this.settings.volume;
    this.master.gain.setTargetAtTime(v, this.ctx.currentTime, 0.05);
  }

  private startLobby(): void {
    if (!this.unlocked || this.loop !== null) return;
    const bar = () => {
      LOBBY_NOTES.forEach((f, i) => this.tone(f, i * LOBBY_STEP_S, LOBBY_STEP_S * 0.9, 'triangle', 0.18));
    };
    bar();
    this.loop = window.setInterval(bar, LOBBY_NOTES.length * LOBBY_STEP_S * 1000);
  }

  private stopLobby(): void {
    if (this.loop !== null) window.clearInterval(this.loop);
    this.loop = null;
  }

  /** One note: an oscillator through a short attack / decay envelope. */
  private tone(freq: number, at: number, length: number, type: OscillatorType, level: number): void {
    const ctx = this.ctx;
    if (!ctx || !this.master || ctx.state !== 'running') return;
    const t0 = ctx.currentTime + at;
    const osc = ctx.createOscillator();
    const env = ctx.createGain();
    osc.type = type;
    osc.frequency.setValueAtTime(freq, t0);
    env.gain.setValueAtTime(0, t0);
    env.gain.linearRampToValueAtTime(level, t0 + 0.01);
    env.gain.exponentialRampToValueAtTime(0.0001, t0 + length);
    osc.connect(env).connect(this.master);
    osc.start(t0);
    osc.stop(t0 + length + 0.05);
  }
}
