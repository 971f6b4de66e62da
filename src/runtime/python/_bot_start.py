
"""A bot's start: the chat core synced with what the bot declares (the active user, the address, its settings,
the profile), each step only when something differs."""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, List, Optional, Tuple

from ._bot_api import BotApi
from ._bot_message import BotProfile, BotStartError, canonical, chat_error
from ._client import ChatCommandError


async def _step(name: str, run: Callable[[], Awaitable[Any]]) -> Any:
    try:
        return await run()
    except ChatCommandError as e:
        raise BotStartError(name, e) from e


async def _optional(name: str, run: Callable[[], Awaitable[Any]], absent: str) -> Any:
    """A read that finds nothing when the chat core answers with the error ``absent``."""
    try:
        return await run()
    except ChatCommandError as e:
        if chat_error(e) == absent:
            return None
        raise BotStartError(name, e) from e


def bot_profile(p: BotProfile, menu: List[Tuple[str, str]], allow_files: bool) -> Any:
    """The profile a bot wants: a bot's, with its command menu and what contacts may send."""
    commands = [{"type": "command", "keyword": k, "label": d} for k, d in menu]
    profile: Dict[str, Any] = {
        "displayName": p["displayName"],
        "fullName": p.get("fullName", ""),
        "preferences": {"files": {"allow": "yes" if allow_files else "no"}, "calls": {"allow": "no"}, "voice": {"allow": "no"}, "commands": commands},
        "peerType": "bot",
    }
    for key in ("shortDescr", "image"):
        value = p.get(key)
        if value is not None:
            profile[key] = value
    return profile


async def sync_chat_core(
    api: BotApi, profile: Any, *, create_address: bool, auto_accept: bool, welcome: Optional[str], say: Callable[[str], None]
) -> Dict[str, Any]:
    """Syncs the chat core with the bot's ``profile`` and address settings; returns what each step did (see Bot.start)."""
    if api.start_chat is not None:
        await _step("start the chat", api.start_chat)
    r = await _optional("read the active user", api.active_user, "error noActiveUser")
    user: Any = r["user"] if r is not None else None
    user_step = "used" if user is not None else "created"
    if user is None:
        say("no active user: creating one")
        user = (await _step("create the user", lambda: api.create_active_user(profile)))["user"]
    user_id: int = user["userId"]
    r = await _optional("read the address", lambda: api.address(user_id), "errorStore userContactLinkNotFound")
    link: Any = r["contactLink"] if r is not None else None
    address_step = "used" if link is not None else "none"
    if link is None and create_address:
        say("no address: creating one")
        await _step("create the address", lambda: api.create_address(user_id))
        link = (await _step("read the new address", lambda: api.address(user_id)))["contactLink"]
        address_step = "created"
    settings_step = "none"
    address: Optional[str] = None
    if link is not None:
        wanted: Dict[str, Any] = {"businessAddress": False}
        if auto_accept:
            wanted["autoAccept"] = {"acceptIncognito": False}
        if welcome is not None:
            wanted["autoReply"] = {"type": "text", "text": welcome}
        settings_step = "kept" if canonical(link.get("addressSettings")) == canonical(wanted) else "updated"
        if settings_step == "updated":
            say("address settings differ: updating them")
            await _step("set the address settings", lambda: api.set_address_settings(user_id, wanted))  # type: ignore[arg-type]
        conn = link["connLinkContact"]
        address = conn.get("connShortLink") or conn["connFullLink"]
    current = {k: v for k, v in user["profile"].items() if k not in ("profileId", "localAlias")}
    wanted_profile: Dict[str, Any] = {**current, **profile, "preferences": {**(current.get("preferences") or {}), **profile["preferences"]}}
    if address is not None:
        wanted_profile["contactLink"] = address
    profile_step = "kept" if canonical(current) == canonical(wanted_profile) else "updated"
    if profile_step == "updated":
        say("profile differs: updating it")
        await _step("update the profile", lambda: api.update_profile(user_id, wanted_profile))  # type: ignore[arg-type]
        user = {**user, "profile": {**user["profile"], **wanted_profile}}
    return {"user": user, "address": address, "steps": {"user": user_step, "address": address_step, "addressSettings": settings_step, "profile": profile_step}}
