/** What every document parser threads through: the document, its kind, and the diagnostics it collects. */
import type { Diagnostic, DiagnosticCode, Severity } from '../diagnostics/diagnostic.js';
import { diagnostic } from '../diagnostics/diagnostic.js';
import type { DocKind, Position, SourceRef } from '../model/types.js';
import type { MarkdownDoc } from './markdown.js';

export class ParseContext {
  readonly diagnostics: Diagnostic[] = [];
  constructor(
    readonly doc: MarkdownDoc,
    readonly kind: DocKind,
  ) {}

  ref(pos: Position): SourceRef {
    return { doc: this.kind, line: pos.line, column: pos.column };
  }

  report(
    code: DiagnosticCode,
    pos: Position,
    message: string,
    extra: { expected?: string; hint?: string; severity?: Severity } = {},
  ): void {
    this.diagnostics.push(diagnostic(code, this.doc.file, pos, message, extra));
  }
}
