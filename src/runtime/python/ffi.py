"""The chat library (libsimplex) in this process, as upstream's SDKs use it, as a transport of the client::

    transport = await FfiTransport.open("/path/to/libsimplex.so")
    client = ChatClient.over(transport)

The library's C API: ``chat_migrate_init(path, key, confirm, &ctrl)`` opens (and migrates) the database,
``chat_send_cmd(ctrl, cmd)`` answers ``{"result": <response>}`` or ``{"error": <chat error>}``,
``chat_recv_msg_wait(ctrl, microseconds)`` gives ``{"result": <event>}`` or "" when none came in time, and
``chat_close_store(ctrl)`` closes; every string it returns is the caller's to free. Calls run in worker threads
(``asyncio.to_thread``), so the event loop never waits on the library; standard library only (``ctypes``). A chat
error comes back to the client as the ``chatCmdError`` response the WebSocket API gives.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import json
from typing import Any, Dict, Optional, Set, Union, cast

from ._client_core import ChatConnectionError

__all__ = ["FfiTransport", "FfiTransportError"]


class FfiTransportError(Exception):
    """The library could not be loaded, or did not open the database (``result`` holds what it answered)."""

    def __init__(self, message: str, result: Any = None) -> None:
        super().__init__(message)
        self.result = result


def _response_of(text: str) -> Any:
    # What the library answered, as the `resp` of a WebSocket frame.
    try:
        answer: Any = json.loads(text)
    except ValueError:
        answer = None
    if isinstance(answer, dict):
        answer = cast(Dict[str, Any], answer)
        if "result" in answer:
            return answer["result"]
        if "error" in answer:
            return {"type": "chatCmdError", "chatError": answer["error"]}
    return {"type": "chatCmdError", "chatError": {"type": "invalidResult", "result": text[:200]}}


class FfiTransport:
    """A Transport over the chat library's C API (see the module's doc)."""

    def __init__(self, lib: Any, libc: Any, ctrl: int, wait_us: int) -> None:
        self._lib = lib
        self._libc = libc
        self._ctrl = ctrl
        self._wait_us = wait_us
        self._incoming: "asyncio.Queue[Optional[str]]" = asyncio.Queue()
        self._closed: Optional[ChatConnectionError] = None
        self._receiving: Optional["asyncio.Task[None]"] = None
        # Commands in the library's hands: close() waits for them before it closes the store.
        self._in_flight: Set["asyncio.Task[None]"] = set()

    @classmethod
    async def open(
        cls,
        library: str,
        db_path: str = "simplex_bot",
        db_key: str = "",
        confirm: str = "yesUp",
        wait_us: int = 500_000,
    ) -> "FfiTransport":
        """Loads the library and opens the database (``confirm``: "yesUp", "yesUpDown", "console" or "error");
        each call for events waits at most ``wait_us`` microseconds (default 500,000, as upstream's SDKs)."""
        given = cast(object, wait_us)  # callers without type checks may pass anything
        if isinstance(given, bool) or not isinstance(given, int) or not 0 < given < 2**31:
            raise ValueError("wait_us must be a positive whole number of microseconds below 2**31, not %r" % (wait_us,))
        try:
            lib = ctypes.CDLL(library)
        except OSError as e:
            raise FfiTransportError("cannot load the chat library %s: %s" % (library, e)) from e
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None)
        libc.free.argtypes = [ctypes.c_void_p]
        libc.free.restype = None
        for name, args in (
            ("chat_migrate_init", [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]),
            ("chat_send_cmd", [ctypes.c_void_p, ctypes.c_char_p]),
            ("chat_recv_msg_wait", [ctypes.c_void_p, ctypes.c_int]),
            ("chat_close_store", [ctypes.c_void_p]),
        ):
            fn = getattr(lib, name)
            fn.argtypes = args
            # A pointer, not c_char_p: the string is the caller's to free once read.
            fn.restype = ctypes.c_void_p
        ctrl = ctypes.c_void_p()

        def init() -> str:
            return cls._read(libc, lib.chat_migrate_init(db_path.encode(), db_key.encode(), confirm.encode(), ctypes.byref(ctrl)))

        text = await asyncio.to_thread(init)
        try:
            result: Any = json.loads(text)
        except ValueError:
            raise FfiTransportError("chat_migrate_init answered what is not JSON: %s" % text[:200], text) from None
        if not isinstance(result, dict) or cast(Dict[str, Any], result).get("type") != "ok" or not ctrl.value:
            raise FfiTransportError("the chat library did not open the database: %s" % text[:300], result)
        return cls(lib, libc, ctrl.value, wait_us)

    @staticmethod
    def _read(libc: Any, pointer: Optional[int]) -> str:
        if not pointer:
            raise FfiTransportError("the chat library returned no string")
        try:
            return ctypes.string_at(pointer).decode("utf-8")
        finally:
            libc.free(pointer)

    async def send(self, message: str) -> None:
        """Runs one command; its reply comes back from ``recv`` as the WebSocket API's frame with the same corrId."""
        if self._closed is not None:
            raise self._closed
        frame = json.loads(message)
        task = asyncio.get_running_loop().create_task(self._run(str(frame["corrId"]), str(frame["cmd"])))
        self._in_flight.add(task)
        task.add_done_callback(self._in_flight.discard)

    async def _run(self, corr_id: str, command: str) -> None:
        try:
            text = await asyncio.to_thread(lambda: self._read(self._libc, self._lib.chat_send_cmd(self._ctrl, command.encode("utf-8"))))
            resp = _response_of(text)
        except Exception as e:
            resp = {"type": "chatCmdError", "chatError": {"type": "ffiCallFailed", "message": str(e)}}
        if self._closed is None:
            self._incoming.put_nowait(json.dumps({"corrId": corr_id, "resp": resp}, ensure_ascii=False))

    async def recv(self) -> Union[str, bytes]:
        """The next reply or event; events flow from the first call on."""
        if self._receiving is None and self._closed is None:
            self._receiving = asyncio.get_running_loop().create_task(self._receive())
        if self._closed is not None and self._incoming.empty():
            raise self._closed
        frame = await self._incoming.get()
        if frame is None:
            raise self._closed or ChatConnectionError("the chat library was closed")
        return frame

    async def _receive(self) -> None:
        # One call at a time in a worker thread, each waiting at most wait_us, until closed.
        while self._closed is None:
            try:
                text = await asyncio.to_thread(lambda: self._read(self._libc, self._lib.chat_recv_msg_wait(self._ctrl, self._wait_us)))
            except Exception as e:
                self._end("the chat library failed: %s" % (e,))
                return
            if text and self._closed is None:
                self._incoming.put_nowait(json.dumps({"resp": _response_of(text)}, ensure_ascii=False))

    def _end(self, reason: str) -> None:
        if self._closed is None:
            self._closed = ChatConnectionError(reason)
            self._incoming.put_nowait(None)

    async def close(self) -> None:
        """Closes the store once the call for events in progress returns (within wait_us) and the commands in
        flight are answered; returns within 1 s (the store is then closed in the background)."""
        if self._closed is not None and self._receiving is None:
            return
        self._end("the client was closed")
        receiving, self._receiving = self._receiving, None

        async def closing() -> None:
            await asyncio.gather(*([receiving] if receiving is not None else []), *self._in_flight, return_exceptions=True)
            await asyncio.to_thread(lambda: self._read(self._libc, self._lib.chat_close_store(self._ctrl)))

        task = asyncio.get_running_loop().create_task(closing())
        try:
            await asyncio.wait_for(asyncio.shield(task), 1.0)
        except asyncio.TimeoutError:
            pass
