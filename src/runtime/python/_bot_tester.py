
"""A bot on a mock chat core, with simulated contacts, for its tests."""

from __future__ import annotations

import contextlib
from typing import Any, AsyncGenerator, Dict, Generic, Optional, Protocol, Sequence, TypeVar

from ._client import ChatClient

__all__ = ["BotTester", "TestedBot", "bot_tester"]


class TestedBot(Protocol):
    """What the tester needs of a bot (``bot.Bot`` is one)."""

    async def start(self, client: ChatClient) -> Dict[str, Any]: ...

    async def stop(self, timeout: float = 5.0) -> Dict[str, int]: ...


B = TypeVar("B", bound=TestedBot)


class BotTester(Generic[B]):
    """A bot on a mock chat core, with simulated contacts, for its tests (see ``bot_tester``)."""

    def __init__(self, bot: B, core: Any, client: ChatClient, report: Dict[str, Any]) -> None:
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
    bot: B, spec: str, *, seed: int = 0, scenario: Optional[str] = None, command: Optional[Sequence[str]] = None
) -> AsyncGenerator[BotTester[B], None]:
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
