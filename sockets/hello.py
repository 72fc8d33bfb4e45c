"""The first frame: hello, its token checked against the game behind the
PIN (docs/protocol.md, "Connecting"). A refused hello closes the socket;
an accepted one joins the process's relay of the game and gets a welcome.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from engine import ops
from engine.auth import hash_token, token_matches
from quiz import ratelimit
from quiz.redis import async_engine

from . import messages as m
from .relay import RELAYS, relay_for

if TYPE_CHECKING:
    from .consumers import GameConsumer


def live_game_of_pin(pin: str) -> str | None:
    """The game of a live relay of this process with that PIN: a PIN is
    released only when its game ends, which the relay sees, so a reconnect
    storm's hellos skip one Redis round trip each."""
    for r in RELAYS.values():
        if r.pin == pin and not (r.stopped or r.finished or r.lost):
            return r.game
    return None


async def hello(c: GameConsumer, msg: m.Hello) -> None:
    eng = async_engine()
    game = live_game_of_pin(c.pin) or await eng.run(ops.game_of_pin(c.pin))
    if game is None:
        # A PIN whose game Redis lost (restart without AOF) is back after
        # rebuild_game: a phone of it must retry, not give up.
        lost = any(r.lost and r.pin == c.pin for r in RELAYS.values())
        if lost:
            return c.close_soon(m.CLOSE_TRY_AGAIN)
        return await refuse_hello(c, m.CLOSE_NO_GAME)
    if not await authenticate(c, game, msg.token):
        return await refuse_hello(c, m.CLOSE_NO_HELLO)
    c.hello_timer.cancel()
    relay = await relay_for(game, c.pin)
    c.outbox.hold()  # broadcasts from now on wait behind the welcome
    who = c.player if c.player is not None else hash_token(msg.token)
    c.register(relay, (game, c.role, who))
    await c.send_welcome()


async def refuse_hello(c: GameConsumer, code: int) -> None:
    """A hello with an unknown PIN or a wrong token counts as a PIN probe
    of the client's address, like an HTTP join with an unknown PIN. Past
    the limit every refused hello closes with 4429, so a prober can no
    longer tell a live PIN (4401) from a dead one (4404); a valid token
    is never refused, so a stadium's phones behind one address keep
    reconnecting whatever strangers there mistype."""
    limit, addr = ratelimit.pin_probe(), client_addr(c)
    try:
        await ratelimit.acheck(limit, addr)
    except ratelimit.RateLimited:
        return c.close_soon(m.CLOSE_FLOOD)
    await ratelimit.afail(limit, addr)
    c.close_soon(code)


def client_addr(c: GameConsumer) -> str:
    # uvicorn puts a trusted proxy's X-Forwarded-For here (--proxy-headers)
    client = c.scope.get("client")
    return str(client[0]) if client else "unknown"


async def authenticate(c: GameConsumer, game: str, token: str) -> bool:
    """Whether ``token`` opens this socket's role in ``game``; a player's
    also sets ``c.player`` (a kicked player's token is refused)."""
    eng = async_engine()
    if c.role == "player":
        pid = await eng.run(ops.player_of_token(game, hash_token(token)))
        if pid is None:
            return False
        standing = (await eng.run(ops.standings(game, [pid])))[0]
        if standing is None or standing.stats.kicked:
            return False
        c.player = pid
        return True
    st = await eng.run(ops.game_state(game))
    if st is None:
        return False
    if token_matches(token, st.host_token_hash):
        return True
    return c.role == "screen" and token_matches(token, st.screen_token_hash)
