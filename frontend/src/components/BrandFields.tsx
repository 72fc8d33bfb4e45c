// The quiz editor's Branding section (docs/quizzes.md, "Branding"): the
// accent colour, the logo as an https URL or an uploaded image, a preview
// as the show draws them, and removal. Each change is saved at once through
// the brand endpoints (not the quiz document's Save: the editor's PUT
// leaves the brand alone). An upload is pre-checked here by type and size;
// the server checks the bytes themselves and its refusal is shown.
import { useEffect, useState, type ChangeEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, csrfToken } from '../api';
import { brandStyle, logoPrecheck } from '../lib/brand';
import '../brand.css';

/** GET/PUT /api/quizzes/<id>/brand */
export interface QuizBrand {
  accent: string | null;
  logo_url: string | null;
  logo: string | null;
  uploaded: { url: string; content_type: string; width: number; height: number; bytes: number } | null;
}

const DEFAULT_ACCENT = '#ffd23f';
/** The server's codes this section words itself (brand.json "errors"). */
const CODES = ['bad_accent', 'bad_logo_url', 'logo_type', 'logo_too_large', 'logo_dimensions'];

export function BrandFields({ quizId }: { quizId: number | null }) {
  const { t } = useTranslation('brand');
  const [brand, setBrand] = useState<QuizBrand | null>(null);
  const [accent, setAccent] = useState(DEFAULT_ACCENT);
  const [url, setUrl] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const show = (b: QuizBrand) => {
    setBrand(b);
    setAccent(b.accent ?? DEFAULT_ACCENT);
    setUrl(b.logo_url ?? '');
  };
  useEffect(() => {
    if (quizId === null) return;
    let live = true;
    api<QuizBrand>('GET', `/api/quizzes/${quizId}/brand`).then((b) => { if (live) show(b); }, (e) => { if (live) setError(wordsOf(e)); });
    return () => { live = false; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [quizId]);

  function wordsOf(e: unknown): string {
    if (e instanceof ApiError) {
      if (CODES.includes(e.code)) return t(`errors.${e.code}`, { message: e.message });
      return e.message || t('errors.failed');
    }
    return t('errors.failed');
  }

  async function run(work: () => Promise<QuizBrand>) {
    setBusy(true);
    setError(null);
    try {
      show(await work());
    } catch (e) {
      setError(wordsOf(e));
    } finally {
      setBusy(false);
    }
  }

  if (quizId === null) {
    return (
      <section className="card brand-fields" aria-labelledby="brand-title" data-testid="brand-fields">
        <h2 id="brand-title">{t('title')}</h2>
        <p className="muted">{t('saveFirst')}</p>
      </section>
    );
  }
  const path = `/api/quizzes/${quizId}`;
  const setFields = (body: Partial<Pick<QuizBrand, 'accent' | 'logo_url'>>) => run(() => api<QuizBrand>('PUT', `${path}/brand`, body));
  const saveUrl = () => setFields({ logo_url: url.trim() || null });
  const onUrlKey = (e: KeyboardEvent<HTMLInputElement>) => {
    // Enter here saves the URL, not the whole quiz form around it
    if (e.key === 'Enter') { e.preventDefault(); void saveUrl(); }
  };

  async function upload(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    e.target.value = ''; // the same file again is a new choice
    if (!file) return;
    const no = logoPrecheck(file);
    if (no) return setError(t(`errors.${no}`, { message: '' }));
    await run(async () => {
      const form = new FormData();
      form.append('file', file);
      const r = await fetch(`${path}/logo`, {
        method: 'POST', body: form, credentials: 'same-origin',
        headers: { Accept: 'application/json', 'X-CSRFToken': await csrfToken() },
      });
      const data = await r.json().catch(() => ({}));
      if (!r.ok) throw new ApiError(r.status, data.error ?? `http_${r.status}`, data.message ?? '');
      return data as QuizBrand;
    });
  }

  const preview = brand?.accent ?? null;
  return (
    <section className="card brand-fields" aria-labelledby="brand-title" data-testid="brand-fields">
      <h2 id="brand-title">{t('title')}</h2>
      <p className="muted small">{t('help')}</p>

      <label htmlFor="brand-accent">{t('accent')}</label>
      <div className="brand-row">
        <input id="brand-accent" type="color" value={accent} data-testid="brand-accent"
          onChange={(e) => setAccent(e.target.value)} />
        <code>{accent}</code>
        <button type="button" className="btn small" disabled={busy} data-testid="brand-accent-save"
          onClick={() => setFields({ accent })}>{t('accentSave')}</button>
        {brand?.accent && (
          <button type="button" className="btn small" disabled={busy} data-testid="brand-accent-clear"
            onClick={() => setFields({ accent: null })}>{t('accentClear')}</button>
        )}
      </div>

      <label htmlFor="brand-logo-url">{t('logoUrl')}</label>
      <div className="brand-row">
        <input id="brand-logo-url" type="url" inputMode="url" placeholder="https://…" value={url} maxLength={500}
          data-testid="brand-logo-url" onChange={(e) => setUrl(e.target.value)} onKeyDown={onUrlKey} />
        <button type="button" className="btn small" disabled={busy} data-testid="brand-logo-url-save" onClick={saveUrl}>
          {t('logoUrlSave')}
        </button>
      </div>

      <label htmlFor="brand-logo-file">{t('logoFile')}</label>
      <div className="brand-row">
        <input id="brand-logo-file" type="file" accept="image/png,image/jpeg,image/webp,image/gif" disabled={busy}
          data-testid="brand-logo-file" aria-describedby="brand-logo-rules" onChange={upload} />
        <span id="brand-logo-rules" className="muted small">{t('logoRules')}</span>
      </div>

      {error && <p className="error" role="alert" data-testid="brand-error">{error}</p>}

      <div className="brand-preview" style={brandStyle(brand ? { accent: preview, logo: brand.logo } : null)}
        data-testid="brand-preview" role="group" aria-label={t('preview')}>
        {brand?.logo ? <img src={brand.logo} alt={t('logoAlt')} data-testid="brand-preview-logo" /> : <span className="muted">{t('noLogo')}</span>}
        <span className="brand-chip" data-testid="brand-preview-chip">{t('sample')}</span>
        {brand?.logo && (
          <button type="button" className="btn small danger" disabled={busy} data-testid="brand-logo-remove"
            onClick={() => run(() => api<QuizBrand>('DELETE', `${path}/logo`))}>{t('logoRemove')}</button>
        )}
      </div>
      {busy && <p className="muted small" role="status">{t('saving')}</p>}
    </section>
  );
}
