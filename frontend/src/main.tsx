import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { useTranslation } from 'react-i18next';
import { LanguageSelect } from './components/LanguageSelect';
import { HostGame } from './pages/HostGame';
import { HostHome, QuizEditor } from './pages/Host';
import { PlayPage } from './pages/Play';
import { ScreenPage } from './pages/Screen';
import { useLocation } from './router';
import './i18n';
import './styles.css';

// the report page carries Chart.js: loaded on its own, so phones never download it
const ReportPage = lazy(() => import('./pages/Report').then((m) => ({ default: m.ReportPage })));

function Home() {
  const { t } = useTranslation('play');
  return (
    <main className="page narrow center home">
      <h1 className="brand">Stadium</h1>
      <p>{t('home.tagline')}</p>
      <a className="btn primary big" href="/play">{t('home.join')}</a>
      <a className="btn big" href="/host">{t('home.host')}</a>
      <LanguageSelect />
    </main>
  );
}

function NotFound() {
  const { t } = useTranslation('play');
  return <main className="page narrow"><h1>{t('home.notFound')}</h1><p><a href="/">{t('home.home')}</a></p></main>;
}

function App() {
  const { path, search } = useLocation();
  let m: RegExpMatchArray | null;
  if ((m = path.match(/^\/play\/(\d{6})\/?$/))) return <PlayPage key={m[1]} pin={m[1]} queryPin={null} />;
  if (/^\/play\/?$/.test(path)) return <PlayPage pin={null} queryPin={search.get('pin')} />;
  if ((m = path.match(/^\/screen\/(\d{6})\/?$/))) return <ScreenPage pin={m[1]} />;
  if ((m = path.match(/^\/host\/game\/(\d{6})\/?$/))) return <HostGame key={m[1]} pin={m[1]} />;
  if ((m = path.match(/^\/host\/report\/(\d{6})\/?$/))) return <Suspense fallback={<main className="page"><p className="muted">Loading the report…</p></main>}><ReportPage key={m[1]} pin={m[1]} /></Suspense>;
  if (/^\/host\/quizzes\/new\/?$/.test(path)) return <QuizEditor key="new" id={null} />;
  if ((m = path.match(/^\/host\/quizzes\/(\d+)\/?$/))) return <QuizEditor key={m[1]} id={Number(m[1])} />;
  if (/^\/host\/?$/.test(path)) return <HostHome />;
  if (path === '/' || path === '') return <Home />;
  return <NotFound />;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
