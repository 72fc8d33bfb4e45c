// The lobby: how to join (address, PIN, QR) and the count on the left, the
// wall of the newest joiners (or, with teams, the team board) on the right.
import type { ReactNode } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { formatNumber } from '../../i18n/format';
import type { PlayerRef } from '../../lib/protocol';
import { NameWall } from './NameWall';

export function ScreenLobby({ title, pin, qr, joinUrl, players, wall, teamBoard }: {
  title: string;
  pin: string;
  qr: string | null;
  joinUrl: string;
  players: number;
  wall: PlayerRef[];
  /** with teams: the team board takes the wall's place */
  teamBoard?: ReactNode;
}) {
  const { t } = useTranslation('screen');
  return (
    <div className={teamBoard ? 'show-lobby with-teams' : 'show-lobby'} data-testid="screen-lobby">
      <div className="lobby-join">
        <h1 className="lobby-title" dir="auto">{title}</h1>
        <p className="join-how">
          <Trans ns="screen" i18nKey="joinHow" values={{ host: location.host }} components={{ b: <strong dir="ltr" /> }} />
        </p>
        <p className="huge-pin" data-testid="screen-pin" dir="ltr">{pin}</p>
        {qr && <img className="qr" src={qr} alt={t('qrAlt', { url: joinUrl })} width={360} height={360} />}
        <p className="screen-count" data-testid="screen-players">{t('players', { ns: 'common', count: players, n: formatNumber(players) })}</p>
      </div>
      <div className="lobby-wall">{teamBoard ?? <NameWall wall={wall} />}</div>
    </div>
  );
}
