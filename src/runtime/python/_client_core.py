"""The client's protocol and transports (simplex-api-codegen's Python runtime, copied verbatim into each generated
package; ``_client.py`` types it with the package's commands, responses and events)."""

from __future__ import annotations

import asyncio
import collections
import importlib
import json
import random
import sys
from typing import Any, AsyncIterator, Awaitable, Callable, Deque, Dict, Generic, List, Optional, Protocol, Set, Tuple, TypedDict, TypeVar, Union, cast

from ._decoder import DEFAULT_MAX_DEPTH, DecodeError, DecodeWarning

__all__ = [
    "ChatClientBase",
    "ChatCommandError",
    "ChatConnectionError",
    "ConnectionLost",
    "Reconnect",
    "Transport",
    "WebSocketTransport",
]

_H = TypeVar("_H", bound=Callable[..., Any])
_R = TypeVar("_R")
_E = TypeVar("_E")
_On = TypeVar("_On")


# ---- The client: the same protocol and rules as the TypeScript client (simplex-api-codegen src/runtime/chatClient.ts) ----


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


def _check_timeout(timeout: Any, name: str = "timeout") -> None:
    # asyncio takes any float, but the TypeScript client's setTimeout takes at most 2**31 - 1 ms: one rule for both.
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not (0 < timeout < 2**31 / 1000):
        raise ValueError("%s must be a positive number of seconds below 2**31 ms, not %r" % (name, timeout))


def _check_count(value: Any, name: str) -> int:
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


async def _close_within(close: Awaitable[None], connection: Any, seconds: float) -> None:
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
            "max_queued": _check_count(r.pop("max_queued", 1000), "reconnect max_queued"),
        }
        if r:
            raise ValueError("unknown reconnect option(s): %s" % ", ".join(sorted(r)))
        for name in ("initial_delay", "max_delay", "give_up_after"):
            _check_timeout(out[name], "reconnect " + name)
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
                await _close_within(connection.close(), connection, 1.0)
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
        await _close_within(self._connection.close(), self._connection, 1.0)


class _EventBuffer:
    # Events in arrival order, at most `most`: when full, the oldest goes and is counted.
    def __init__(self, most: int) -> None:
        self.most = most
        self.items: Deque[Dict[str, Any]] = collections.deque(maxlen=most)
        self.dropped = 0

    def push(self, event: Dict[str, Any]) -> None:
        if len(self.items) == self.most:
            self.dropped += 1
        self.items.append(event)


class ChatClientBase(Generic[_R, _E, _On]):
    """Commands go out as ``{"corrId": "<id>", "cmd": "<string>"}``; replies come back with the same corrId,
    events without one. Replies and events go through the decoders (forward-compatible by default,
    ``strict=True`` on request). A command fails with ChatConnectionError on a timeout and when the connection
    closes. Typed by the generated package: ``_R`` its responses, ``_E`` its events, ``_On`` its ``on`` decorator;
    the generated ChatClient gives its decoders as ``_decode_response`` and ``_decode_event``."""

    @staticmethod
    def _decode_response(value: Any, *, strict: bool = False, on_warning: Optional[Callable[[DecodeWarning], None]] = None, max_depth: int = DEFAULT_MAX_DEPTH) -> Any:
        raise NotImplementedError("a client of a generated package decodes with its schema")

    @staticmethod
    def _decode_event(value: Any, *, strict: bool = False, on_warning: Optional[Callable[[DecodeWarning], None]] = None, max_depth: int = DEFAULT_MAX_DEPTH) -> Any:
        raise NotImplementedError("a client of a generated package decodes with its schema")

    def __init__(
        self,
        transport: Transport,
        *,
        timeout: float = 60.0,
        strict: bool = False,
        on_warning: Optional[Callable[[DecodeWarning], None]] = None,
        on_error: Optional[Callable[[Exception], None]] = None,
        max_early_events: int = 1000,
        max_queued_events: int = 10_000,
    ) -> None:
        _check_timeout(timeout)
        self._max_queued = _check_count(max_queued_events, "max_queued_events")
        self._transport = transport
        self._timeout = timeout
        self._strict = strict
        self._on_warning = on_warning
        self._on_error = on_error
        self._next_id = 1
        self._pending: Dict[str, "asyncio.Future[Dict[str, Any]]"] = {}
        # The commands whose frame was written: a lost connection loses their replies.
        self._written: Set[str] = set()
        self._handlers: Dict[str, List[Callable[[Any], Any]]] = {}
        self._queues: List["asyncio.Queue[Optional[Dict[str, Any]]]"] = []
        # Events dropped from each events() iterator that was not read, by id of its queue.
        self._dropped: Dict[int, int] = {}
        self._closed: Optional[ChatConnectionError] = None
        # Events that arrive before anything listens (the chat core may send some at once): the newest
        # max_early_events are kept and given to the subscribers of the turn in which the first one subscribes, each
        # event to each once. None once given.
        self._early: Optional[_EventBuffer] = _EventBuffer(_check_count(max_early_events, "max_early_events"))
        self._giving = False
        self._reader = asyncio.get_running_loop().create_task(self._read())

    @classmethod
    async def _open(cls, url: str, transport: Optional[Transport], reconnect: Union[Reconnect, bool, None] = None, **options: Any) -> Any:
        if "timeout" in options:
            _check_timeout(options["timeout"])
        for name in ("max_early_events", "max_queued_events"):
            if name in options:
                _check_count(options[name], name)
        if transport is None:
            transport = await WebSocketTransport.open(url, reconnect)
        return cls(transport, **options)

    async def send(self, command: str) -> _R:
        """Sends a command string as it is; returns whatever response comes back (decoded)."""
        return await self._request(command)  # type: ignore[return-value]

    async def _call(self, command: str, command_string: str, expected: Tuple[str, ...]) -> Any:
        response = await self._request(command_string)
        if response.get("type") in expected:
            return response
        raise ChatCommandError(command, command_string, response)

    async def _request(self, command_string: str) -> Dict[str, Any]:
        if self._closed is not None:
            raise self._closed
        corr_id = str(self._next_id)
        self._next_id += 1
        future: "asyncio.Future[Dict[str, Any]]" = asyncio.get_running_loop().create_future()
        self._pending[corr_id] = future
        try:
            await asyncio.wait_for(self._send_frame(corr_id, command_string, future), self._timeout)
            return await asyncio.wait_for(future, self._timeout)
        except asyncio.TimeoutError:
            raise ChatConnectionError("no reply to %r within %s s" % (command_string[:80], self._timeout)) from None
        finally:
            self._pending.pop(corr_id, None)
            self._written.discard(corr_id)

    async def _send_frame(self, corr_id: str, command_string: str, future: "asyncio.Future[Dict[str, Any]]") -> None:
        try:
            await self._transport.send(json.dumps({"corrId": corr_id, "cmd": command_string}, ensure_ascii=False))
        except ChatConnectionError:
            raise
        except Exception as e:
            raise ChatConnectionError("cannot send: %s" % (e,)) from e
        if not future.done():
            self._written.add(corr_id)

    async def _read(self) -> None:
        reason = "the connection closed"
        try:
            while True:
                try:
                    data = await self._transport.recv()
                except ConnectionLost as e:
                    self._lost(str(e))
                    continue
                # A frame that cannot be read goes to on_error; only the transport's own failure ends the reader.
                try:
                    text = data if isinstance(data, str) else bytes(data).decode("utf-8")
                except UnicodeDecodeError:
                    self._fail(ChatConnectionError("a binary frame from the chat core is not UTF-8 text"))
                    continue
                try:
                    self._receive(text)
                except Exception as e:
                    self._fail(e)
        except asyncio.CancelledError:
            reason = "the client was closed"
        except Exception as e:  # the transport's own "connection closed", whatever its class
            reason = "the connection closed (%s)" % (e,) if str(e) else reason
        self._shut(reason)

    def _receive(self, data: str) -> None:
        try:
            frame = json.loads(data)
        except (ValueError, RecursionError) as e:
            self._fail(ChatConnectionError("a frame from the chat core is not JSON%s" % (" (nested too deep)" if isinstance(e, RecursionError) else "")))
            return
        if not isinstance(frame, dict):
            self._fail(ChatConnectionError("a frame from the chat core is not a JSON object"))
            return
        frame = cast(Dict[str, Any], frame)
        corr_id = frame.get("corrId")
        if isinstance(corr_id, str):
            future = self._pending.get(corr_id)
            if future is None or future.done():
                return
            try:
                future.set_result(self._decode_response(frame.get("resp"), strict=self._strict, on_warning=self._on_warning))
            except Exception as e:  # DecodeError: only this call fails
                future.set_exception(e)
            return
        try:
            event: Dict[str, Any] = self._decode_event(frame.get("resp"), strict=self._strict, on_warning=self._on_warning)
        except DecodeError as e:
            self._fail(e)
            return
        if self._early is not None:
            self._early.push(event)
            return
        self._dispatch(event)

    def _dispatch(self, event: Dict[str, Any]) -> None:
        for handler in list(self._handlers.get(str(event.get("type")), [])):
            try:
                result = handler(event)
                if asyncio.iscoroutine(result):
                    asyncio.get_running_loop().create_task(result)
            except Exception as e:
                self._fail(e)
        for queue in self._queues:
            if queue.qsize() >= self._max_queued:
                # Not read: the oldest goes, counted in a warning now and then.
                queue.get_nowait()
                dropped = self._dropped.get(id(queue), 0) + 1
                self._dropped[id(queue)] = dropped
                if dropped == 1 or dropped % self._max_queued == 0:
                    self._warn("an events() iterator was not read: %d events dropped so far (the oldest; %d are kept)" % (dropped, self._max_queued))
            queue.put_nowait(event)

    def _fail(self, error: Exception) -> None:
        if self._on_error is not None:
            self._on_error(error)
        else:
            print("ChatClient: %s" % (error,), file=sys.stderr)

    def _warn(self, message: str) -> None:
        if self._on_warning is not None:
            self._on_warning({"path": "events", "message": message})
        else:
            print("ChatClient: %s" % (message,), file=sys.stderr)

    def _lost(self, reason: str) -> None:
        # The transport reconnects: commands written before get no reply.
        for corr_id in list(self._written):
            future = self._pending.get(corr_id)
            if future is not None and not future.done():
                future.set_exception(ChatConnectionError("the connection was lost before the reply came (%s)" % (reason,)))
        self._written.clear()

    def _subscribed(self) -> None:
        early = self._early
        # Given once: to the subscribers of the turn in which the first one subscribed, each event once.
        if early is None or self._giving:
            return
        self._giving = True

        def give() -> None:
            self._early = None
            if early.dropped:
                self._warn("%d events that came before the first subscriber were dropped (the oldest; %d are kept)" % (early.dropped, early.most))
            for event in early.items:
                self._dispatch(event)

        asyncio.get_running_loop().call_soon(give)

    @property
    def on(self) -> _On:
        """A decorator by event tag: ``@client.on("contactConnected")``; the function (or coroutine function) is
        called with every event of this tag, typed as that event."""
        return self._on  # type: ignore[return-value]

    def _on(self, tag: str) -> Callable[[_H], _H]:
        def register(handler: _H) -> _H:
            self._handlers.setdefault(tag, []).append(handler)
            self._subscribed()
            return handler

        return register

    async def events(self) -> AsyncIterator[_E]:
        """Every event from now on, until the connection closes."""
        queue: "asyncio.Queue[Optional[Dict[str, Any]]]" = asyncio.Queue()
        if self._closed is not None and self._early is None:
            return
        self._queues.append(queue)
        self._subscribed()
        try:
            while True:
                event = await queue.get()
                if event is None:
                    return
                yield event  # type: ignore[misc]
        finally:
            if queue in self._queues:
                self._queues.remove(queue)
            self._dropped.pop(id(queue), None)

    async def close(self) -> None:
        """Closes the connection (within 1 s, whatever the chat core does); pending commands fail with
        ChatConnectionError."""
        self._shut("the client was closed")
        await _close_within(self._transport.close(), self._transport, 1.0)
        self._reader.cancel()
        try:
            await self._reader
        except asyncio.CancelledError:
            pass

    def _shut(self, reason: str) -> None:
        if self._closed is not None:
            return
        self._closed = ChatConnectionError(reason)
        for future in self._pending.values():
            if not future.done():
                future.set_exception(self._closed)
        self._pending.clear()
        for queue in self._queues:
            queue.put_nowait(None)

    async def __aenter__(self) -> "ChatClientBase[_R, _E, _On]":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
