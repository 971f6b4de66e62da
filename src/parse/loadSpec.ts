/**
 * Reads a spec directory (COMMANDS.md required, TYPES.md and EVENTS.md optional) into one model, with every
 * diagnostic the documents earn. Other files in the directory (a README, say) are not read.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { DiagnosticCodes, diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { decodeUtf8, describeReadProblem, readRegularFile } from '../io/readInput.js';
import type { ApiModel, DocKind } from '../model/types.js';
import { validateModel } from '../model/validate.js';
import { parseCommandsDoc } from './commandsDoc.js';
import { parseEventsDoc } from './eventsDoc.js';
import { checkMarkdownLimits } from './limits.js';
import { ChunkCache, normalizeNewlines, parseMarkdown, sectionParts } from './markdown.js';
import { parseTypesDoc } from './typesDoc.js';

export const DOC_KINDS: readonly DocKind[] = ['COMMANDS', 'TYPES', 'EVENTS'];

/** The title that identifies each kind of document. */
export const DOC_TITLES: Record<DocKind, string> = {
  COMMANDS: 'API Commands and Responses',
  TYPES: 'API Types',
  EVENTS: 'API Events',
};

export interface SpecInput {
  /** Document texts by kind, as read from disk (line endings untouched). */
  texts: Partial<Record<DocKind, string>>;
  /** Display path of each document, for diagnostics. */
  files: Partial<Record<DocKind, string>>;
}

export interface LoadedSpec {
  model: ApiModel;
  diagnostics: Diagnostic[];
  /** Display paths by kind, to turn a model `SourceRef` into `file:line:column`. */
  files: Partial<Record<DocKind, string>>;
}

/** Reads the documents of a spec directory from disk. Problems reading them are diagnostics, not exceptions. */
export function readSpecDir(dir: string, display = dir, hint = 'pass --spec DIR'): { input: SpecInput; diagnostics: Diagnostic[] } {
  const input: SpecInput = { texts: {}, files: {} };
  const diagnostics: Diagnostic[] = [];
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    /* reported below */
  }
  if (!isDir) {
    diagnostics.push(
      diagnostic(DiagnosticCodes.SPEC_DIR_MISSING, display, undefined, `spec directory "${display}" does not exist or is not a directory`, {
        expected: 'a directory holding COMMANDS.md and optionally TYPES.md and EVENTS.md',
        hint,
      }),
    );
    return { input, diagnostics };
  }
  for (const kind of DOC_KINDS) {
    const file = path.join(dir, `${kind}.md`);
    const shown = path.join(display, `${kind}.md`);
    const read = readRegularFile(file);
    if ('problem' in read) {
      if (read.problem.kind === 'missing' && kind !== 'COMMANDS') continue;
      diagnostics.push(
        read.problem.kind === 'missing'
          ? diagnostic(DiagnosticCodes.COMMANDS_MISSING, shown, undefined, `${shown} is missing`, {
              expected: 'the API commands document COMMANDS.md in the spec directory',
            })
          : diagnostic(DiagnosticCodes.UNREADABLE_FILE, shown, undefined, `${shown} ${describeReadProblem(read.problem)}`, {
              expected: 'a regular UTF-8 markdown file',
            }),
      );
      continue;
    }
    const decoded = decodeDocument(read.bytes, shown);
    if ('diagnostic' in decoded) {
      diagnostics.push(decoded.diagnostic);
      continue;
    }
    input.texts[kind] = decoded.text;
    input.files[kind] = shown;
  }
  return { input, diagnostics };
}

/**
 * A document's bytes as text: strict UTF-8, a leading byte order mark dropped (editors add one; it is never
 * part of the document), the first invalid byte reported where it stands.
 */
export function decodeDocument(bytes: Buffer, shown: string): { text: string } | { diagnostic: Diagnostic } {
  const decoded = decodeUtf8(bytes);
  if ('text' in decoded) return { text: decoded.text };
  const { line, column, byte } = decoded.invalidAt;
  return {
    diagnostic: diagnostic(DiagnosticCodes.NOT_UTF8, shown, { line, column }, `byte 0x${byte.toString(16).padStart(2, '0')} is not UTF-8`, {
      expected: 'a UTF-8 document, as upstream publishes them',
    }),
  };
}

/** Parses and validates documents already in memory. Pure: the same input gives the same model. */
/** What one document contributes to the model, with its diagnostics. */
interface ParsedDocument {
  diagnostics: Diagnostic[];
  apply(model: ApiModel): void;
}

/**
 * Parsed documents by kind, file and text: a watch-mode rebuild re-reads only the documents that changed.
 * The parts are shared between models, which is safe because no stage changes them after parsing (binding a
 * syntax again assigns an equal tree).
 */
export class DocumentCache {
  private entries = new Map<string, ParsedDocument>();
  private used = new Map<string, ParsedDocument>();
  get(key: string, parse: () => ParsedDocument): ParsedDocument {
    const hit = this.used.get(key) ?? this.entries.get(key) ?? parse();
    this.used.set(key, hit);
    return hit;
  }
  sweep(): void {
    this.entries = this.used;
    this.used = new Map();
  }
}

function parseDocument(kind: DocKind, raw: string, file: string, chunks: ChunkCache): ParsedDocument {
  // A byte order mark is never part of a document (editors add one): it would hide the title from the check below.
  const text = raw.startsWith('\uFEFF') ? raw.slice(1) : raw;
  // Limits are checked before parsing: within them, parsing is fast and bounded whatever the text.
  const normalized = normalizeNewlines(text);
  const parts = sectionParts(normalized);
  const limits = checkMarkdownLimits(normalized, file, parts);
  if (limits.length) return { diagnostics: limits, apply: () => {} };
  const doc = parseMarkdown(normalized, file, chunks, parts);
  const title = doc.root.children[0]?.type === 'heading' ? titleOf(doc.text) : undefined;
  if (title !== DOC_TITLES[kind])
    return {
      diagnostics: [
        diagnostic(DiagnosticCodes.UNKNOWN_DOCUMENT, file, { line: 1, column: 1 }, `${file} is not an API ${kind.toLowerCase()} document${title === undefined ? '' : `: its title is "${title}"`}`, {
          expected: `a document starting with "# ${DOC_TITLES[kind]}"`,
          hint: 'the spec directory holds the COMMANDS.md, TYPES.md and EVENTS.md that SimpleX Chat publishes',
        }),
      ],
      apply: () => {},
    };
  const name = path.basename(file);
  if (kind === 'COMMANDS') {
    const r = parseCommandsDoc(doc);
    return {
      diagnostics: r.diagnostics,
      apply: (model) => {
        model.sources.COMMANDS = { file: name, header: r.value.header };
        model.commandCategories = r.value.categories;
        model.commands = r.value.commands;
      },
    };
  }
  if (kind === 'TYPES') {
    const r = parseTypesDoc(doc);
    return {
      diagnostics: r.diagnostics,
      apply: (model) => {
        model.sources.TYPES = { file: name, header: r.value.header };
        model.types = r.value.types;
      },
    };
  }
  const r = parseEventsDoc(doc);
  return {
    diagnostics: r.diagnostics,
    apply: (model) => {
      model.sources.EVENTS = { file: name, header: r.value.header };
      model.eventCategories = r.value.categories;
      model.events = r.value.events;
    },
  };
}

export function loadSpec(input: SpecInput, cache: ChunkCache = new ChunkCache(), documents?: DocumentCache): LoadedSpec {
  const diagnostics: Diagnostic[] = [];
  const model: ApiModel = { sources: {}, commandCategories: [], commands: [], types: [], eventCategories: [], events: [] };
  for (const kind of DOC_KINDS) {
    const text = input.texts[kind];
    if (text === undefined) continue;
    const file = input.files[kind] ?? `${kind}.md`;
    const parse = () => parseDocument(kind, text, file, cache);
    const parsed = documents ? documents.get(`${kind}\u0000${file}\u0000${text}`, parse) : parse();
    diagnostics.push(...parsed.diagnostics);
    parsed.apply(model);
  }
  diagnostics.push(...validateModel(model, input.files));
  return { model, diagnostics, files: input.files };
}

function titleOf(text: string): string {
  const first = text.split('\n', 1)[0] ?? '';
  return first.replace(/^#\s+/, '').trim();
}
