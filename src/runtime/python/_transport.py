"""The client's transports and errors: the WebSocket connection to the chat core (reopened on request), what any
other transport must do, and the checks of the options they share (simplex-api-codegen's Python runtime)."""

from __future__ import annotations

import asyncio
import importlib
import json
import random
from typing import Any, Awaitable, Dict, Optional, Protocol, TypedDict, Union

__all__ = ["ChatCommandError", "ChatConnectionError", "check_count", "check_timeout", "close_within", "ConnectionLost", "Reconnect", "Transport", "WebSocketTransport"]


class ChatCommandError(Exception):
    """The chat core answered a command with an error, or with a response the documents do not give for it."""

    def __init__(self, command: str, command_string: str, response: Dict[str, Any]) -> None:
        #: The command's name, e.g. ``APISendMessages``.
        self.command = command
        #: The command string that was sent.
        self.command_string = command_string
        #: The response, decoded.
        self.response = response
        super().__init__("%s failed: the chat core answered %s" % (command, json.dumps(response, ensure_ascii=False)[:300]))


class ChatConnectionError(Exception):
    """The connection failed, closed before a reply came, or a reply did not come in time (``__cause__`` says why,
    when known)."""


class ConnectionLost(ChatConnectionError):
    """Raised by a transport's ``recv`` when the connection was lost and the transport opens it again: commands
    written before get no reply; later ones are sent on the new connection."""


class Transport(Protocol):
    """What carries the client's frames: ``send`` returns once a frame is written, ``recv`` gives the next frame
    (or raises ConnectionLost, or any error once the connection ends for good), ``close`` ends it.
    WebSocketTransport, ffi.FfiTransport and ``websockets``' connections have it, and so may others."""

    async def send(self, message: str) -> None: ...

    async def recv(self) -> Union[str, bytes]: ...

    async def close(self) -> None: ...


def check_timeout(timeout: Any, name: str = "timeout") -> None:
    # asyncio takes any float, but the TypeScript client's setTimeout takes at most 2**31 - 1 ms: one rule for both.
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not (0 < timeout < 2**31 / 1000):
        raise ValueError("%s must be a positive number of seconds below 2**31 ms, not %r" % (name, timeout))


def check_count(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError("%s must be a positive whole number, not %r" % (name, value))
    return value


class Reconnect(TypedDict, total=False):
    """Reconnection of a WebSocketTransport: bounded exponential backoff with jitter."""

    #: The first wait before connecting again (seconds; default 0.1); it doubles with every failed attempt.
    initial_delay: float
    #: The longest wait between attempts (default 5).
    max_delay: float
    #: How long to keep trying, from the moment the connection was lost or the first attempt (default 60).
    give_up_after: float
    #: Commands sent while disconnected: "queue" (default; sent once, in order, when connected again) or "reject".
    while_disconnected: str
    #: How many commands may wait for the connection (default 1000); beyond, they fail at once.
    max_queued: int


async def close_within(close: Awaitable[None], connection: Any, seconds: float) -> None:
    # A peer that ignores the close handshake is cut off after `seconds` (the close then ends in the background).
    task = asyncio.ensure_future(close)
    done, _ = await asyncio.wait({task}, timeout=seconds)
    if task in done and not task.cancelled() and task.exception() is None:
        return
    transport = getattr(connection, "transport", None)
    if transport is not None:
        transport.abort()
    # Its outcome is of no interest any more (and must not be reported as never retrieved).
    task.add_done_callback(lambda t: None if t.cancelled() else t.exception())


class WebSocketTransport:
    """The chat core's WebSocket API (the ``websockets`` package) as a Transport. With ``reconnect``, a lost
    connection is opened again with bounded exponential backoff and jitter until ``give_up_after``, and the first
    connection is retried the same way while the chat core is not up yet; commands sent meanwhile wait (bounded;
    each written once, in order) or fail at once."""

    def __init__(self, url: str, connection: Any, reconnect: Optional[Dict[str, Any]]) -> None:
        self._url = url
        self._connection = connection
        self._reconnect = reconnect
        self._up = asyncio.Event()
        self._up.set()
        self._ended: Optional[ChatConnectionError] = None
        self._ended_event = asyncio.Event()
        self._waiting = 0
        self._reopening: Optional["asyncio.Task[None]"] = None

    @staticmethod
    def _options(reconnect: Union[Reconnect, bool, None]) -> Optional[Dict[str, Any]]:
        if not reconnect:
            return None
        r: Dict[str, Any] = {} if reconnect is True else dict(reconnect)  # type: ignore[arg-type]
        out = {
            "initial_delay": r.pop("initial_delay", 0.1),
            "max_delay": r.pop("max_delay", 5.0),
            "give_up_after": r.pop("give_up_after", 60.0),
            "while_disconnected": r.pop("while_disconnected", "queue"),
            "max_queued": check_count(r.pop("max_queued", 1000), "reconnect max_queued"),
        }
        if r:
            raise ValueError("unknown reconnect option(s): %s" % ", ".join(sorted(r)))
        for name in ("initial_delay", "max_delay", "give_up_after"):
            check_timeout(out[name], "reconnect " + name)
        if out["while_disconnected"] not in ("queue", "reject"):
            raise ValueError('reconnect while_disconnected must be "queue" or "reject", not %r' % (out["while_disconnected"],))
        return out

    @classmethod
    async def open(cls, url: str, reconnect: Union[Reconnect, bool, None] = None) -> "WebSocketTransport":
        """Connects (retrying until the deadline with ``reconnect``); ChatConnectionError with the cause when it cannot."""
        options = cls._options(reconnect)
        deadline = asyncio.get_running_loop().time() + (options["give_up_after"] if options else 0)
        attempt = 0
        while True:
            try:
                return cls(url, await cls._connect_once(url), options)
            except ChatConnectionError:
                if options is None or asyncio.get_running_loop().time() >= deadline:
                    raise
            await asyncio.sleep(min(cls._delay(options, attempt), max(0.0, deadline - asyncio.get_running_loop().time())))
            attempt += 1

    @staticmethod
    def _delay(options: Dict[str, Any], attempt: int) -> float:
        base = min(options["max_delay"], options["initial_delay"] * 2 ** min(attempt, 30))
        return float(base * (0.75 + random.random() * 0.5))

    @staticmethod
    async def _connect_once(url: str) -> Any:
        try:
            # Imported only here: the rest of the package needs nothing beyond the standard library.
            websockets = importlib.import_module("websockets")
        except ImportError:
            raise ChatConnectionError(
                "ChatClient.connect needs the websockets package (pip install websockets, or Debian's python3-websockets), or a transport=… of your own"
            ) from None
        try:
            return await websockets.connect(url, max_size=None)
        except Exception as e:
            raise ChatConnectionError("cannot connect to %s: %s" % (url, e)) from e

    async def send(self, message: str) -> None:
        if self._ended is not None:
            raise self._ended
        if not self._up.is_set():
            r = self._reconnect
            if r is None or r["while_disconnected"] == "reject":
                raise ChatConnectionError("not connected: the connection is being opened again")
            if self._waiting >= r["max_queued"]:
                raise ChatConnectionError("not connected, and %d commands already wait for the connection" % r["max_queued"])
            self._waiting += 1
            try:
                up = asyncio.ensure_future(self._up.wait())
                ended = asyncio.ensure_future(self._ended_event.wait())
                await asyncio.wait([up, ended], return_when=asyncio.FIRST_COMPLETED)
                up.cancel()
                ended.cancel()
            finally:
                self._waiting -= 1
            if self._ended is not None:
                raise self._ended
        try:
            await self._connection.send(message)
        except Exception as e:
            raise ChatConnectionError("cannot send: %s" % (e,)) from e

    async def recv(self) -> Union[str, bytes]:
        while True:
            if self._ended is not None:
                raise self._ended
            if not self._up.is_set():
                up = asyncio.ensure_future(self._up.wait())
                ended = asyncio.ensure_future(self._ended_event.wait())
                await asyncio.wait([up, ended], return_when=asyncio.FIRST_COMPLETED)
                up.cancel()
                ended.cancel()
                continue
            connection = self._connection
            try:
                data: Union[str, bytes] = await connection.recv()
                return data
            except asyncio.CancelledError:
                raise
            except Exception as e:
                if self._ended is not None:
                    raise self._ended from e
                reason = "the connection closed (%s)" % (e,) if str(e) else "the connection closed"
                if self._reconnect is None:
                    self._end(reason)
                    raise ChatConnectionError(reason) from e
                self._up.clear()
                self._reopening = asyncio.get_running_loop().create_task(self._reopen(reason))
                raise ConnectionLost(reason) from e

    async def _reopen(self, reason: str) -> None:
        options = self._reconnect
        assert options is not None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + options["give_up_after"]
        attempt = 0
        while self._ended is None:
            await asyncio.sleep(min(self._delay(options, attempt), max(0.0, deadline - loop.time())))
            attempt += 1
            if self._ended is not None:
                return
            try:
                connection = await self._connect_once(self._url)
            except ChatConnectionError as e:
                if loop.time() >= deadline:
                    self._end("%s; gave up reconnecting after %s s: %s" % (reason, options["give_up_after"], e))
                    return
                continue
            if self._ended is not None:
                await close_within(connection.close(), connection, 1.0)
                return
            self._connection = connection
            self._up.set()
            return

    def _end(self, reason: str) -> None:
        if self._ended is None:
            self._ended = ChatConnectionError(reason)
            self._ended_event.set()

    async def close(self) -> None:
        """Closes the connection within 1 s, whatever the chat core does."""
        self._end("the client was closed")
        if self._reopening is not None:
            self._reopening.cancel()
        await close_within(self._connection.close(), self._connection, 1.0)
