/**
 * Same input, same bytes: twice in a row, under another time zone and locale, from another working directory,
 * and from CRLF documents. Each run is a real process of the installed binary.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/corpus.js';
import { snapshotDir, tempDir, writeSpec } from '../helpers/fixtures.js';

const BIN = path.join(REPO_ROOT, 'bin/simplex-api-codegen.js');
const SPEC = path.join(REPO_ROOT, 'spec');

function generate(spec: string, env: NodeJS.ProcessEnv = {}, cwd = REPO_ROOT): Record<string, string> {
  const out = path.join(tempDir('sac-det-'), 'out');
  const r = spawnSync(process.execPath, [BIN, 'generate', '--spec', spec, '--out', out], { cwd, env: { ...process.env, ...env }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return snapshotDir(out);
}

describe('deterministic output', () => {
  const reference = generate(SPEC);

  it('covers every target', () => {
    expect(Object.keys(reference).length).toBe(122);
  });

  it('is the same bytes on a second run', () => {
    expect(generate(SPEC)).toEqual(reference);
  });

  it('is the same under TZ=Pacific/Chatham and LANG=tr_TR.UTF-8', () => {
    expect(generate(SPEC, { TZ: 'Pacific/Chatham', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' })).toEqual(reference);
  });

  it('is the same from another working directory', () => {
    expect(generate(SPEC, {}, tempDir('sac-cwd-'))).toEqual(reference);
  });

  it('is the same for CRLF documents', () => {
    const texts = Object.fromEntries(['COMMANDS', 'TYPES', 'EVENTS'].map((k) => [k, readFileSync(path.join(SPEC, `${k}.md`), 'utf8').replace(/\n/g, '\r\n')]));
    const crlf = writeSpec(tempDir('sac-crlf-'), texts);
    expect(readFileSync(path.join(crlf, 'COMMANDS.md'), 'utf8')).toContain('\r\n');
    const files = generate(crlf);
    // Every generated file is the same; the manifest records the fingerprint of other input bytes.
    const inputsLine = /^# inputs sha256:\w+/m;
    const manifest = '.simplex-api-codegen-files';
    expect(files[manifest]!.match(inputsLine)![0]).not.toBe(reference[manifest]!.match(inputsLine)![0]);
    expect({ ...files, [manifest]: files[manifest]!.replace(inputsLine, '') }).toEqual({ ...reference, [manifest]: reference[manifest]!.replace(inputsLine, '') });
  });

  it('matches the committed generated/', () => {
    expect(reference).toEqual(snapshotDir(path.join(REPO_ROOT, 'generated')));
  });
});
