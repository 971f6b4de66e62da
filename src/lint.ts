/** `lint`: the model's own diagnostics plus every documented snippet that differs from the rendered one. */
import { diagnostic, DiagnosticCodes, sortDiagnostics, type Diagnostic } from './diagnostics/diagnostic.js';
import { locate } from './model/validate.js';
import type { LoadedSpec } from './parse/loadSpec.js';
import { renderSnippets, type EraOption } from './syntax/snippets.js';

export function lintSpec(spec: LoadedSpec, era: EraOption): Diagnostic[] {
  const out: Diagnostic[] = [...spec.diagnostics];
  for (const s of renderSnippets(spec.model, era)) {
    const owner = `${s.owner.kind === 'command' ? 'command' : 'type'} ${s.owner.name}`;
    const check = (lang: 'JavaScript' | 'Python', documented: string | undefined, rendered: string, ref = s.syntax.source) => {
      const code = lang === 'JavaScript' ? DiagnosticCodes.SNIPPET_JS_DIFFERS : DiagnosticCodes.SNIPPET_PY_DIFFERS;
      if (!s.documentedForm) {
        if (documented !== undefined)
          out.push(diagnostic(code, ...locate(spec.files, ref), `${owner}: documents a ${lang} snippet for a syntax without parameters`, { expected: 'no snippet', severity: 'warning', subject: s.owner.name }));
        return;
      }
      if (documented === undefined)
        out.push(diagnostic(code, ...locate(spec.files, s.syntax.source), `${owner}: the ${lang} snippet is missing`, { expected: rendered, severity: 'warning', subject: s.owner.name }));
      else if (documented !== rendered)
        out.push(diagnostic(code, ...locate(spec.files, ref), `${owner}: the documented ${lang} snippet differs from the syntax`, {
          expected: rendered,
          hint: `documented: ${documented}`,
          severity: 'warning',
          subject: s.owner.name,
        }));
    };
    check('JavaScript', s.syntax.javascript, s.javascript, s.syntax.javascriptSource);
    check('Python', s.syntax.python, s.python, s.syntax.pythonSource);
  }
  return sortDiagnostics(out);
}
