
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
import re
import signal
import sys
from typing import Any, Awaitable, Callable, Dict, List, Optional, Pattern, Sequence, Set, Tuple, Union

from . import types as T
from ._bot_api import BotApi
from ._bot_message import BotProfile, BotStartError, CommandHandler, EventHandler, Message, MessageHandler, Middleware, message_filter, parse_bot_command
from ._bot_start import bot_profile, sync_chat_core
from ._bot_tester import BotTester, bot_tester
from ._client import ChatClient
from ._events import ChatEvent, OnEvent

__all__ = ["Bot", "BotProfile", "BotStartError", "BotTester", "Message", "bot_tester", "parse_bot_command"]


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
        test = message_filter(content_type, text, chat_type, group_id, contact_id, when)

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
            return await sync_chat_core(api, bot_profile(self._profile, self._menu(), self._allow_files), create_address=self._create_address, auto_accept=self._auto_accept, welcome=self._welcome, say=self._say)
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

    def _say(self, line: str) -> None:
        if self._log is not None:
            self._log(line)

    def _menu(self) -> List[Tuple[str, str]]:
        menu = [(name, description) for name, (description, _h) in self._commands.items()]
        if self._help and "help" not in self._commands:
            menu.append(("help", "Lists the commands"))
        return menu

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
