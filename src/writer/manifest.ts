/**
 * The output manifest: the files the generator wrote into a directory, each with its SHA-256, and the
 * fingerprint of the inputs that produced them. Its presence marks a directory as the generator's to manage.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { FileMap } from './fileMap.js';
import type { Fs } from './fsTypes.js';
import { isInsidePath } from './journal.js';

/** Lists the files the generator wrote; its presence marks a directory as the generator's to manage. */
export const MANIFEST = '.simplex-api-codegen-files';
const MANIFEST_HEADER = '# Written by simplex-api-codegen: the files it generated here, with their SHA-256. Do not edit.';
const INPUTS_LINE = /^# inputs sha256:([0-9a-f]{64})\b/;
const FILE_LINE = /^(.*?)(?: sha256:([0-9a-f]{64}))?$/;

export const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');
/**
 * The hash of each file's text, remembered by path across the regenerations of watch mode, where most files do
 * not change and their texts are the very strings of the run before (the emitters' memo): comparing them is then
 * a pointer comparison, where a memo keyed by text hashed or compared each of the 122 texts again (2 ms a run).
 */
const hashes = new Map<string, { text: string; sha256: string }>();
/** The SHA-256 of a generated file's text (the manifest's, taken again by the cache's record of the run). */
export function fileSha256(rel: string, text: string): string {
  const known = hashes.get(rel);
  if (known?.text === text) return known.sha256;
  const entry = { text, sha256: sha256(text) };
  hashes.set(rel, entry);
  return entry.sha256;
}

/**
 * The file map with its manifest: every file's path and SHA-256 and, when given, the fingerprint of the
 * inputs that produced them (see cache/fingerprint.ts). An earlier manifest in the map is replaced.
 */
export function withManifest(files: FileMap, inputs?: string): FileMap {
  const out = new Map(files);
  out.delete(MANIFEST);
  const listed = [...out.keys()].sort();
  const lines = [MANIFEST_HEADER];
  if (inputs !== undefined) lines.push(`# inputs sha256:${inputs} (spec, templates, options, config, generator build)`);
  for (const rel of listed) lines.push(`${rel} sha256:${fileSha256(rel, out.get(rel)!)}`);
  out.set(MANIFEST, lines.join('\n') + '\n');
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export interface ManifestRecord {
  /** The fingerprint of the inputs of the run that wrote it, when recorded. */
  inputs?: string;
  /** Each listed file with its recorded SHA-256 (undefined in a manifest of an older format). */
  files: Map<string, string | undefined>;
}

/**
 * A manifest's record. Only plain relative paths inside the directory count: a manifest edited to name `../x`
 * must never make `generate` remove a file outside.
 */
export function parseManifest(text: string): ManifestRecord {
  const record: ManifestRecord = { files: new Map() };
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) {
      const inputs = INPUTS_LINE.exec(line)?.[1];
      if (inputs) record.inputs = inputs;
      continue;
    }
    const m = FILE_LINE.exec(line)!;
    if (m[1] && isInsidePath(m[1])) record.files.set(m[1], m[2]);
  }
  return record;
}

/** The files a manifest lists, sorted: what decides whether it is stale (its hashes follow from the files). */
export function manifestListing(text: string): string {
  return [...parseManifest(text).files.keys()].sort().join('\n');
}

/** The files the manifest of an earlier run lists (itself included), or undefined without one. */
export function readManifest(fs: Fs, outDir: string): Set<string> | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(outDir, MANIFEST), 'utf8');
  } catch {
    return undefined;
  }
  const listed = new Set(parseManifest(text).files.keys());
  listed.add(MANIFEST);
  return listed;
}
