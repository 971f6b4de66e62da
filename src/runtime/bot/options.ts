/** What a bot is told at its creation, and what it tells of its start. */
import { ChatCommandError } from "../client.js";
import type * as T from "../types.js";

export interface BotProfile {
  displayName: string;
  fullName?: string;
  shortDescr?: string;
  image?: string;
}

export interface BotOptions {
  profile: BotProfile;
  /** The address's auto-reply, sent by the chat core to each contact that connects (none by default). */
  welcome?: string;
  /** Whether to create the address when there is none (default true). */
  createAddress?: boolean;
  /** Whether the address accepts contacts by itself (default true). */
  autoAccept?: boolean;
  /** Whether contacts may send files (default false). */
  allowFiles?: boolean;
  /** Whether `/help` lists the commands (default true; a handler of your own for "help" wins). */
  help?: boolean;
  /** Where a handler's error goes (default: console.error); the bot goes on. */
  onError?: (error: unknown, where: string) => void;
  /** Where the start-up steps are told (default: nowhere). */
  log?: (line: string) => void;
}

/** What `start` did: each step says whether it found the chat core as wanted or changed it. */
export interface BotStartReport {
  user: T.User;
  /** The address (its short link when it has one), undefined without one. */
  address: string | undefined;
  steps: {
    user: "used" | "created";
    address: "used" | "created" | "none";
    addressSettings: "kept" | "updated" | "none";
    profile: "kept" | "updated";
  };
}

/** A start-up step failed: `step` names it, `cause` is the client's error (a ChatCommandError: the chat core's). */
export class BotStartError extends Error {
  readonly step: string;
  constructor(step: string, cause: unknown) {
    super(`the bot could not ${step}: ${describeError(cause)}`);
    this.name = "BotStartError";
    this.step = step;
    // As ES2022's Error does, without needing its lib.
    Object.defineProperty(this, "cause", { value: cause, writable: true, configurable: true });
  }
}

function describeError(e: unknown): string {
  if (e instanceof ChatCommandError) {
    const error = chatErrorOf(e);
    return error ? `the chat core answered ${error}` : e.message;
  }
  return e instanceof Error ? e.message : String(e);
}

/** `error noActiveUser`, `errorStore userContactLinkNotFound`: the chat error a command failed with. */
function chatErrorOf(e: unknown): string | undefined {
  if (!(e instanceof ChatCommandError)) return undefined;
  const error = (e.response as { chatError?: { type?: unknown; [k: string]: unknown } }).chatError;
  if (!error || typeof error.type !== "string") return undefined;
  const inner = Object.values(error).find((v): v is { type: string } => typeof v === "object" && v !== null && typeof (v as { type?: unknown }).type === "string");
  return inner ? `${error.type} ${inner.type}` : error.type;
}


export function isNoActiveUser(e: unknown): boolean {
  return chatErrorOf(e) === "error noActiveUser";
}

export function isNoAddress(e: unknown): boolean {
  return chatErrorOf(e) === "errorStore userContactLinkNotFound";
}

/** Equal as JSON, whatever the order of keys, and with absent and undefined fields the same. */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object")
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(v) ?? "null";
}
