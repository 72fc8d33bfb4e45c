"""Where an answer's Redis time goes: ``submit_answer.lua`` command by command.

``python -m bench.profile_answer`` (``make profile-answer``) starts a private
redis-server, lays down one game of 100,000 players (as ``bench-engine``
does) and runs timing variants of the answer script against it, each on a
fresh question, every answer from a different player (so every variant does
the full path of a first answer: no ``already_answered``):

- ``dispatch only``: the same EVALSHA, keys and arguments, a script that
  only returns an ``ok`` reply of today's shape: what calling a script costs;
- ``+ reads``: the meta and question HMGETs, then the reply;
- ``+ guard, clock, stats, scoring``: everything before the first write;
- ``full submit_answer``: the script as shipped;
- ``full minus <write>``: the script without that one write (a marginal
  cost: full minus this line);
- ``submit_batch, B per call``: the batch script (one EVALSHA per B answers).

For each it prints the server time per answer spent inside the script
(``INFO commandstats``: EVALSHA usec / answers), redis-server's whole CPU
per answer (``INFO cpu``: also reading requests and writing replies), and,
for the full script, the time Redis spent in each command the script made
(``INFO commandstats`` counts the commands a script calls too). Best of
``--rounds`` per line; the lines of one round run one after another, so
they share the machine's state.
"""

from __future__ import annotations

import argparse
import atexit
import random
import socket
import sys
from collections.abc import Callable
from typing import Any

import hiredis
import redis

from engine import Question, ops
from engine.scripts import SCRIPTS
from testkit.machine import describe
from testkit.redis_server import PrivateRedis

from .bench_engine import CHOICE, GAME, HOST, close_run, open_run, setup

Transform = Callable[[str], str]
OK_REPLY = "return {'ok', 0, 0, 0, 1, 0, 1, 0, 1}\n"


def _cut_before(marker: str) -> Transform:
    """The script up to (not including) ``marker``, then an ``ok`` reply."""

    def t(src: str) -> str:
        i = src.index(marker)
        return src[:i] + OK_REPLY

    return t


def _without(snippet: str, instead: str = "") -> Transform:
    def t(src: str) -> str:
        if src.count(snippet) != 1:
            raise SystemExit(f"the script changed: {snippet!r} not found once")
        return src.replace(snippet, instead)

    return t


def _same(src: str) -> str:
    return src


HEAD_END = "local m = redis.call('HMGET'"
WRITES: list[tuple[str, str, str]] = [
    # (name, the statement as written in submit_answer.lua, what replaces it)
    ("ZADD board", "redis.call('ZADD', KEYS[5], s[1] * 1073741824 + (1073741823 - s[7]), pid)", ""),
    ("HSET stats", "redis.call('HSET', KEYS[4], pid, table.concat(s, ','))", ""),
    (
        "HSET answers (the guard)",
        "redis.call('HSET', KEYS[3], pid,\n  choices .. '|' .. points .. '|'"
        " .. bonus .. '|' .. correct .. '|' .. elapsed .. '|' .. ARGV[5])",
        "",
    ),  # fmt: skip
    ("HINCRBY answered", "redis.call('HINCRBY', KEYS[2], 'answered', 1)", ""),
    (
        "HINCRBY choice count",
        "for _, f in ipairs(counts) do redis.call('HINCRBY', KEYS[2], f, 1) end",
        "",
    ),  # fmt: skip
    (
        "XADD events",
        "redis.call('XADD', KEYS[6], 'MAXLEN', '~', ARGV[4], '*', 't', 'ans', 'q', "
        "ARGV[2], 'p', pid)",
        "",
    ),  # fmt: skip
    (
        "XADD log",
        "redis.call('XADD', KEYS[7], '*', 'p', pid, 'q', ARGV[2], 'c', choices, 't', "
        "elapsed,\n  'pts', points, 'b', bonus, 'ok', correct, 'tot', s[1], 'str', s[2], 'v', s[6], "
        "'val', ARGV[5])",
        "",
    ),  # fmt: skip
    ("SADD dirty", "redis.call('SADD', KEYS[8], pid)", ""),
    ("ZREVRANK (the ack's rank)", "redis.call('ZREVRANK', KEYS[5], pid)", "0"),
]


BATCH_WRITES: list[tuple[str, str, str]] = [
    # the per-answer writes of submit_batch.lua, as written there
    ("ZADD board", "redis.call('ZADD', KEYS[5], s[1] * 1073741824 + (1073741823 - s[7]), pid)", ""),
    (
        "XADD log",
        "redis.call('XADD', KEYS[7], '*', 'p', pid, 'q', n, 'c', choices, 't', S[elapsed],\n"
        "          'pts', sp, 'b', sb, 'ok', sc, 'tot', st1, 'str', st2, 'v', st6, 'val', value)",
        "",
    ),  # fmt: skip
    ("ZREVRANK", "redis.call('ZREVRANK', KEYS[5], pid)", "0"),
]


def variants() -> list[tuple[str, Transform]]:
    out: list[tuple[str, Transform]] = [
        ("dispatch only", lambda src: src[: src.index(HEAD_END)] + OK_REPLY),
        ("+ reads (meta, question)", _cut_before("if not q[1] then")),
        ("+ guard, clock, stats, scoring", _cut_before("local points = base + bonus")),
        ("full submit_answer", _same),
    ]
    for name, snippet, instead in WRITES:
        out.append((f"full minus {name}", _without(snippet, instead)))
    return out


def batch_variants() -> list[tuple[str, Transform]]:
    return [
        (f"minus {name}", _without(snippet, instead)) for name, snippet, instead in BATCH_WRITES
    ]


def _bulk(v: bytes) -> bytes:
    return b"$%d\r\n%s\r\n" % (len(v), v)


def _command(args: list[bytes]) -> bytes:
    return b"*%d\r\n" % len(args) + b"".join(_bulk(a) for a in args)


class Raw:
    """Pipelined raw RESP on one socket, replies parsed by hiredis: the
    client side costs little, and the measure is Redis's own time anyway."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection((HOST, port))
        self.reader = hiredis.Reader()

    def run(self, cmds: list[bytes], window: int = 256) -> list[Any]:
        out: list[Any] = []
        for i in range(0, len(cmds), window):
            part = cmds[i : i + window]
            self.sock.sendall(b"".join(part))
            got = 0
            while got < len(part):
                data = self.sock.recv(1 << 17)
                if not data:
                    raise ConnectionError("redis closed the connection")
                self.reader.feed(data)
                while (r := self.reader.gets()) is not False:
                    out.append(r)
                    got += 1
        return out

    def close(self) -> None:
        self.sock.close()


def single_commands(sha: str, n: int, players: list[int]) -> list[bytes]:
    call = ops.submit_call(GAME, 0, n, [CHOICE], ops.DEFAULT_EVENTS_MAXLEN)
    ks = [str(k).encode() for k in call.args[: call.nkeys]]
    rest = [str(a).encode() for a in call.args[call.nkeys + 1 :]]
    head = [b"EVALSHA", sha.encode(), b"%d" % call.nkeys, *ks]
    return [_command([*head, b"%d" % p, *rest]) for p in players]


def batch_commands(sha: str, n: int, players: list[int], size: int) -> list[bytes]:
    out = []
    for i in range(0, len(players), size):
        call = ops.submit_batch_call(
            GAME, n, [(p, ops.answer_of([CHOICE])) for p in players[i : i + size]],
            ops.DEFAULT_EVENTS_MAXLEN,
        )  # fmt: skip
        args = [b"EVALSHA", sha.encode(), b"%d" % call.nkeys]
        out.append(_command(args + [str(a).encode() for a in call.args]))
    return out


def cpu(r: redis.Redis) -> float:
    info = r.info("cpu")
    return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])


def statuses(replies: list[Any], batched: bool) -> dict[str, int]:
    seen: dict[str, int] = {}
    flat = [x for b in replies for x in b] if batched else replies
    for x in flat:
        if isinstance(x, hiredis.ReplyError):
            raise SystemExit(f"redis refused a call: {x}")
        k = x[0].decode()
        seen[k] = seen.get(k, 0) + 1
    return seen


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--players", type=int, default=100_000)
    ap.add_argument("--answers", type=int, default=20_000, help="per line, from distinct players")
    ap.add_argument("--rounds", type=int, default=3, help="repeat each line, keep the best")
    ap.add_argument("--batch", type=int, nargs="*", default=[64, 512], help="batch sizes")
    ap.add_argument("--only", default="", help="only the lines whose name holds this text")
    a = ap.parse_args()
    # (name, script, transform, answers per call: 0 for submit_answer)
    lines: list[tuple[str, str, Transform, int]] = [
        (name, "submit_answer", t, 0) for name, t in variants()
    ]
    for b in a.batch:
        lines.append((f"submit_batch, {b} per call", "submit_batch", _same, b))
    for name, t in batch_variants():
        lines.append((f"submit_batch, {a.batch[-1]}, {name}", "submit_batch", t, a.batch[-1]))
    lines = [x for x in lines if a.only in x[0] or x[0] == "full submit_answer"]
    qs = [
        Question(f"Q{i}", ["a", "b", "c", "d"], {CHOICE}, 240) for i in range(a.rounds * len(lines))
    ]
    server = PrivateRedis().start()
    atexit.register(server.destroy)
    r = server.client()
    setup(r, a.players, qs)
    shas = {name: r.script_load(t(SCRIPTS[script].source)) for name, script, t, _ in lines}
    raw = Raw(server.port)
    rng = random.Random(5)
    best: dict[str, tuple[float, float, dict[str, float]]] = {}
    n = 0
    for _ in range(a.rounds):
        for name, _script, _t, size in lines:
            n += 1
            open_run(r, n)
            players = rng.sample(range(a.players), a.answers)
            if size:
                cmds = batch_commands(shas[name], n, players, size)
            else:
                cmds = single_commands(shas[name], n, players)
            r.config_resetstat()
            c0 = cpu(r)
            replies = raw.run(cmds, window=max(1, 256 // max(1, size)))
            c1 = cpu(r)
            stats = r.info("commandstats")
            close_run(r, n, a.answers)
            seen = statuses(replies, size > 0)
            if seen.get("ok") != a.answers:
                raise SystemExit(f"{name}: expected {a.answers} ok replies, got {seen}")
            inner = {
                k.removeprefix("cmdstat_"): float(v["usec"]) / a.answers
                for k, v in stats.items()
                if k.startswith("cmdstat_")
            }
            script_us = inner.pop("evalsha", 0.0)
            for k in ("config|resetstat", "config", "info"):
                inner.pop(k, None)
            row = (script_us, (c1 - c0) * 1e6 / a.answers, inner)
            if name not in best or row[0] < best[name][0]:
                best[name] = row
    raw.close()

    full = best["full submit_answer"][0]
    width = max(len(line[0]) for line in lines)
    print(f"answers per line: {a.answers:,} from distinct players of {a.players:,}; "
          f"best of {a.rounds} rounds")  # fmt: skip
    head = f"{'variant':<{width}} {'script us/ans':>13} {'vs full':>8} {'redis cpu us/ans':>16}"
    print(head)
    print("-" * len(head))
    for name, *_ in lines:
        us, cpu_us, _ = best[name]
        print(f"{name:<{width}} {us:>13.2f} {us - full:>+8.2f} {cpu_us:>16.2f}")
    print("script us/ans: time inside EVALSHA per answer (INFO commandstats)")
    print("vs full: minus the full script's; a 'full minus X' line's |vs full| is X's cost")
    print("redis cpu us/ans: all of redis-server's CPU per answer (INFO cpu), I/O included")
    print()
    for name in ("full submit_answer", f"submit_batch, {a.batch[-1]} per call"):
        if name not in best:
            continue
        whole, _, inner = best[name]
        print(f"inside {name}, per answer (INFO commandstats of the commands it calls):")
        total = 0.0
        for k, us in sorted(inner.items(), key=lambda kv: -kv[1]):
            total += us
            print(f"  {k:<10} {us:6.2f} us")
        print(f"  {'commands':<10} {total:6.2f} us of {whole:.2f}: the rest ({whole - total:.2f} us)"
              " is Lua, the calls' argument and reply conversion, and the script call")  # fmt: skip
    print()
    print(describe())


if __name__ == "__main__":
    sys.exit(main())
