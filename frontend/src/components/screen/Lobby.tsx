// The lobby: how to join (address, PIN, QR) and the count on the left, the
// wall of the newest joiners (or, with teams, the team board) on the right.
import type { ReactNode } from 'react';
import type { PlayerRef } from '../../lib/protocol';
import { playersLabel } from '../../lib/wall';
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
  return (
    <div className={teamBoard ? 'show-lobby with-teams' : 'show-lobby'} data-testid="screen-lobby">
      <div className="lobby-join">
        <h1 className="lobby-title">{title}</h1>
        <p className="join-how">Join at <strong>{location.host}/play</strong> with PIN</p>
        <p className="huge-pin" data-testid="screen-pin">{pin}</p>
        {qr && <img className="qr" src={qr} alt={`QR code to join: ${joinUrl}`} width={360} height={360} />}
        <p className="screen-count" data-testid="screen-players">{playersLabel(players)}</p>
      </div>
      <div className="lobby-wall">{teamBoard ?? <NameWall wall={wall} />}</div>
    </div>
  );
}
