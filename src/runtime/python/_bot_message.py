
"""What a bot's handlers are given: the received message and what answers it, the filters that choose a handler,
and the errors of a bot's start."""

from __future__ import annotations

import json
import re
from typing import Any, Awaitable, Callable, Dict, List, NotRequired, Optional, Pattern, Sequence, Tuple, TypedDict, Union, cast

from . import types as T
from ._bot_api import BotApi
from ._client import ChatCommandError

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


def chat_error(e: BaseException) -> Optional[str]:
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
    error = chat_error(e)
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


def message_filter(
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


def canonical(v: Any) -> str:
    """Equal as JSON whatever the order of keys, with absent and None fields the same."""
    if isinstance(v, dict):
        return "{%s}" % ",".join("%s:%s" % (json.dumps(k), canonical(v[k])) for k in sorted(v) if v[k] is not None)  # type: ignore[misc]
    if isinstance(v, list):
        return "[%s]" % ",".join(canonical(x) for x in v)  # type: ignore[misc]
    return json.dumps(v)
