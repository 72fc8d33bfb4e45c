// The phone's language switcher: a labelled <select> (keyboard and screen
// reader work as with any select), each language named in itself. The
// choice is kept on this device (i18n setLanguage) and wins over the
// browser's language from then on. `compact`: the player's header, where
// a 320 px phone has room for a two-letter code only (the label stays for
// screen readers, each option says its language in full).
import { useTranslation } from 'react-i18next';
import { currentLanguage, isLanguage, LANGUAGE_NAMES, LANGUAGES, setLanguage } from '../i18n';

export function LanguageSelect({ compact = false }: { compact?: boolean }) {
  const { t } = useTranslation('common');
  const lng = currentLanguage();
  return (
    <label className={compact ? 'lang-select compact' : 'lang-select'}>
      <span aria-hidden="true">🌐</span>
      <span className={compact ? 'sr-only' : 'lang-label'}>{t('language')}</span>
      <select value={lng} data-testid="lang-select" dir="auto"
        onChange={(e) => { if (isLanguage(e.target.value)) setLanguage(e.target.value); }}>
        {LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l} label={compact ? l.toUpperCase() : LANGUAGE_NAMES[l]}>
            {LANGUAGE_NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
