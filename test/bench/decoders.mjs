// The decoders' speed against the JSON parser of their language and against ajv, on five sets of payloads drawn
// from the latest era's schema (seeded): 300 newChatItems responses as the chat core sends them, every response
// and every event three times, one newChatItems of 500 chat items and one apiChats of 100 chats.
// - TypeScript: decode(JSON.parse(text)) over JSON.parse(text) alone.
// - ajv, on values already parsed: our decoder's time over ajv's validate, with the JSON Schema target's schemas
//   (the decoders' own tables written out as JSON Schema: unknown fields, tags and enum values allowed, as the
//   decoders keep them), and strictly (decode with strict: true against the strict schemas, where ajv gets its
//   `discriminator` keyword on every union whose members name their tag: its fastest form).
// - Python: decode(json.loads(text)) over json.loads(text) alone.
// Every measure is interleaved with what it is divided by, round by round; min and median of the ratios.
//
// Standalone: node test/bench/decoders.mjs [SPEC_DIR]   (default: the latest era of ../shared/corpus)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateAndCompile } from './generated.mjs';

const PY_BENCH = String.raw`
import json, sys, time
sys.path.insert(0, sys.argv[1])
from simplex_api.decode import decode_chat_response, decode_chat_event
sets = json.load(open(sys.argv[2], encoding="utf-8"))
rounds = int(sys.argv[3])
out = {}
for s in sets:
    decode = decode_chat_event if s["start"] == "ChatEvent" else decode_chat_response
    texts = s["texts"]
    reps = max(1, round(5_000_000 / sum(len(t) for t in texts)))
    for t in texts:
        decode(json.loads(t), strict=True)
    ratios = []
    for r in range(rounds + 1):
        t0 = time.perf_counter()
        for _ in range(reps):
            for t in texts:
                json.loads(t)
        t1 = time.perf_counter()
        for _ in range(reps):
            for t in texts:
                decode(json.loads(t))
        t2 = time.perf_counter()
        if r > 0:
            ratios.append((t2 - t1) / (t1 - t0))
    out[s["name"]] = ratios
print(json.dumps(out))
`;

const stat = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { min: +s[0].toFixed(3), median: +(s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2).toFixed(3) };
};
const time = (f) => {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
};

/** The five sets of payloads, drawn from the schema with a fixed seed. */
async function payloadSets(root, specDir) {
  const { Sampler } = await import(pathToFileURL(path.join(root, 'dist/mock/sample.js')).href);
  const { decodeSchemaOf } = await import(pathToFileURL(path.join(root, 'dist/runtime/tables.js')).href);
  const { buildModelFromDir } = await import(pathToFileURL(path.join(root, 'dist/pipeline.js')).href);
  const schema = decodeSchemaOf(buildModelFromDir(specDir).model);
  const s = new Sampler(schema, 7);
  const texts = (n, draw) => Array.from({ length: n }, () => JSON.stringify(draw()));
  return [
    { name: 'newChatItems, 300 responses', start: 'ChatResponse', texts: texts(300, () => s.response('newChatItems')) },
    { name: 'every response, 3 times', start: 'ChatResponse', texts: Object.keys(schema.responses).flatMap((tag) => texts(3, () => s.response(tag))) },
    { name: 'every event, 3 times', start: 'ChatEvent', texts: Object.keys(schema.events).flatMap((tag) => texts(3, () => s.event(tag))) },
    { name: 'newChatItems of 500 items', start: 'ChatResponse', texts: texts(1, () => ({ ...s.response('newChatItems'), chatItems: Array.from({ length: 500 }, () => s.value(['ref', 'AChatItem'], 1)) })) },
    { name: 'apiChats of 100 chats', start: 'ChatResponse', texts: texts(1, () => ({ ...s.response('apiChats'), chats: Array.from({ length: 100 }, () => s.value(['ref', 'AChat'], 1)) })) },
  ];
}

/** ajv validators of ChatResponse and ChatEvent from the JSON Schema target in `schemaDir` (lenient or strict). */
async function ajvValidators(schemaDir, strict) {
  const { default: Ajv2020 } = await import('ajv/dist/2020.js');
  const ajv = new Ajv2020({ strict: false, validateFormats: false, discriminator: strict });
  const docs = Object.fromEntries(['types', 'responses', 'events'].map((f) => [f, JSON.parse(readFileSync(path.join(schemaDir, `${f}.json`), 'utf8'))]));
  if (strict) {
    // ajv's discriminator needs every member to name its tag as a const: true of the strict schemas' unions.
    const resolve = (ref, here) => {
      const [file, pointer] = ref.split('#');
      return (file ? docs[file.replace('.json', '')] : here).$defs[pointer.split('/').pop()];
    };
    for (const doc of Object.values(docs))
      for (const s of [doc, ...Object.values(doc.$defs)])
        if (s.oneOf?.every((m) => m.$ref && resolve(m.$ref, doc)?.properties?.type?.const !== undefined)) s.discriminator = { propertyName: 'type' };
  }
  for (const doc of Object.values(docs)) ajv.addSchema(doc);
  const id = (f) => docs[f].$id;
  return { ChatResponse: ajv.getSchema(id('responses')), ChatEvent: ajv.getSchema(id('events')) };
}

export async function measureDecoders({ root, specDir, tmp, rounds }) {
  const out = path.join(tmp, 'decoders-out');
  const js = generateAndCompile({ root, specDir, out, targets: 'typescript,python,schema', files: ['types', 'responses', 'events', 'decode'] });
  const { decodeChatResponse, decodeChatEvent } = await import(pathToFileURL(path.join(js, 'decode.js')).href);
  const decoders = { ChatResponse: decodeChatResponse, ChatEvent: decodeChatEvent };
  const ajv = { lenient: await ajvValidators(path.join(out, 'schema'), false), strict: await ajvValidators(path.join(out, 'schema', 'strict'), true) };
  const sets = await payloadSets(root, specDir);

  const rows = [];
  for (const set of sets) {
    const decode = decoders[set.start];
    const values = set.texts.map((t) => JSON.parse(t));
    for (const v of values) {
      decode(v, { strict: true });
      if (!ajv.lenient[set.start](v) || !ajv.strict[set.start](v)) throw new Error(`ajv rejects a value of ${set.name}: ${JSON.stringify(ajv.strict[set.start].errors ?? ajv.lenient[set.start].errors)}`);
    }
    const bytes = set.texts.reduce((n, t) => n + t.length, 0);
    // About 10 MB a round: a shorter round lets one collection of the garbage decide it.
    const reps = Math.max(1, Math.round(10_000_000 / bytes));
    const strictly = { strict: true };
    const r = { parse: [], ajv: [], ajvStrict: [] };
    for (let round = 0; round < rounds + 1; round++) {
      const parse = time(() => {
        for (let k = 0; k < reps; k++) for (const t of set.texts) JSON.parse(t);
      });
      const both = time(() => {
        for (let k = 0; k < reps; k++) for (const t of set.texts) decode(JSON.parse(t));
      });
      const ours = time(() => {
        for (let k = 0; k < reps; k++) for (const v of values) decode(v);
      });
      const theirs = time(() => {
        for (let k = 0; k < reps; k++) for (const v of values) ajv.lenient[set.start](v);
      });
      const oursStrict = time(() => {
        for (let k = 0; k < reps; k++) for (const v of values) decode(v, strictly);
      });
      const theirsStrict = time(() => {
        for (let k = 0; k < reps; k++) for (const v of values) ajv.strict[set.start](v);
      });
      if (round === 0) continue; // the first round compiles and warms up
      r.parse.push(both / parse);
      r.ajv.push(ours / theirs);
      r.ajvStrict.push(oursStrict / theirsStrict);
    }
    rows.push({ set: set.name, payloads: set.texts.length, bytes, decodeOverJsonParse: stat(r.parse), decodeOverAjv: stat(r.ajv), strictDecodeOverAjvDiscriminator: stat(r.ajvStrict) });
  }

  // Python: the generated package, on the same texts.
  const setsFile = path.join(tmp, 'decoder-sets.json');
  writeFileSync(setsFile, JSON.stringify(sets));
  const py = spawnSync('python3', ['-c', PY_BENCH, path.join(out, 'python'), setsFile, String(rounds)], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (py.status !== 0) throw new Error(`python3 decoders bench failed:\n${py.stderr}`);
  const python = JSON.parse(py.stdout);
  for (const row of rows) row.pythonDecodeOverJsonLoads = stat(python[row.set]);
  return rows;
}

const f2 = (x) => x.toFixed(2);
export function decodersTable(rows) {
  return (
    '| payloads | texts | bytes | TS decode(JSON.parse) / JSON.parse | our decode / ajv (lenient schema) | strict decode / ajv (strict schema, discriminator) | Python decode(json.loads) / json.loads |\n|---|---|---|---|---|---|---|\n' +
    rows
      .map((r) => `| ${r.set} | ${r.payloads} | ${r.bytes} | ${f2(r.decodeOverJsonParse.min)} / ${f2(r.decodeOverJsonParse.median)} | ${f2(r.decodeOverAjv.min)} / ${f2(r.decodeOverAjv.median)} | ${f2(r.strictDecodeOverAjvDiscriminator.min)} / ${f2(r.strictDecodeOverAjvDiscriminator.median)} | ${f2(r.pythonDecodeOverJsonLoads.min)} / ${f2(r.pythonDecodeOverJsonLoads.median)} |`)
      .join('\n') +
    '\n(min / median of the ratios; below 1 in the ajv columns: ours is faster)\n'
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const corpus = path.resolve(root, '../shared/corpus');
  let specDir = process.argv[2];
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'sac-decoders-'));
  if (!specDir) {
    specDir = path.join(tmp, 'spec');
    mkdirSync(specDir);
    const latest = { COMMANDS: 'simplex-chat__simplex-chat@03c8bf5add', TYPES: 'simplex-chat__simplex-chat@03c8bf5add', EVENTS: 'simplex-chat__simplex-chat@088a33e09c' };
    for (const [kind, dir] of Object.entries(latest)) writeFileSync(path.join(specDir, `${kind}.md`), readFileSync(path.join(corpus, dir, `${kind}.md`)));
  }
  const rows = await measureDecoders({ root, specDir, tmp, rounds: 9 });
  process.stdout.write(decodersTable(rows));
  rmSync(tmp, { recursive: true, force: true });
}
