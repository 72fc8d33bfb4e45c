// The host pages' language switcher (console, quiz list, editor, report):
// a labelled <select> of every language, each named in itself. The choice
// is kept on this device (i18n/setLanguage), so a reload keeps it.
import { useTranslation } from 'react-i18next';
import { currentLanguage, isLanguage, LANGUAGE_NAMES, LANGUAGES, setLanguage } from '../i18n';

export function LanguageSwitch({ id = 'host-language' }: { id?: string }) {
  // useTranslation re-renders this on a language change
  const { t } = useTranslation('host');
  const lng = currentLanguage();
  return (
    <span className="lang-switch">
      <label htmlFor={id}>{t('language')}</label>
      <select id={id} data-testid="host-language" value={lng}
        onChange={(e) => { if (isLanguage(e.target.value)) setLanguage(e.target.value); }}>
        {LANGUAGES.map((l) => <option key={l} value={l} lang={l}>{LANGUAGE_NAMES[l]}</option>)}
      </select>
    </span>
  );
}
