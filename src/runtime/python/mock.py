"""The mock chat core for a bot's unit tests, no port: simplex-api-codegen's core runs as a child process and
speaks over its standard input and output (``simplex-api-codegen mock --stdio``), and the client talks to it
through ``transport()``. Simulated contacts act on the core's world (connect, send texts, files and reactions,
join and leave groups); what the bot sent is queryable::

    core = await MockCore.start(spec="spec")
    client = await ChatClient.connect(transport=core.transport())
    await client.api_create_my_address({"userId": 1})
    alice = await core.connect_contact("alice")
    await alice.send("/start")
    assert "welcome" in (await alice.next_message())["text"]
    await core.close()

The child is ``simplex-api-codegen mock --stdio …`` as ``npx --no-install`` would find it (the nearest
``node_modules/.bin``, or the package itself, at or above the working directory), started without npx, whose
own start costs about a second; else npx itself. ``command=`` (or the environment's
``SIMPLEX_MOCK_COMMAND``, split as a shell would) names another way to run simplex-api-codegen, such as
``["node", "node_modules/simplex-api-codegen/bin/simplex-api-codegen.js"]``. Standard library only.
"""

from __future__ import annotations

import asyncio
import json
import os
import shlex
from typing import Any, Awaitable, Callable, Dict, List, Optional, Sequence, Union, cast

__all__ = ["MockCore", "MockCoreError", "SimulatedContact"]

_DEFAULT_COMMAND = ["npx", "--no-install", "simplex-api-codegen"]


def _default_command() -> List[str]:
    """The installed ``simplex-api-codegen`` that ``npx --no-install`` would run, else npx itself."""
    if os.name == "nt":
        return list(_DEFAULT_COMMAND)  # npm's .cmd shims: npx knows how to run them
    directory = os.getcwd()
    while True:
        installed = os.path.join(directory, "node_modules", ".bin", "simplex-api-codegen")
        if os.path.isfile(installed) and os.access(installed, os.X_OK):
            return [installed]
        own = _own_bin(directory)
        if own is not None:
            return own
        parent = os.path.dirname(directory)
        if parent == directory:
            return list(_DEFAULT_COMMAND)
        directory = parent


def _own_bin(directory: str) -> Optional[List[str]]:
    """The bin of simplex-api-codegen's own checkout at ``directory`` (npx runs a package's own bin there)."""
    try:
        with open(os.path.join(directory, "package.json"), encoding="utf-8") as f:
            package: Any = json.load(f)
    except (OSError, ValueError):
        return None
    if not isinstance(package, dict) or cast(Dict[str, Any], package).get("name") != "simplex-api-codegen":
        return None
    bins: Any = cast(Dict[str, Any], package).get("bin")
    target: Any = cast(Dict[str, Any], bins).get("simplex-api-codegen") if isinstance(bins, dict) else None
    if not isinstance(target, str):
        return None
    script = os.path.join(directory, target)
    return ["node", script] if os.path.isfile(script) else None


class MockCoreError(Exception):
    """The mock chat core could not start, stopped, or refused a peer action (its message says why)."""


class _PipeTransport:
    """The client's side of the pipes: chat frames only (control answers go to the core's own futures)."""

    def __init__(self, write: Callable[[str], Awaitable[None]], frames: "asyncio.Queue[Optional[str]]") -> None:
        self._write = write
        self._frames = frames
        self._closed = False

    async def send(self, message: str) -> None:
        if self._closed:
            raise ConnectionError("the connection to the mock chat core was closed")
        await self._write(message)

    async def recv(self) -> Union[str, bytes]:
        frame = None if self._closed else await self._frames.get()
        if frame is None:
            raise ConnectionError("the mock chat core stopped" if not self._closed else "the connection to the mock chat core was closed")
        return frame

    async def close(self) -> None:
        # The client is done; the core (and its world, what the bot sent) stays until core.close().
        self._closed = True
        self._frames.put_nowait(None)


class MockCore:
    """A mock chat core in a child process (see the module's docstring)."""

    def __init__(self, process: "asyncio.subprocess.Process") -> None:
        self._process = process
        self._frames: "asyncio.Queue[Optional[str]]" = asyncio.Queue()
        self._pending: Dict[int, "asyncio.Future[Any]"] = {}
        self._next = 1
        self._taken: Dict[str, int] = {}
        self._reader = asyncio.get_running_loop().create_task(self._read())

    @classmethod
    async def start(
        cls,
        spec: str,
        *,
        seed: int = 0,
        scenario: Optional[str] = None,
        command: Optional[Sequence[str]] = None,
    ) -> "MockCore":
        """Starts the core on the documents in ``spec``; ``scenario`` is a scenario file, as for ``mock --scenario``."""
        env = os.environ.get("SIMPLEX_MOCK_COMMAND")
        argv = list(command) if command is not None else shlex.split(env) if env else _default_command()
        argv += ["mock", "--stdio", "--spec", spec, "--seed", str(seed)]
        if scenario is not None:
            argv += ["--scenario", scenario]
        try:
            process = await asyncio.create_subprocess_exec(
                *argv, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, limit=2**26
            )
        except OSError as e:
            raise MockCoreError("cannot start the mock chat core (%s): %s" % (" ".join(argv), e)) from e
        core = cls(process)
        # A first control frame: the core answers once it has read the spec, or exits with its diagnostics.
        await core._control({"sent": {}})
        return core

    def transport(self) -> _PipeTransport:
        """The connection the generated client takes: ``ChatClient.connect(transport=core.transport())``."""
        return _PipeTransport(self._write, self._frames)

    async def act(self, action: Dict[str, Any]) -> Dict[str, int]:
        """A simulated peer acts (``{"action": "send", "from": "alice", "text": "hi"}``); returns the ids it made."""
        result: Dict[str, int] = await self._control({"act": action})
        return result

    async def connect_contact(self, name: str, via: str = "address") -> "SimulatedContact":
        """A contact connects to the bot: through its address (the default), an invitation, or "direct"."""
        result = await self.act({"action": "connect", "name": name, "via": via})
        if "contactId" not in result:
            raise MockCoreError(
                "%s sent a contact request (the address does not auto-accept): accept it with APIAcceptContact %s" % (name, result.get("contactRequestId"))
            )
        return SimulatedContact(self, name, result["contactId"])

    async def sent_messages(self, to: Optional[str] = None) -> List[Dict[str, Any]]:
        """What the bot sent (to one contact or group by name), oldest first: chat, to, itemId, text, msgContent."""
        result: List[Dict[str, Any]] = await self._control({"sent": {} if to is None else {"to": to}})
        return result

    async def is_deleted(self, item_id: int) -> bool:
        """Whether the chat item was deleted (by the bot, or for it)."""
        result: bool = await self._control({"deleted": item_id})
        return result

    async def next_message(self, to: str, timeout: float = 5.0) -> Dict[str, Any]:
        """The next message the bot sends to a contact or group, by name (one already sent and not yet taken
        counts); a contact's ``next_message`` takes from the same line."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            sent = await self.sent_messages(to)
            i = self._taken.get(to, 0)
            if i < len(sent):
                self._taken[to] = i + 1
                return sent[i]
            if loop.time() >= deadline:
                raise asyncio.TimeoutError("the bot sent nothing more to %s within %s s (it sent %d)" % (to, timeout, len(sent)))
            await asyncio.sleep(0.005)

    async def close(self) -> None:
        """Stops the child (its input ends) and waits for it."""
        if self._process.returncode is None:
            if self._process.stdin is not None and not self._process.stdin.is_closing():
                self._process.stdin.close()
            try:
                await asyncio.wait_for(self._process.wait(), 5)
            except asyncio.TimeoutError:
                self._process.kill()
                await self._process.wait()
        await self._reader

    async def __aenter__(self) -> "MockCore":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def _write(self, line: str) -> None:
        stdin = self._process.stdin
        if stdin is None or stdin.is_closing() or self._process.returncode is not None:
            raise ConnectionError("the mock chat core stopped")
        stdin.write(line.replace("\n", " ").encode("utf-8") + b"\n")
        await stdin.drain()

    async def _control(self, body: Dict[str, Any]) -> Any:
        ctl = self._next
        self._next += 1
        future: "asyncio.Future[Any]" = asyncio.get_running_loop().create_future()
        self._pending[ctl] = future
        try:
            await self._write(json.dumps(dict(body, ctl=ctl), ensure_ascii=False))
        except ConnectionError:
            self._pending.pop(ctl, None)
            raise MockCoreError("the mock chat core stopped: %s" % ((await self._stderr()) or "it was closed",)) from None
        return await future

    async def _stderr(self) -> str:
        if self._process.stderr is None:
            return ""
        try:
            return (await asyncio.wait_for(self._process.stderr.read(), 5)).decode("utf-8", "replace").strip()
        except asyncio.TimeoutError:
            return ""

    async def _read(self) -> None:
        stdout = self._process.stdout
        assert stdout is not None
        while True:
            line = await stdout.readline()
            if not line:
                break
            text = line.decode("utf-8")
            frame: Any = json.loads(text)
            if isinstance(frame, dict) and "ctl" in frame:
                frame = cast(Dict[str, Any], frame)
                future = self._pending.pop(frame["ctl"], None)
                if future is not None and not future.done():
                    if "error" in frame:
                        future.set_exception(MockCoreError(frame["error"]))
                    else:
                        future.set_result(frame.get("result"))
                continue
            self._frames.put_nowait(text)
        self._frames.put_nowait(None)
        if self._pending:
            reason = await self._stderr()
            for future in self._pending.values():
                if not future.done():
                    future.set_exception(MockCoreError("the mock chat core stopped: %s" % (reason or "no reason given",)))
            self._pending.clear()


class SimulatedContact:
    """A contact of the bot that the test plays: what it does, and what the bot sent it."""

    def __init__(self, core: MockCore, name: str, contact_id: int) -> None:
        self.core = core
        self.name = name
        self.contact_id = contact_id

    async def send(self, text: str, group: Union[int, str, None] = None) -> int:
        """Sends a text (a bot command is a text: "/start"); returns the new item's id."""
        action: Dict[str, Any] = {"action": "send", "from": self.name, "text": text}
        if group is not None:
            action["group"] = group
        return (await self.core.act(action))["itemId"]

    async def send_file(self, name: str, size: int = 1024) -> Dict[str, int]:
        """Sends a file (offered for receiving); returns its itemId and fileId."""
        return await self.core.act({"action": "send", "from": self.name, "file": {"name": name, "size": size}})

    async def react(self, item_id: int, emoji: str, add: bool = True) -> None:
        await self.core.act({"action": "react", "from": self.name, "itemId": item_id, "emoji": emoji, "add": add})

    async def join_group(self, group: Union[int, str]) -> int:
        return (await self.core.act({"action": "joinGroup", "name": self.name, "group": group}))["groupMemberId"]

    async def leave_group(self, group: Union[int, str]) -> None:
        await self.core.act({"action": "leaveGroup", "name": self.name, "group": group})

    async def invite_bot(self, group_name: str) -> int:
        """Invites the bot to a new group of this contact's; returns the group's id."""
        return (await self.core.act({"action": "inviteBot", "from": self.name, "groupName": group_name}))["groupId"]

    async def messages(self) -> List[Dict[str, Any]]:
        """What the bot sent to this contact, oldest first."""
        return await self.core.sent_messages(self.name)

    async def next_message(self, timeout: float = 5.0) -> Dict[str, Any]:
        """The next message the bot sends to this contact (one sent and not yet taken counts)."""
        return await self.core.next_message(self.name, timeout)
