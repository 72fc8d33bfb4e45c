"""The outbox in-process, no server: a send that completes at once is made
inline and in order; a send that suspends moves to a task while later frames
wait in a bounded queue whose oldest frame is dropped when full; held frames
follow the welcome; a failed send closes the outbox. Where the server
offers a synchronous write of framed bytes, frames go there instead of the
send, and never ahead of a frame still waiting on the send."""

from __future__ import annotations

import asyncio
from typing import Any

from wsproto.frame_protocol import FrameProtocol

from sockets.outbox import Outbox
from sockets.wire import framed


class Peer:
    """An ASGI send that records frames; while ``gate`` is set, each send
    waits on it (a client whose TCP window is full)."""

    def __init__(self) -> None:
        self.got: list[str] = []
        self.gate: asyncio.Future[None] | None = None
        self.fail = False

    async def send(self, msg: dict[str, Any]) -> None:
        if self.fail:
            raise ConnectionResetError("gone")
        if self.gate is not None:
            await self.gate
        self.got.append(msg["text"])

    def block(self) -> None:
        self.gate = asyncio.get_running_loop().create_future()

    def unblock(self) -> None:
        assert self.gate is not None
        gate, self.gate = self.gate, None
        gate.set_result(None)


async def settle() -> None:
    for _ in range(20):  # a few loop turns: the send task runs its queue
        await asyncio.sleep(0)


async def test_sends_that_do_not_suspend_are_made_inline_in_order() -> None:
    peer = Peer()
    box = Outbox(peer.send)
    for i in range(5):
        box.push(f"f{i}")
    assert peer.got == [f"f{i}" for i in range(5)]  # no await in between: inline
    assert not box._busy and box.dropped == 0


async def test_a_suspended_send_queues_later_frames_then_sends_them_in_order() -> None:
    peer = Peer()
    box = Outbox(peer.send, limit=8)
    peer.block()
    box.push("a")
    box.push("b")
    box.push("c")
    assert peer.got == [] and box._busy
    peer.unblock()
    await settle()
    assert peer.got == ["a", "b", "c"] and not box._busy


async def test_a_full_queue_drops_its_oldest_frame() -> None:
    peer = Peer()
    box = Outbox(peer.send, limit=3)
    peer.block()
    for i in range(7):
        box.push(f"f{i}")  # f0 is being sent; f1..f6 compete for 3 places
    assert box.dropped == 3
    peer.unblock()
    await settle()
    assert peer.got == ["f0", "f4", "f5", "f6"]


async def test_frames_held_during_a_welcome_follow_it() -> None:
    peer = Peer()
    box = Outbox(peer.send, limit=2)
    box.hold()
    for i in range(4):
        box.push(f"b{i}")
    assert peer.got == []
    box.release("welcome")
    assert peer.got == ["welcome", "b2", "b3"]  # older ones: the client resyncs on the gap
    box.push("next")
    assert peer.got[-1] == "next"


async def test_a_failed_send_closes_the_outbox_and_later_frames_are_ignored() -> None:
    peer = Peer()
    box = Outbox(peer.send)
    peer.fail = True
    box.push("x")
    assert box.closed
    peer.fail = False
    box.push("y")
    assert peer.got == []


async def test_a_send_failing_after_suspending_closes_and_clears_the_queue() -> None:
    peer = Peer()
    box = Outbox(peer.send)
    peer.block()
    box.push("a")
    box.push("b")
    assert peer.gate is not None
    peer.gate.set_exception(ConnectionResetError("gone"))
    peer.gate = None
    await settle()
    assert box.closed and not box._busy and peer.got == []
    box.push("c")
    assert peer.got == []


class Transport:
    """The server's synchronous write of framed bytes (sockets.ws_server):
    records what it took into the peer's list, or refuses while paused."""

    def __init__(self, peer: Peer) -> None:
        self.peer = peer
        self.paused = False
        self.took: list[bytes] = []

    def write(self, data: bytes) -> bool:
        if self.paused:
            return False
        self.took.append(data)
        self.peer.got.append(unframe(data))
        return True


def unframe(data: bytes) -> str:
    """The text of one server frame, parsed as a client would."""
    client = FrameProtocol(client=True, extensions=[])
    client.receive_bytes(data)
    (frame,) = list(client.received_frames())
    assert frame.message_finished
    return str(frame.payload)


async def test_framed_bytes_go_straight_to_the_transport_without_a_send() -> None:
    peer = Peer()
    wire = Transport(peer)
    box = Outbox(peer.send, write=wire.write)
    shared = framed("tick")
    box.push("tick", shared)
    box.push("ack ⚽")  # a frame of its own: framed here
    assert peer.got == ["tick", "ack ⚽"]
    assert wire.took[0] is shared  # the broadcast's bytes, not a copy
    assert wire.took[1] == framed("ack ⚽")


async def test_a_refused_write_takes_the_send_and_later_frames_keep_their_order() -> None:
    peer = Peer()
    wire = Transport(peer)
    box = Outbox(peer.send, limit=8, write=wire.write)
    wire.paused = True  # the transport asked to pause writing
    peer.block()  # and the ASGI send waits for it
    box.push("a")
    wire.paused = False
    box.push("b", framed("b"))  # the transport would take it, but "a" is still on its way
    box.push("c")
    assert peer.got == [] and box._busy and wire.took == []
    peer.unblock()
    await settle()
    assert peer.got == ["a", "b", "c"] and not box._busy and wire.took == []
    box.push("d")
    assert peer.got[-1] == "d" and len(wire.took) == 1
