/**
 * AsyncAPI 3.0 of the chat core's WebSocket API: one channel; a send operation per command (its command string's
 * syntax and parameters), with the command's documented responses as the reply, correlated by `corrId`; a receive
 * operation per event. Payloads are `$ref`s into the JSON Schema files beside it (schema/*.json, written with it),
 * so that the two never disagree and the schemas are written once.
 */
import type { ApiModel } from '../model/types.js';
import { safeJson } from './escape.js';
import type { FileMap } from '../writer/fileMap.js';

const ref = ($ref: string) => ({ $ref });
/** A definition of schema/<group>.json, relative to asyncapi.json. */
const schemaRef = (group: 'commands' | 'responses' | 'events', name: string) => `schema/${group}.json#/$defs/${name}`;

export function emitAsyncApi(model: ApiModel): FileMap {
  const messages: Record<string, unknown> = {};
  const channelMessages: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const message = (id: string, body: Record<string, unknown>) => {
    messages[id] = body;
    channelMessages[id] = ref(`#/components/messages/${id}`);
    return ref(`#/channels/chat/messages/${id}`);
  };
  const correlated = { correlationId: ref('#/components/correlationIds/corrId') };

  const responses = new Map<string, { tag: string; description: string }>();
  for (const c of model.commands) for (const r of c.responses) if (!responses.has(r.name)) responses.set(r.name, r);
  const responseRefs = new Map<string, unknown>();
  for (const [name, r] of responses)
    responseRefs.set(
      name,
      message(`response.${name}`, {
        name: r.tag,
        title: name,
        ...(r.description ? { summary: r.description } : {}),
        contentType: 'application/json',
        payload: { type: 'object', required: ['corrId', 'resp'], properties: { corrId: { type: 'string' }, resp: ref(schemaRef('responses', name)) } },
        ...correlated,
      }),
    );
  for (const c of model.commands) {
    const cmd = message(`command.${c.name}`, {
      name: c.name,
      title: c.name,
      ...(c.description ? { summary: c.description } : {}),
      description: `The command string: \`${c.syntax.text}\`, written from the parameters \`x-parameters\` describes.`,
      contentType: 'application/json',
      payload: { type: 'object', required: ['corrId', 'cmd'], properties: { corrId: { type: 'string', description: 'Chosen by the client; the reply carries it back.' }, cmd: { type: 'string', description: c.syntax.text } } },
      ...correlated,
      'x-syntax': c.syntax.text,
      'x-parameters': ref(schemaRef('commands', c.name)),
    });
    operations[`send.${c.name}`] = {
      action: 'send',
      channel: ref('#/channels/chat'),
      title: c.name,
      ...(c.description ? { summary: c.description } : {}),
      messages: [cmd],
      reply: { channel: ref('#/channels/chat'), messages: [...new Set(c.responses.map((r) => r.name))].map((n) => responseRefs.get(n)) },
    };
  }
  for (const e of model.events) {
    const m = message(`event.${e.name}`, {
      name: e.tag,
      title: e.name,
      ...(e.description ? { summary: e.description } : {}),
      contentType: 'application/json',
      payload: { type: 'object', required: ['resp'], properties: { resp: ref(schemaRef('events', e.name)) } },
    });
    operations[`receive.${e.name}`] = { action: 'receive', channel: ref('#/channels/chat'), title: e.name, ...(e.description ? { summary: e.description } : {}), messages: [m] };
  }
  const doc = {
    asyncapi: '3.0.0',
    info: {
      title: 'SimpleX Chat bot API (WebSocket)',
      version: model.history?.versions.at(-1) ?? 'as documented',
      description:
        'The chat core (`simplex-chat -p 5225`) over WebSocket. A client sends `{"corrId": "1", "cmd": "/_send ..."}` and gets `{"corrId": "1", "resp": {"type": ...}}`; events arrive as `{"resp": {...}}` without `corrId`. Clients accept unknown fields, union tags and enum values.',
    },
    defaultContentType: 'application/json',
    servers: { local: { host: 'localhost:5225', protocol: 'ws', description: 'A chat core started with `simplex-chat -p 5225`.' } },
    channels: { chat: { address: '/', title: 'The chat core connection', messages: channelMessages } },
    operations,
    components: {
      messages,
      correlationIds: { corrId: { description: 'The client\u2019s corrId, echoed in the reply.', location: '$message.payload#/corrId' } },
    },
  };
  return new Map([['asyncapi.json', safeJson(JSON.stringify(doc, null, 2)) + '\n']]);
}
