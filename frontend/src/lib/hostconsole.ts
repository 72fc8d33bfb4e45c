// The host console's pure helpers (kept out of the page for unit tests).

/** Joining as the server has it: open; closed by the host's lock (or a
 *  full game), which "Allow joining" lifts; or closed for good because
 *  late join is off and a question has been started. */
export function joinState(g: { join_open: boolean; late_join?: boolean; state: string }): 'open' | 'locked' | 'started' {
  if (g.join_open) return 'open';
  return g.late_join === false && g.state !== 'lobby' ? 'started' : 'locked';
}
