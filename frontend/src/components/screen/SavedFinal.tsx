// The podium for a big screen reloaded after its game was saved: the final
// save frees the PIN, so the socket closes 4404 ("no game"), and the
// screen asks GET /api/games/<pin>/final with its own token instead
// (docs/api.md), then shows the same podium as at the end (3rd, 2nd, 1st;
// all at once with reduced motion), in the game's brand.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { brandStyle } from '../../lib/brand';
import type { Brand, Entry, TeamEntry } from '../../lib/protocol';
import { BrandLogo } from '../BrandLogo';
import { TeamPodium } from '../teams';
import { ScreenPodium } from './Podium';

export interface ScreenFinal {
  pin: string; title: string; players: number; podium: Entry[]; teams_podium: TeamEntry[] | null; brand: Brand;
}

/** 'loading' while asking, the final once known, null when the server has
 *  none for this token (another game, or not saved: then "no longer available"). */
export function useSavedFinal(pin: string, token: string, active: boolean): ScreenFinal | 'loading' | null {
  const [got, setGot] = useState<ScreenFinal | 'loading' | null>('loading');
  useEffect(() => {
    if (!active) return;
    let live = true;
    fetch(`/api/games/${pin}/final`, {
      headers: { Accept: 'application/json', Authorization: `Screen ${token}` }, credentials: 'same-origin',
    }).then(
      async (r) => { const d = r.ok ? ((await r.json()) as ScreenFinal) : null; if (live) setGot(d); },
      () => { if (live) setGot(null); },
    );
    return () => { live = false; };
  }, [pin, token, active]);
  return got;
}

export function ScreenSavedFinal({ final }: { final: ScreenFinal }) {
  const { t } = useTranslation('brand');
  const teams = final.teams_podium && final.teams_podium.length > 0 ? <TeamPodium podium={final.teams_podium} /> : null;
  return (
    <main className={`page screen show${final.brand.accent ? ' branded' : ''}`} data-view="final" style={brandStyle(final.brand)}>
      <div className={teams ? 'show-final with-teams' : 'show-final'} data-testid="screen-final">
        <h1 className="show-final-title">{t('finalTitle', { title: final.title })}</h1>
        <div className="show-final-podiums">
          <ScreenPodium podium={final.podium} />
          {teams}
        </div>
      </div>
      <BrandLogo brand={final.brand} place="screen-corner" testId="screen-logo" />
    </main>
  );
}
