import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorText } from '../api';
import { gameAction, pageCount, stateWords, when, type GamesPage } from '../lib/gameslist';
import { navigate } from '../router';
import { hostLocale } from '../lib/hostconsole';

const PAGE_SIZE = 10;

/** "Your games" on the console's home: newest first, by pages of 10. Live
 *  games resume in the console from any tab or device (the console gets
 *  the host key from the API when this tab does not hold it); saved ones
 *  link their report and results. */
export function GamesList() {
  const [page, setPage] = useState(1);
  const [data, setData] = useState<GamesPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { t, i18n } = useTranslation('host');
  const lng = hostLocale(i18n.language); // dates of the region (pt-BR, de-CH)
  useEffect(() => {
    let live = true;
    api<GamesPage>('GET', `/api/games?page=${page}&page_size=${PAGE_SIZE}`).then(
      (d) => { if (live) { setData(d); setError(null); } },
      (e) => { if (live) setError(errorText(e)); },
    );
    return () => { live = false; };
  }, [page]);
  const pages = data ? pageCount(data) : 1;
  return (
    <section aria-labelledby="games-heading" data-testid="games-list">
      <h2 id="games-heading">{t('games.heading')}</h2>
      {error && <p className="error" role="alert">{error}</p>}
      {!data ? (!error && <p className="muted">{t('loading')}</p>) : data.total === 0 ? <p className="muted">{t('games.empty')}</p> : (
        <>
          <ul className="quiz-list">
            {data.games.map((g) => {
              const action = gameAction(g);
              return (
                <li key={g.game} className="card quiz-item" data-testid={`game-row-${g.pin}`}>
                  <div>
                    <strong className="quiz-title" dir="auto">{g.title}</strong>
                    <span className="muted"> · {t('games.pin', { pin: g.pin })} · {g.live ? t('games.live', { state: stateWords(g.state) }) : stateWords(g.state)} · {t('games.players', { count: g.players })}</span>
                  </div>
                  <div className="muted">{t('games.when', { started: when(g.started, lng), finished: when(g.finished, lng) })}</div>
                  <div className="actions">
                    {action === 'resume' && (
                      <a className="btn primary" href={`/host/game/${g.pin}`} data-testid={`game-resume-${g.pin}`}
                        onClick={(e) => { e.preventDefault(); navigate(`/host/game/${g.pin}`); }}>{t('games.resume')}</a>
                    )}
                    {action === 'elsewhere' && <span className="muted" data-testid={`game-elsewhere-${g.pin}`}>{t('games.elsewhere')}</span>}
                    {action === 'saving' && <span className="muted">{t('games.saving')}</span>}
                    {action === 'gone' && <span className="muted">{t('games.gone')}</span>}
                    {action === 'report' && (
                      <>
                        <a className="btn primary" href={`/host/report/${g.pin}`} data-testid={`game-report-${g.pin}`}
                          onClick={(e) => { e.preventDefault(); navigate(`/host/report/${g.pin}`); }}>{t('games.report')}</a>
                        <a className="btn" href={`/api/games/${g.pin}/results?format=csv`} download={`stadium-${g.pin}.csv`}>{t('games.csv')}</a>
                      </>
                    )}
                  </div>
                </li>
              );
            })}
          </ul>
          <div className="actions">
            <button type="button" className="btn small" data-testid="games-prev" disabled={page <= 1} onClick={() => setPage((p) => Math.max(1, p - 1))}>{t('games.newer')}</button>
            <span className="muted" aria-live="polite">{t('games.page', { page: data.page, pages, count: data.total })}</span>
            <button type="button" className="btn small" data-testid="games-next" disabled={page >= pages} onClick={() => setPage((p) => p + 1)}>{t('games.older')}</button>
          </div>
        </>
      )}
    </section>
  );
}
