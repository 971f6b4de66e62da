/**
 * The mock chat core, without the network: each command string is read with the command parser the generated
 * code carries (src/runtime/commandParser.ts, the same code) and answered by the first scenario rule that fits,
 * else by running it on the world (users, contacts, groups, items, files: ./world.ts, ./commands.ts), else
 * with the command's first documented non-error response drawn from the model, echoing what the command
 * carried. Simulated peers (./peers.ts) act on the same world; their events go to every subscriber. Every
 * answer and event passes the decoders in strict mode.
 *
 * Control frames, for clients that drive peers through a connection (the stdio and WebSocket servers):
 * `{"ctl": <id>, "act": <PeerAction>}` answers `{"ctl": <id>, "result": {…ids}}` after the action's events, and
 * `{"ctl": <id>, "sent": {"to"?: "<name>"}}` answers with the messages the bot sent, `{"ctl": <id>, "deleted": <item id>}`
 * whether that chat item was deleted; errors as `{"ctl", "error"}`.
 */
import type { ApiModel, CommandDoc } from '../model/types.js';
import { CommandParseError, parseCommandWith, withinDepth, type CommandTable } from '../runtime/commandParser.js';
import type { Schema, SchemaField } from '../runtime/decoder.js';
import { commandTableOf, decodeSchemaOf, schemaTypeOf } from '../runtime/tables.js';
import { HANDLERS, type Tagged } from './commands.js';
import { failed, userOf } from './handlers.js';
import { completeTagged } from './complete.js';
import { commandError, corrIdOf, matches, MAX_FRAME_DEPTH, type ControlFrame, type Frame } from './frames.js';
import { applyPeerAction, PeerError, type PeerAction } from './peers.js';
import { echoOf, hash, Sampler, type Echo } from './sample.js';
import type { Scenario, ScenarioRule } from './scenario.js';
import { FrameText } from './frameText.js';
import { World, type SentMessage } from './world.js';

export type { ControlFrame, Frame } from './frames.js';

export interface MockCoreOptions {
  /** Keep a world and run commands on it (default true); false answers every command from the documents alone. */
  world?: boolean;
  /** The active user the world starts with (default "bot"); null starts with none, as a new database does. */
  user?: string | null;
}

/**
 * Commands and peer actions that leave every existing entity as it was (they read, or only add new ones), so the
 * JSON text kept for the entities stays true; every other one moves the world's version on.
 */
const KEEPS_ENTITIES = new Set([
  'ShowActiveUser',
  'ListUsers',
  'APIShowMyAddress',
  'APIListMembers',
  'APIGetGroupLink',
  'APIListContacts',
  'APIListGroups',
  'APIGetChats',
  'APISendMessages',
  'APINewGroup',
  'APIAddContact',
  'APIConnect',
  'Connect',
  'APICreateMyAddress',
]);
const PEER_KEEPS_ENTITIES = new Set<string>(['send', 'connect']);

/** Commands that only read: their answer stays the same until something changes what they show. */
const READS = new Set(['ShowActiveUser', 'ListUsers', 'APIShowMyAddress', 'APIListMembers', 'APIGetGroupLink', 'APIListContacts', 'APIListGroups']);
/**
 * Commands and peer actions that change only chat items, which no read shows: the reads' answers stay. (The chat
 * list shows items, and so is not kept as a read; it changes nothing.)
 */
const SHOWS_SAME = new Set([...READS, 'APIGetChats', 'APISendMessages']);
const PEER_SHOWS_SAME = new Set<string>(['send']);
/** How many answers to reads are kept (by command string); past that the oldest go. */
const MAX_KEPT_READS = 256;

export class MockCore {
  readonly table: CommandTable;
  readonly schema: Schema;
  /** The world the commands and peers change; undefined when the core answers from the documents alone. */
  readonly world: World | undefined;
  private readonly commands: Map<string, CommandDoc>;
  private readonly documented = new Map<string, Set<string>>();
  private readonly paramFields = new Map<string, SchemaField[]>();
  private readonly subscribers = new Set<(frame: Frame) => void>();
  private readonly text: FrameText | undefined;
  /** Moves on with every command or peer action that may change what a read shows. */
  private revision = 0;
  /** The answer to a read, by its command string, with the revision it was made at and its JSON text. */
  private readonly reads = new Map<string, { revision: number; resp: Record<string, unknown> }>();
  private readonly readText = new WeakMap<object, string>();
  /** Commands that scenario rules answer: never answered from `reads`. */
  private readonly ruled: ReadonlySet<string>;
  /** Told when a command string fits equally specific readings and the first the documents list was taken. */
  onWarning: (message: string) => void = () => {};

  constructor(
    readonly model: ApiModel,
    private readonly seed = 0,
    private readonly scenario: Scenario = { onConnect: [], rules: [] },
    options: MockCoreOptions = {},
  ) {
    this.table = commandTableOf(model);
    this.schema = decodeSchemaOf(model);
    this.commands = new Map(model.commands.map((c) => [c.name, c]));
    for (const c of model.commands) this.documented.set(c.name, new Set(c.responses.map((r) => r.tag)));
    const types = new Map(model.types.map((t) => [t.name, t]));
    for (const c of model.commands) this.paramFields.set(c.name, (c.params ?? []).map((p) => [p.name, schemaTypeOf(p.type, types), false] as const));
    this.world = options.world === false ? undefined : new World(this.schema, hash(seed, 'world'), options.user === undefined ? 'bot' : options.user);
    const world = this.world;
    this.text = world ? new FrameText((v) => world.shaper.isShared(v), () => world.version) : undefined;
    this.ruled = new Set(scenario.rules.map((r) => r.command ?? ''));
  }

  /** A frame as JSON text (the servers write every frame with this: entities' text is kept while they stay). */
  frameText(frame: Frame): string {
    const kept = frame.resp !== undefined ? this.readText.get(frame.resp) : undefined;
    if (kept !== undefined) return frame.corrId === undefined ? `{"resp":${kept}}` : `{"corrId":${JSON.stringify(frame.corrId)},"resp":${kept}}`;
    return this.text ? this.text.write(frame) : JSON.stringify(frame);
  }

  /** Events sent to every client that connects. */
  onConnect(): Frame[] {
    const sampler = new Sampler(this.schema, hash(this.seed, 'onConnect'));
    return this.scenario.onConnect.map((e) => ({ resp: this.complete('ChatEvent', e, sampler) }));
  }

  /**
   * Calls `listener` with every event that simulated peers cause, until the returned function is called. The
   * frame shares objects with the world: write it out or copy it before the world changes again.
   */
  subscribe(listener: (frame: Frame) => void): () => void {
    this.subscribers.add(listener);
    return () => this.subscribers.delete(listener);
  }

  /**
   * A simulated peer acts: the world changes and the events a chat core would send go to every subscriber, in
   * order. Returns the ids of what the action made; a PeerError when it cannot happen in this world.
   */
  act(action: PeerAction): Record<string, number> {
    const { frames, result } = this.peerFrames(action);
    for (const frame of frames) for (const s of [...this.subscribers]) s(frame);
    return result;
  }

  /** A peer action applied to the world: the frames of its events, and the ids of what it made. */
  private peerFrames(action: PeerAction): { frames: Frame[]; result: Record<string, number> } {
    const world = this.requireWorld();
    if (!PEER_KEEPS_ENTITIES.has(action.action)) world.version++;
    if (!PEER_SHOWS_SAME.has(action.action)) this.revision++;
    const outcome = applyPeerAction(world, action);
    return { frames: this.eventFrames(outcome.events), result: outcome.result };
  }

  /** The messages the bot sent, oldest first; `to` keeps those to one contact or group (by name). */
  sent(filter: { to?: string } = {}): SentMessage[] {
    const all = this.requireWorld().sent;
    return filter.to === undefined ? [...all] : all.filter((m) => m.to === filter.to);
  }

  /** Whether the chat item was deleted (by the bot, or for it); false for an item the world never had. */
  isDeleted(itemId: number): boolean {
    return this.requireWorld().items.get(itemId)?.deleted === true;
  }

  private requireWorld(): World {
    if (!this.world) throw new PeerError('this mock chat core keeps no world (it was made with world: false)');
    return this.world;
  }

  /**
   * The frames that answer one incoming frame: the reply, then the events of the command or rule that answered;
   * copies, so that later changes to the world do not show in them (answerFrame gives them uncopied, for callers
   * that write them out at once).
   */
  answer(frame: string): Frame[] {
    return structuredClone(this.answerFrame(frame).frames);
  }

  /** The frames that answer one incoming frame, and the frame as read (undefined when it is not JSON or too deep). */
  answerFrame(frame: string): { message: unknown; frames: Frame[] } {
    let message: unknown;
    try {
      message = JSON.parse(frame);
    } catch {
      const corrId = corrIdOf(frame);
      return { message: undefined, frames: [{ resp: commandError(`the frame is not JSON: ${frame.length > 60 ? frame.slice(0, 57) + '...' : frame}`), ...(corrId === undefined ? {} : { corrId }) }] };
    }
    // The request's corrId, whatever its JSON type: a client can always match the reply.
    const isObject = message !== null && typeof message === 'object' && !Array.isArray(message);
    const corrId = isObject ? (message as { corrId?: unknown }).corrId : undefined;
    const reply = (resp: Record<string, unknown>): Frame => (corrId === undefined ? { resp } : { corrId, resp });
    // Nesting n deep takes 2n characters: a shorter frame cannot be too deep, and needs no walk.
    if (frame.length > 2 * MAX_FRAME_DEPTH && !withinDepth(message, MAX_FRAME_DEPTH)) return { message: undefined, frames: [reply(commandError(`the frame nests deeper than ${MAX_FRAME_DEPTH} levels`))] };
    if (isObject && Object.hasOwn(message as object, 'ctl')) return { message, frames: [this.control(message as Record<string, unknown>)] };
    return { message, frames: this.answerMessage(message, reply) };
  }

  private control(message: Record<string, unknown>): ControlFrame {
    const ctl = message['ctl'];
    try {
      if (message['act'] !== undefined) return { ctl, result: this.act(message['act'] as PeerAction) };
      if (message['sent'] !== undefined) return { ctl, result: this.sent((message['sent'] ?? {}) as { to?: string }) };
      if (message['deleted'] !== undefined) return { ctl, result: this.isDeleted(Number(message['deleted'])) };
      return { ctl, error: 'a control frame has "act": <peer action>, "sent": {"to"?: <name>} or "deleted": <item id>' };
    } catch (e) {
      if (e instanceof PeerError || e instanceof TypeError) return { ctl, error: e.message };
      throw e;
    }
  }

  private answerMessage(message: unknown, reply: (resp: Record<string, unknown>) => Frame): Frame[] {
    const cmd = message !== null && typeof message === 'object' ? (message as { cmd?: unknown }).cmd : undefined;
    if (typeof cmd !== 'string') return [reply(commandError('the frame has no "cmd" string: expected {"corrId": "<id>", "cmd": "<command string>"}'))];
    // A read asked again while nothing it shows changed: the same answer, read and written once.
    const read = this.reads.get(cmd);
    if (read !== undefined && read.revision === this.revision) return [reply(read.resp)];
    // Commands that upstream's SDKs send but the documents do not list: answered only by rules that say so.
    const undocumented = this.scenario.rules.find((r) => r.prefix !== undefined && cmd.startsWith(r.prefix));
    if (undocumented) return this.ruleFrames(undocumented, undefined, new Sampler(this.schema, hash(this.seed, cmd)), reply);
    let parsed: { command: string; params: Record<string, unknown> };
    try {
      // As the chat core does: one reading always; of equally specific ones, the first the documents list.
      parsed = parseCommandWith(this.table, cmd, { prefer: 'first' });
      if ('warning' in parsed && typeof parsed.warning === 'string') this.onWarning(parsed.warning);
    } catch (e) {
      if (e instanceof CommandParseError) return [reply(commandError(e.message))];
      throw e;
    }
    const rule = this.scenario.rules.find((r) => r.command === parsed.command && (r.match === undefined || matches(r.match, parsed.params)));
    if (rule) return this.ruleFrames(rule, parsed, this.drawingSampler(parsed, cmd), reply);
    return this.run(parsed, cmd, reply);
  }

  /** A sampler whose drawn values echo what the command carried. */
  private drawingSampler(parsed: { command: string; params: Record<string, unknown> }, cmd: string): Sampler {
    const echo = echoOf(this.schema, this.paramFields.get(parsed.command) ?? [], parsed.params);
    return new Sampler(this.schema, hash(this.seed, cmd), echo);
  }

  /** The command run on the world when it has a handler, else answered from the documents. */
  private run(parsed: { command: string; params: Record<string, unknown> }, cmd: string, reply: (resp: Record<string, unknown>) => Frame): Frame[] {
    const handler = this.world ? HANDLERS[parsed.command] : undefined;
    if (this.world && handler) {
      if (!KEEPS_ENTITIES.has(parsed.command)) this.world.version++;
      if (!SHOWS_SAME.has(parsed.command)) this.revision++;
      const outcome = handler(this.world, parsed.params);
      // A response this API version does not document for the command: the documented one is drawn instead.
      const resp = this.documented.get(parsed.command)?.has(outcome.resp.type) ? this.world.shaper.member('responses', outcome.resp) : undefined;
      if (resp) {
        if (cmd !== '' && READS.has(parsed.command) && !outcome.events?.length && !this.ruled.has(parsed.command) && !this.ruled.has('')) this.keepRead(cmd, resp);
        return [reply(resp), ...this.eventFrames(outcome.events ?? [])];
      }
    }
    if (!this.world) return [reply(this.defaultResponse(parsed.command, this.drawingSampler(parsed, cmd)))];
    // The user a userId names, through the handlers' own lookup: one the world does not have is the chat core's
    // store error (where the command documents errors), as for the commands the world runs.
    const named = typeof parsed.params['userId'] === 'number' ? userOf(this.world, parsed.params) : this.world.user;
    if (named !== undefined && failed(named)) {
      const resp = this.documented.get(parsed.command)?.has('chatCmdError') ? this.world.shaper.member('responses', named.resp) : undefined;
      if (resp) return [reply(resp)];
    }
    const drawn = this.defaultResponse(parsed.command, this.drawingSampler(parsed, cmd));
    return [reply(this.withWorldUser(drawn, named !== undefined && !failed(named) ? named : this.world.user))];
  }

  /**
   * A response drawn from the documents, with the world's `user` (the one the command names, else the active
   * one) where it has one: a bot that reads `resp.user` sees the user it runs as, not a drawn one.
   */
  private withWorldUser(resp: Record<string, unknown>, user: Record<string, unknown> | undefined): Record<string, unknown> {
    const world = this.world!;
    const t = typeof resp['type'] === 'string' ? world.shaper.fieldType('responses', resp['type'], 'user') : undefined;
    const inner = Array.isArray(t) && t[0] === 'opt' ? t[1] : t;
    if (!Array.isArray(inner) || inner[0] !== 'ref' || inner[1] !== 'User') return resp;
    return user ? { ...resp, user: world.shaper.value(t!, user) } : resp;
  }

  private keepRead(cmd: string, resp: Record<string, unknown>): void {
    if (this.reads.size >= MAX_KEPT_READS) this.reads.delete(this.reads.keys().next().value!);
    this.reads.set(cmd, { revision: this.revision, resp });
    this.readText.set(resp, this.text ? this.text.write(resp) : JSON.stringify(resp));
  }

  private eventFrames(events: readonly Tagged[]): Frame[] {
    const out: Frame[] = [];
    for (const e of events) {
      const resp = this.world!.shaper.member('events', e);
      if (resp) out.push({ resp });
    }
    return out;
  }

  private ruleFrames(rule: ScenarioRule, parsed: { command: string; params: Record<string, unknown> } | undefined, sampler: Sampler, reply: (resp: Record<string, unknown>) => Frame): Frame[] {
    const frames =
      rule.respond === undefined && parsed
        ? this.run(parsed, '', reply)
        : [reply(rule.respond === undefined ? commandError('the rule gives no response') : this.ruleResponse(rule, parsed?.command, sampler))];
    frames.push(...(rule.events ?? []).map((e) => ({ resp: this.complete('ChatEvent', e, sampler) })));
    for (const action of rule.act ?? []) {
      try {
        frames.push(...this.peerFrames(action).frames);
      } catch (e) {
        if (!(e instanceof PeerError)) throw e;
        this.onWarning(`a scenario rule's peer action did not happen: ${e.message}`);
      }
    }
    return frames;
  }

  private ruleResponse(rule: ScenarioRule, command: string | undefined, sampler: Sampler): Record<string, unknown> {
    const respond = rule.respond!;
    const full = respond['type'] === undefined && command !== undefined ? { ...respond, type: this.firstResponseTag(command) } : respond;
    return this.complete('ChatResponse', full, sampler);
  }

  /** The command's first documented response that is not an error. */
  private firstResponseTag(command: string): string | undefined {
    return this.commands.get(command)?.responses.find((r) => r.tag !== 'chatCmdError')?.tag;
  }

  private defaultResponse(command: string, sampler: Sampler): Record<string, unknown> {
    const tag = this.firstResponseTag(command);
    if (tag === undefined || !Object.hasOwn(this.schema.responses, tag)) return commandError(`the mock chat core has no documented response to ${command}`);
    return sampler.response(tag);
  }

  /** A partial response or event completed from the model: what it gives is kept, what it leaves out is drawn. */
  complete(start: 'ChatResponse' | 'ChatEvent', partial: Readonly<Record<string, unknown>>, sampler: Sampler): Record<string, unknown> {
    return completeTagged(this.schema, start, partial, sampler);
  }
}

export type { Echo };
