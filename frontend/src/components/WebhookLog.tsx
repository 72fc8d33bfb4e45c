import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { hostLocale } from '../lib/hostconsole';

/** GET /api/games/<pin>/webhooks (docs/protocol.md, "Webhooks"). */
export interface WebhookDelivery {
  id: string;
  event: string;
  url: string;
  attempt: number;
  status_code: number | null;
  error: string;
  delivered: boolean;
  ms: number;
  at: string;
}

export interface WebhookLogData {
  webhook: boolean;
  url: string;
  events: { id: string; event: string; attempts: number; state: string; created?: string }[];
  deliveries: WebhookDelivery[];
}

/** The game's webhook deliveries, refreshed every 5 s while shown. */
export function WebhookLog({ pin }: { pin: string }) {
  const [log, setLog] = useState<WebhookLogData | null>(null);
  const { t, i18n } = useTranslation('host');
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () => api<WebhookLogData>('GET', `/api/games/${pin}/webhooks`).then(
      // a game without a webhook never gets one: no more asking
      (d) => { if (live) { setLog(d); if (d.webhook) timer = setTimeout(load, 5000); } },
      () => { if (live) timer = setTimeout(load, 5000); },
    );
    load();
    return () => { live = false; clearTimeout(timer); };
  }, [pin]);
  if (!log || !log.webhook) return null;
  return (
    <section className="card" data-testid="webhook-log" aria-label={t('webhook.label')}>
      <h2>{t('webhook.heading')}</h2>
      <p className="muted">{t('webhook.to')} <code>{log.url}</code></p>
      <table>
        <thead><tr><th>{t('webhook.event')}</th><th>{t('webhook.id')}</th><th>{t('webhook.attempts')}</th><th>{t('webhook.state')}</th></tr></thead>
        <tbody>
          {log.events.map((e) => (
            <tr key={e.id} data-testid={`webhook-event-${e.event}`} data-state={e.state}>
              <td>{e.event}</td><td><code>{e.id}</code></td><td>{e.attempts}</td><td>{e.state}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <details>
        <summary>{t('webhook.every', { count: log.deliveries.length })}</summary>
        <ul>
          {log.deliveries.map((d) => (
            <li key={`${d.id}-${d.attempt}`}>
              {new Date(d.at).toLocaleTimeString(hostLocale(i18n.language))} {d.event} #{d.attempt}: {d.delivered ? t('webhook.delivered') : (d.status_code ?? d.error)} ({t('webhook.ms', { ms: d.ms })})
            </li>
          ))}
        </ul>
      </details>
    </section>
  );
}
