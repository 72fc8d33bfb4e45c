import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { currentLanguage } from '../i18n';

export type NamesMode = 'off' | 'offered' | 'required';

/** A game's generated names (docs/api.md, "Generated player names"): the
 *  join form gets a suggestion in the browser's language and a reroll. With
 *  `required` the nickname field only shows it (the server accepts nothing
 *  else); with `offered` the player may still type their own. */
export function NameReroll({ pin, mode, onName }: { pin: string; mode: NamesMode; onName: (name: string) => void }) {
  const { t } = useTranslation('play');
  const [busy, setBusy] = useState(false);
  // names in the phone's language (the switcher's choice, else the browser's)
  const lng = currentLanguage();
  const draw = useCallback(() => {
    setBusy(true);
    const lang = encodeURIComponent(lng);
    api<{ nickname: string }>('GET', `/api/games/${pin}/name?lang=${lang}`).then(
      (r) => { onName(r.nickname); setBusy(false); },
      () => setBusy(false),
    );
  }, [pin, onName, lng]);
  useEffect(() => {
    if (mode !== 'off') draw();
  }, [mode, draw]);
  if (mode === 'off') return null;
  return (
    <p className="name-reroll">
      <button type="button" className="btn" data-testid="name-reroll" onClick={draw} disabled={busy}>
        <span aria-hidden="true">🎲</span> {t('join.anotherName')}
      </button>
      {mode === 'required' && <span className="muted small"> {t('join.namesRequired')}</span>}
    </p>
  );
}
