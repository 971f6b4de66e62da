
"""A bot on the typed client, over any transport (WebSocket to the CLI, the chat library in this process, the
mock chat core)::

    bot = Bot(profile={"displayName": "Echo"}, welcome="Hi! Send me anything.")

    @bot.on_command("ping", "Answers pong")
    async def ping(msg: Message, args: str) -> None:
        await msg.reply("pong")

    @bot.on_message(content_type="text")
    async def echo(msg: Message) -> None:
        await msg.reply(msg.text)

    await bot.start(await ChatClient.connect("ws://127.0.0.1:5225"))

At start it syncs the chat core with what it declares: the active user (used, or created with the profile), the
address (used, or created), its settings (auto-accept, the welcome message) and the profile (marked as a bot,
with the command menu); each step only when something differs. The commands it sends are bound to this API
version in _bot_api.py, generated with it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import signal
import sys
from typing import Any, AsyncGenerator, Awaitable, Callable, Dict, List, NotRequired, Optional, Pattern, Sequence, Set, Tuple, TypedDict, Union, cast

from . import types as T
from ._bot_api import BotApi
from ._client import ChatClient, ChatCommandError
from ._events import ChatEvent, OnEvent

__all__ = ["Bot", "BotProfile", "BotStartError", "BotTester", "Message", "bot_tester", "parse_bot_command"]

MessageHandler = Callable[["Message"], Awaitable[Any]]
CommandHandler = Callable[["Message", str], Awaitable[Any]]
Middleware = Callable[["Message", Callable[[], Awaitable[None]]], Awaitable[Any]]
EventHandler = Callable[[Any], Any]


class BotProfile(TypedDict):
    displayName: str
    fullName: NotRequired[str]
    shortDescr: NotRequired[str]
    image: NotRequired[str]


class BotStartError(Exception):
    """A start-up step failed: ``step`` names it; ``__cause__`` is the client's error (ChatCommandError: the chat core's)."""

    def __init__(self, step: str, cause: BaseException) -> None:
        self.step = step
        super().__init__("the bot could not %s: %s" % (step, _describe(cause)))


def _chat_error(e: BaseException) -> Optional[str]:
    """``error noActiveUser``, ``errorStore userContactLinkNotFound``: the chat error a command failed with."""
    if not isinstance(e, ChatCommandError):
        return None
    found = e.response.get("chatError")
    if not isinstance(found, dict):
        return None
    error = cast(Dict[str, Any], found)
    if not isinstance(error.get("type"), str):
        return None
    for value in error.values():
        inner = cast(Dict[str, Any], value) if isinstance(value, dict) else None
        if inner is not None and isinstance(inner.get("type"), str):
            return "%s %s" % (error["type"], inner["type"])
    return str(error["type"])


def _describe(e: BaseException) -> str:
    error = _chat_error(e)
    return "the chat core answered %s" % error if error else str(e)


def parse_bot_command(text: str) -> Optional[Tuple[str, str]]:
    """``/name args``: a bot command's name and its arguments, as upstream's bots read them."""
    m = re.match(r"^/(\S+)([\s\S]*)$", text.strip())
    return (m.group(1), m.group(2).strip()) if m else None


class Message:
    """A received message, with what a handler needs to answer it."""

    def __init__(self, item: T.AChatItem, content: T.MsgContent, api: BotApi) -> None:
        self.item = item
        self.chat: T.ChatInfo = item["chatInfo"]
        self.content = content
        text: Any = content.get("text")
        #: The message's text ("" when its content has none).
        self.text: str = text if isinstance(text, str) else ""
        info: Any = item["chatInfo"]
        #: The contact, in a direct chat.
        self.contact: Optional[T.Contact] = info["contact"] if info["type"] == "direct" else None
        #: The group and the member who sent it, in a group.
        self.group_info: Optional[T.GroupInfo] = info["groupInfo"] if info["type"] == "group" else None
        chat_dir: Any = item["chatItem"]["chatDir"]
        self.member: Optional[T.GroupMember] = chat_dir["groupMember"] if chat_dir["type"] == "groupRcv" else None
        self.chat_ref: T.ChatRef = (
            {"chatType": "group", "chatId": self.group_info["groupId"]}
            if self.group_info is not None
            else {"chatType": "direct", "chatId": self.contact["contactId"] if self.contact is not None else 0}
        )
        #: The bot command it carries (name, args), if its text is one.
        self.command = parse_bot_command(self.text)
        self._api = api

    @property
    def item_id(self) -> int:
        return self.item["chatItem"]["meta"]["itemId"]

    async def reply(self, text: str) -> List[T.AChatItem]:
        """Sends a text to the chat it came from, quoting it."""
        r = await self._api.send_messages(self.chat_ref, [{"msgContent": {"type": "text", "text": text}, "mentions": {}, "quotedItemId": self.item_id}])
        return r["chatItems"]

    async def send(self, text: str) -> List[T.AChatItem]:
        """Sends a text to the chat it came from."""
        r = await self._api.send_messages(self.chat_ref, [{"msgContent": {"type": "text", "text": text}, "mentions": {}}])
        return r["chatItems"]

    async def react(self, emoji: str) -> None:
        await self._api.react(self.chat_ref, self.item_id, True, {"type": "emoji", "emoji": emoji})  # type: ignore[typeddict-item]

    async def delete(self) -> None:
        """Deletes it: for everyone in a group (as a moderator), for both sides in a direct chat."""
        if self.group_info is not None:
            await self._api.delete_member_items(self.group_info["groupId"], [self.item_id])
        else:
            await self._api.delete_items(self.chat_ref, [self.item_id], "broadcast")


def _as_tuple(v: Any) -> Tuple[Any, ...]:
    return tuple(cast(Sequence[Any], v)) if isinstance(v, (list, tuple, set, frozenset)) else (v,)


def _message_filter(
    content_type: Any, text: Union[str, Pattern[str], None], chat_type: Any, group_id: Any, contact_id: Any, when: Optional[Callable[["Message"], bool]]
) -> Callable[["Message"], bool]:
    """The conditions of on_message as one predicate: all must hold; a list or tuple is any of its values."""

    def test(m: Message) -> bool:
        if content_type is not None and m.content.get("type") not in _as_tuple(content_type):
            return False
        if isinstance(text, str) and m.text != text:
            return False
        if text is not None and not isinstance(text, str) and not text.search(m.text):
            return False
        if chat_type is not None and ("group" if m.group_info is not None else "direct") not in _as_tuple(chat_type):
            return False
        if group_id is not None and (m.group_info is None or m.group_info["groupId"] not in _as_tuple(group_id)):
            return False
        if contact_id is not None and (m.contact is None or m.contact["contactId"] not in _as_tuple(contact_id)):
            return False
        return when(m) if when is not None else True

    return test


def _canonical(v: Any) -> str:
    """Equal as JSON whatever the order of keys, with absent and None fields the same."""
    if isinstance(v, dict):
        return "{%s}" % ",".join("%s:%s" % (json.dumps(k), _canonical(v[k])) for k in sorted(v) if v[k] is not None)  # type: ignore[misc]
    if isinstance(v, list):
        return "[%s]" % ",".join(_canonical(x) for x in v)  # type: ignore[misc]
    return json.dumps(v)


class Bot:
    """A bot: declare its profile, handlers and commands, then ``await bot.start(client)``."""

    def __init__(
        self,
        *,
        profile: BotProfile,
        welcome: Optional[str] = None,
        create_address: bool = True,
        auto_accept: bool = True,
        allow_files: bool = False,
        help: bool = True,
        on_error: Optional[Callable[[BaseException, str], None]] = None,
        log: Optional[Callable[[str], None]] = None,
    ) -> None:
        self._profile = profile
        self._welcome = welcome
        self._create_address = create_address
        self._auto_accept = auto_accept
        self._allow_files = allow_files
        self._help = help
        self._on_error = on_error
        self._log = log
        self._messages: List[Tuple[Callable[[Message], bool], MessageHandler]] = []
        self._commands: Dict[str, Tuple[str, CommandHandler]] = {}
        self._middleware: List[Middleware] = []
        self._events: Dict[str, List[EventHandler]] = {}
        self._any: List[EventHandler] = []
        self._waiters: List[Tuple[str, Callable[[Any], bool], "asyncio.Future[Any]"]] = []
        self._tasks: Set["asyncio.Task[None]"] = set()
        self._loop_task: Optional["asyncio.Task[None]"] = None
        self._api: Optional[BotApi] = None
        self._client: Optional[ChatClient] = None
        self._unknown: CommandHandler = self._default_unknown

    @property
    def client(self) -> ChatClient:
        """The client the bot runs on (after ``start``)."""
        if self._client is None:
            raise RuntimeError("the bot has not started: await bot.start(client)")
        return self._client

    def on_message(
        self,
        *,
        content_type: Union[str, Sequence[str], None] = None,
        text: Union[str, Pattern[str], None] = None,
        chat_type: Union[str, Sequence[str], None] = None,
        group_id: Union[int, Sequence[int], None] = None,
        contact_id: Union[int, Sequence[int], None] = None,
        when: Optional[Callable[[Message], bool]] = None,
    ) -> Callable[[MessageHandler], MessageHandler]:
        """A decorator: the function handles received messages that pass every condition given (all, without
        any); the first handler that fits takes a message."""
        test = _message_filter(content_type, text, chat_type, group_id, contact_id, when)

        def register(handler: MessageHandler) -> MessageHandler:
            self._messages.append((test, handler))
            return handler

        return register

    def on_command(self, name: str, description: str = "") -> Callable[[CommandHandler], CommandHandler]:
        """A decorator: the function handles ``/name args`` (called with the message and the args); the
        description is shown by ``/help`` and in the profile's command menu."""
        if not re.match(r"^[^\s/]+$", name):
            raise ValueError("a bot command name is a word without spaces or '/': %r" % name)

        def register(handler: CommandHandler) -> CommandHandler:
            self._commands[name] = (description, handler)
            return handler

        return register

    def on_unknown_command(self, handler: CommandHandler) -> CommandHandler:
        """Answers commands the bot does not have (by default: a reply naming /help)."""
        self._unknown = handler
        return handler

    def middleware(self, fn: Middleware) -> Middleware:
        """Runs before the handlers, in the order added; a message stops where one does not await ``next()``."""
        self._middleware.append(fn)
        return fn

    @property
    def on_event(self) -> OnEvent:
        """A decorator by event tag: ``@bot.on_event("contactConnected")``; the function (or coroutine function) is
        called with every event of this tag, typed as that event."""
        return self._on_event  # type: ignore[return-value]

    @property
    def once(self) -> OnEvent:
        """Like on_event, for the next event of this tag only."""
        return self._once  # type: ignore[return-value]

    def _on_event(self, tag: str) -> Callable[[EventHandler], EventHandler]:
        def register(handler: EventHandler) -> EventHandler:
            self._events.setdefault(tag, []).append(handler)
            return handler

        return register

    def _once(self, tag: str) -> Callable[[EventHandler], EventHandler]:
        def register(handler: EventHandler) -> EventHandler:
            def wrapper(event: Any) -> Any:
                self.off(tag, wrapper)
                return handler(event)

            wrapper.__wrapped__ = handler  # type: ignore[attr-defined]
            self._events.setdefault(tag, []).append(wrapper)
            return handler

        return register

    def off(self, tag: str, handler: EventHandler) -> None:
        """Removes a handler of this tag (one registered with ``once`` too, by the function it was given)."""
        handlers = self._events.get(tag, [])
        for h in list(handlers):
            if h is handler or getattr(h, "__wrapped__", None) is handler:
                handlers.remove(h)

    def on_any(self, handler: EventHandler) -> EventHandler:
        """The function is called with every event."""
        self._any.append(handler)
        return handler

    async def wait(self, tag: str, predicate: Optional[Callable[[Any], bool]] = None, timeout: float = 30.0) -> Any:
        """The next event of this tag that satisfies ``predicate``; raises asyncio.TimeoutError after ``timeout`` s."""
        future: "asyncio.Future[Any]" = asyncio.get_running_loop().create_future()
        accept: Callable[[Any], bool] = predicate or (lambda _e: True)
        waiter = (tag, accept, future)
        self._waiters.append(waiter)
        try:
            return await asyncio.wait_for(future, timeout)
        finally:
            if waiter in self._waiters:
                self._waiters.remove(waiter)

    async def send_and_wait(self, chat: T.ChatRef, text: str, tag: str, predicate: Optional[Callable[[Any], bool]] = None, timeout: float = 30.0) -> Any:
        """Sends a text to a chat, then waits for an event of ``tag`` that fits (listening from before it sends)."""
        waiting = asyncio.ensure_future(self.wait(tag, predicate, timeout))
        await asyncio.sleep(0)
        try:
            await self.send_text(chat, text)
        except BaseException:
            waiting.cancel()
            raise
        return await waiting

    async def send_text(self, chat: T.ChatRef, text: str) -> List[T.AChatItem]:
        r = await self._bound().send_messages(chat, [{"msgContent": {"type": "text", "text": text}, "mentions": {}}])
        return r["chatItems"]

    async def start(self, client: ChatClient) -> Dict[str, Any]:
        """Syncs the chat core with what the bot declares, then handles events until ``stop``. Returns what it did:
        ``{"user", "address", "steps": {"user": "used"|"created", "address": "used"|"created"|"none",
        "addressSettings": "kept"|"updated"|"none", "profile": "kept"|"updated"}}``."""
        if self._loop_task is not None:
            raise RuntimeError("the bot is running already")
        self._client = client
        self._api = api = BotApi(client)
        # Events from now on: none is missed while the steps run.
        self._loop_task = asyncio.get_running_loop().create_task(self._run(client))
        # The task's first step subscribes (asyncio runs it before this coroutine goes on).
        await asyncio.sleep(0)
        try:
            return await self._sync(api)
        except BaseException:
            await self._stop_loop()
            raise

    async def stop(self, timeout: float = 5.0) -> Dict[str, int]:
        """Stops taking events; handlers still running get ``timeout`` s to finish, then are cancelled. Returns
        ``{"unfinished": n}``. The client stays open."""
        await self._stop_loop()
        tasks = list(self._tasks)
        if not tasks:
            return {"unfinished": 0}
        _done, pending = await asyncio.wait(tasks, timeout=timeout)
        for t in pending:
            t.cancel()
        if pending:
            await asyncio.wait(pending)
        return {"unfinished": len(pending)}

    def run(self, url: str = "ws://127.0.0.1:5225", **options: Any) -> None:
        """Connects to the chat core (``ChatClient.connect`` options), starts, prints the bot's address and handles
        events until interrupted (Ctrl-C or SIGTERM): how a bot's script runs it."""

        async def main() -> None:
            client = await ChatClient.connect(url, **options)
            try:
                report = await self.start(client)
                print("Bot address:", report["address"], flush=True)
                stopped = asyncio.Event()
                with contextlib.suppress(NotImplementedError):
                    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stopped.set)
                await stopped.wait()
            finally:
                await self.stop()
                await client.close()

        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(main())

    async def _stop_loop(self) -> None:
        task, self._loop_task = self._loop_task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def _bound(self) -> BotApi:
        if self._api is None:
            raise RuntimeError("the bot has not started: await bot.start(client)")
        return self._api

    def _report(self, error: BaseException, where: str) -> None:
        if self._on_error is not None:
            self._on_error(error, where)
        else:
            print("bot: %s: %r" % (where, error), file=sys.stderr)

    async def _step(self, name: str, run: Callable[[], Awaitable[Any]]) -> Any:
        try:
            return await run()
        except ChatCommandError as e:
            raise BotStartError(name, e) from e

    async def _optional(self, name: str, run: Callable[[], Awaitable[Any]], absent: str) -> Any:
        """A read that finds nothing when the chat core answers with the error ``absent``."""
        try:
            return await run()
        except ChatCommandError as e:
            if _chat_error(e) == absent:
                return None
            raise BotStartError(name, e) from e

    async def _sync(self, api: BotApi) -> Dict[str, Any]:
        if api.start_chat is not None:
            await self._step("start the chat", api.start_chat)
        profile = self._wanted_profile()
        r = await self._optional("read the active user", api.active_user, "error noActiveUser")
        user: Any = r["user"] if r is not None else None
        user_step = "used" if user is not None else "created"
        if user is None:
            self._say("no active user: creating one")
            user = (await self._step("create the user", lambda: api.create_active_user(profile)))["user"]
        user_id: int = user["userId"]
        r = await self._optional("read the address", lambda: api.address(user_id), "errorStore userContactLinkNotFound")
        link: Any = r["contactLink"] if r is not None else None
        address_step = "used" if link is not None else "none"
        if link is None and self._create_address:
            self._say("no address: creating one")
            await self._step("create the address", lambda: api.create_address(user_id))
            link = (await self._step("read the new address", lambda: api.address(user_id)))["contactLink"]
            address_step = "created"
        settings_step = "none"
        address: Optional[str] = None
        if link is not None:
            wanted: Dict[str, Any] = {"businessAddress": False}
            if self._auto_accept:
                wanted["autoAccept"] = {"acceptIncognito": False}
            if self._welcome is not None:
                wanted["autoReply"] = {"type": "text", "text": self._welcome}
            settings_step = "kept" if _canonical(link.get("addressSettings")) == _canonical(wanted) else "updated"
            if settings_step == "updated":
                self._say("address settings differ: updating them")
                await self._step("set the address settings", lambda: api.set_address_settings(user_id, wanted))  # type: ignore[arg-type]
            conn = link["connLinkContact"]
            address = conn.get("connShortLink") or conn["connFullLink"]
        current = {k: v for k, v in user["profile"].items() if k not in ("profileId", "localAlias")}
        wanted_profile: Dict[str, Any] = {**current, **profile, "preferences": {**(current.get("preferences") or {}), **profile["preferences"]}}
        if address is not None:
            wanted_profile["contactLink"] = address
        profile_step = "kept" if _canonical(current) == _canonical(wanted_profile) else "updated"
        if profile_step == "updated":
            self._say("profile differs: updating it")
            await self._step("update the profile", lambda: api.update_profile(user_id, wanted_profile))  # type: ignore[arg-type]
            user = {**user, "profile": {**user["profile"], **wanted_profile}}
        return {"user": user, "address": address, "steps": {"user": user_step, "address": address_step, "addressSettings": settings_step, "profile": profile_step}}

    def _say(self, line: str) -> None:
        if self._log is not None:
            self._log(line)

    def _menu(self) -> List[Tuple[str, str]]:
        menu = [(name, description) for name, (description, _h) in self._commands.items()]
        if self._help and "help" not in self._commands:
            menu.append(("help", "Lists the commands"))
        return menu

    def _wanted_profile(self) -> Any:
        """The profile the bot wants: a bot's, with its command menu and what contacts may send."""
        p = self._profile
        commands = [{"type": "command", "keyword": k, "label": d} for k, d in self._menu()]
        profile: Dict[str, Any] = {
            "displayName": p["displayName"],
            "fullName": p.get("fullName", ""),
            "preferences": {"files": {"allow": "yes" if self._allow_files else "no"}, "calls": {"allow": "no"}, "voice": {"allow": "no"}, "commands": commands},
            "peerType": "bot",
        }
        for key in ("shortDescr", "image"):
            value = p.get(key)
            if value is not None:
                profile[key] = value
        return profile

    async def _run(self, client: ChatClient) -> None:
        async for event in client.events():
            self._dispatch(event)

    def _dispatch(self, event: ChatEvent) -> None:
        tag: str = event["type"]
        for waiter in list(self._waiters):
            if waiter[0] != tag or waiter[2].done():
                continue
            try:
                fits = waiter[1](event)
            except Exception as e:
                self._report(e, "a %s wait's predicate" % tag)
                continue
            if fits:
                waiter[2].set_result(event)
        for handler in [*self._events.get(tag, []), *self._any]:
            self._track(self._call(handler, event), "a %s handler" % tag)
        if tag == "newChatItems":
            self._track(self._received(event["chatItems"]), "a message handler")  # type: ignore[typeddict-item]

    async def _call(self, handler: EventHandler, event: Any) -> None:
        result = handler(event)
        if asyncio.iscoroutine(result):
            await result

    def _track(self, work: Awaitable[None], where: str) -> None:
        async def run() -> None:
            try:
                await work
            except asyncio.CancelledError:
                raise
            except Exception as e:
                self._report(e, where)

        task = asyncio.get_running_loop().create_task(run())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _received(self, items: List[T.AChatItem]) -> None:
        for item in items:
            content: Any = item["chatItem"]["content"]
            if content["type"] != "rcvMsgContent":
                continue
            msg = Message(item, content["msgContent"], self._bound())
            try:
                await self._through(0, msg)
            except asyncio.CancelledError:
                raise
            except Exception as e:
                self._report(e, "the /%s command" % msg.command[0] if msg.command else "a message handler")

    async def _through(self, i: int, msg: Message) -> None:
        if i < len(self._middleware):
            await self._middleware[i](msg, lambda: self._through(i + 1, msg))
            return
        await self._route(msg)

    async def _route(self, msg: Message) -> None:
        if msg.command is not None:
            name, args = msg.command
            own = self._commands.get(name)
            if own is not None:
                await own[1](msg, args)
                return
            if name == "help" and self._help:
                await msg.reply("\n".join(["Commands:", *("/%s - %s" % (k, d) for k, d in self._menu())]))
                return
            if self._commands or self._help:
                await self._unknown(msg, args)
                return
        for test, handler in self._messages:
            if test(msg):
                await handler(msg)
                return

    async def _default_unknown(self, msg: Message, _args: str) -> None:
        await msg.reply("Unknown command: /%s. Send /help for the list." % (msg.command[0] if msg.command else ""))


class BotTester:
    """A bot on a mock chat core, with simulated contacts, for its tests (see ``bot_tester``)."""

    def __init__(self, bot: Bot, core: Any, client: ChatClient, report: Dict[str, Any]) -> None:
        self.bot = bot
        self.core = core
        self.client = client
        self.report = report

    async def connect_contact(self, name: str) -> Any:
        """A contact connects to the bot through its address (a ``mock.SimulatedContact``)."""
        return await self.core.connect_contact(name)

    async def next_message(self, to: str, timeout: float = 5.0) -> Dict[str, Any]:
        """The next message the bot sends to a contact or group, by name."""
        result: Dict[str, Any] = await self.core.next_message(to, timeout)
        return result


@contextlib.asynccontextmanager
async def bot_tester(
    bot: Bot, spec: str, *, seed: int = 0, scenario: Optional[str] = None, command: Optional[Sequence[str]] = None
) -> AsyncGenerator[BotTester, None]:
    """Runs ``bot`` on a mock chat core (``mock.MockCore``, on the documents in ``spec``) for its tests::

        async with bot_tester(bot, "spec") as tester:
            alice = await tester.connect_contact("alice")
            await alice.send("/help")
            assert "Commands" in (await alice.next_message())["text"]
    """
    from .mock import MockCore

    core = await MockCore.start(spec, seed=seed, scenario=scenario, command=command)
    try:
        client = ChatClient.over(core.transport())
        try:
            report = await bot.start(client)
            try:
                yield BotTester(bot, core, client, report)
            finally:
                await bot.stop()
        finally:
            await client.close()
    finally:
        await core.close()
