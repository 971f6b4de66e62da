/**
 * Reading the generator's inputs (spec documents, config, templates) safely: only regular files, of bounded
 * size, opened without blocking (a FIFO would otherwise hang the run; `/dev/zero` would grow without end), and
 * decoded as strict UTF-8 with the position of the first invalid byte.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** No upstream document comes near this (the largest is 75 KB); the synthetic 64x benchmark spec is 8.7 MB. */
export const MAX_INPUT_BYTES = 32 * 1024 * 1024;

export type ReadProblem =
  | { kind: 'missing' }
  | { kind: 'not-regular'; what: string }
  | { kind: 'too-large'; size: number }
  | { kind: 'error'; code: string };

export function readRegularFile(file: string, maxBytes = MAX_INPUT_BYTES): { bytes: Buffer } | { problem: ReadProblem } {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    return { problem: code === 'ENOENT' ? { kind: 'missing' } : { kind: 'error', code } };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile())
      return { problem: { kind: 'not-regular', what: st.isDirectory() ? 'a directory' : st.isFIFO() ? 'a FIFO' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : st.isSocket() ? 'a socket' : 'not a regular file' } };
    if (st.size > maxBytes) return { problem: { kind: 'too-large', size: st.size } };
    // Read at most one byte more than allowed: a file that grows while being read is caught too.
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    let n = 0;
    for (;;) {
      const r = readSync(fd, buf, n, buf.length - n, null);
      if (r === 0) break;
      n += r;
      if (n === buf.length) break;
    }
    if (n > maxBytes) return { problem: { kind: 'too-large', size: n } };
    return { bytes: buf.subarray(0, n) };
  } catch (e) {
    return { problem: { kind: 'error', code: (e as NodeJS.ErrnoException).code ?? 'error' } };
  } finally {
    closeSync(fd);
  }
}

/** What `readRegularFile`'s problem means, for a diagnostic. */
export function describeReadProblem(p: ReadProblem, maxBytes = MAX_INPUT_BYTES): string {
  switch (p.kind) {
    case 'missing':
      return 'does not exist';
    case 'not-regular':
      return `is ${p.what}, not a regular file`;
    case 'too-large':
      return `is larger than ${maxBytes} bytes (${p.size})`;
    case 'error':
      return `cannot be read (${p.code})`;
  }
}

export type DecodedText = { text: string; bom: boolean } | { invalidAt: { line: number; column: number; byte: number } };

/**
 * Strict UTF-8: a leading byte order mark is dropped (and reported to the caller); the first byte that is not
 * UTF-8 is located by line and column (columns count UTF-16 code units, as every other diagnostic does).
 */
export function decodeUtf8(bytes: Buffer): DecodedText {
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = bom ? bytes.subarray(3) : bytes;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body), bom };
  } catch {
    const bad = firstInvalidUtf8(body);
    const before = body.subarray(0, bad).toString('utf8');
    const lines = before.split(/\r\n?|\n/);
    return { invalidAt: { line: lines.length, column: lines[lines.length - 1]!.length + 1, byte: body[bad] ?? 0 } };
  }
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(b: Buffer): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    if (i + n >= b.length && n > 0) return i;
    for (let k = 1; k <= n; k++) if ((b[i + k]! & 0xc0) !== 0x80) return i;
    // Overlong three- and four-byte forms, surrogates and code points above U+10FFFF.
    if (n === 2 && ((c === 0xe0 && b[i + 1]! < 0xa0) || (c === 0xed && b[i + 1]! >= 0xa0))) return i;
    if (n === 3 && ((c === 0xf0 && b[i + 1]! < 0x90) || (c === 0xf4 && b[i + 1]! >= 0x90))) return i;
    i += n + 1;
  }
  return b.length;
}
