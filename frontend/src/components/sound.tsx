import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { GameInfo } from '../lib/protocol';
import {
  announceSound, cuesBetween, listenSound, readSoundSettings, ScreenSound,
  type SoundSettings, type SoundState,
} from '../lib/sound';
import { questionPhase, type QuestionView } from '../lib/state';
import { hostLocale } from '../lib/hostconsole';

/** The screen's moment, as the sound rules see it (at server time `serverMs`). */
export function soundStateOf(g: GameInfo | null, q: QuestionView | null, serverMs: number): SoundState {
  if (!g) return { phase: 'none', question: 0, secondsLeft: null };
  if (g.state === 'finished') return { phase: 'finished', question: g.question, secondsLeft: null };
  if (g.state === 'lobby' || !q) return { phase: 'lobby', question: 0, secondsLeft: null };
  if (q.state === 'closed') return { phase: 'closed', question: q.question, secondsLeft: null };
  const phase = questionPhase(q, serverMs);
  if (phase === 'answering') {
    return { phase: 'answering', question: q.question, secondsLeft: Math.ceil((q.deadline_ms - serverMs) / 1000) };
  }
  return { phase: phase === 'reading' ? 'reading' : 'between', question: q.question, secondsLeft: null };
}

/** The big screen's sound (lib/sound.ts): cues from the screen's state,
 *  started by the first click or key press on the page (autoplay rules),
 *  volume and mute as the console sets them. */
export function useScreenSound(pin: string, state: SoundState): { unlocked: boolean; unlock: () => void } {
  const sound = useRef<ScreenSound | null>(null);
  const prev = useRef<SoundState | null>(null);
  const [unlocked, setUnlocked] = useState(false);
  if (sound.current === null) sound.current = new ScreenSound(readSoundSettings(pin));

  const unlock = () => {
    void sound.current?.unlock().then(setUnlocked);
  };

  useEffect(() => {
    const s = sound.current;
    const stop = listenSound(pin, (settings) => s?.set(settings));
    // the host's first click or key on the screen page starts the audio
    const first = () => unlock();
    window.addEventListener('pointerdown', first, { once: true });
    window.addEventListener('keydown', first, { once: true });
    return () => {
      stop();
      window.removeEventListener('pointerdown', first);
      window.removeEventListener('keydown', first);
      s?.close();
    };
  }, [pin]); // unlock only reads the ref

  useEffect(() => {
    const cues = cuesBetween(prev.current, state);
    prev.current = state;
    for (const c of cues) sound.current?.play(c);
  }, [state.phase, state.question, state.secondsLeft]);

  return { unlocked, unlock };
}

/** Shown on the big screen until its sound is on. */
export function SoundGate({ unlocked, unlock }: { unlocked: boolean; unlock: () => void }) {
  const { t } = useTranslation('screen');
  if (unlocked) return null;
  return (
    <button type="button" className="sound-gate" data-testid="sound-gate" onClick={unlock}>
      <span aria-hidden="true">🔊</span> {t('soundGate')}
    </button>
  );
}

/** The console's volume and mute for the big screens of this browser. */
export function SoundControls({ pin }: { pin: string }) {
  const [s, setS] = useState<SoundSettings>(() => readSoundSettings(pin));
  const { t, i18n } = useTranslation('host');
  const pct = new Intl.NumberFormat(hostLocale(i18n.language), { style: 'percent' }).format(s.volume);
  const change = (next: SoundSettings) => {
    setS(next);
    announceSound(pin, next);
  };
  return (
    <fieldset className="sound-controls" data-testid="sound-controls">
      <legend>{t('sound.legend')}</legend>
      <label>
        <input type="checkbox" data-testid="sound-mute" checked={s.muted}
          onChange={(e) => change({ ...s, muted: e.target.checked })} /> {t('sound.mute')}
      </label>
      <label>
        {t('sound.volume')}{' '}
        <input type="range" min={0} max={100} step={5} data-testid="sound-volume"
          value={Math.round(s.volume * 100)} aria-valuetext={pct}
          onChange={(e) => change({ ...s, volume: Number(e.target.value) / 100 })} />
      </label>
    </fieldset>
  );
}
