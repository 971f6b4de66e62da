"""The client's protocol (simplex-api-codegen's Python runtime, copied verbatim into each generated package;
``_client.py`` types it with the package's commands, responses and events; the transports are in ``_transport``)."""

from __future__ import annotations

import asyncio
import collections
import json
import sys
from typing import Any, AsyncIterator, Callable, Deque, Dict, Generic, List, Optional, Set, Tuple, TypeVar, Union, cast

from ._decoder import DEFAULT_MAX_DEPTH, DecodeError, DecodeWarning
from ._transport import ChatCommandError, ChatConnectionError, check_count, check_timeout, close_within, ConnectionLost, Reconnect, Transport, WebSocketTransport

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
        check_timeout(timeout)
        self._max_queued = check_count(max_queued_events, "max_queued_events")
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
        self._early: Optional[_EventBuffer] = _EventBuffer(check_count(max_early_events, "max_early_events"))
        self._giving = False
        self._reader = asyncio.get_running_loop().create_task(self._read())

    @classmethod
    async def _open(cls, url: str, transport: Optional[Transport], reconnect: Union[Reconnect, bool, None] = None, **options: Any) -> Any:
        if "timeout" in options:
            check_timeout(options["timeout"])
        for name in ("max_early_events", "max_queued_events"):
            if name in options:
                check_count(options[name], name)
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
        await close_within(self._transport.close(), self._transport, 1.0)
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
