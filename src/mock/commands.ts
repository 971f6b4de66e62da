/**
 * How the mock chat core runs each command on its world: what changes, and which of the command's documented
 * responses answers, chosen by the world and the parameters (a group delete answers as a group delete; an item
 * that does not exist gets the chat core's store error). Responses and events are partial: the core completes
 * them from the model of the API version it serves. Commands without a handler here get a drawn response.
 */
import { CHAT_LIST_HANDLERS } from './chatList.js';
import { GROUP_HANDLERS } from './groupCommands.js';
import type { Handler } from './handlers.js';
import { ITEM_HANDLERS } from './itemCommands.js';
import { USER_HANDLERS } from './userCommands.js';

export type { Outcome, Tagged } from './handlers.js';

/** Every command the world runs, by name. */
export const HANDLERS: Readonly<Record<string, Handler>> = { ...USER_HANDLERS, ...ITEM_HANDLERS, ...GROUP_HANDLERS, ...CHAT_LIST_HANDLERS };
