/**
 * simplex-api-codegen as a library: the commands as functions (see api.ts), the model they read, and the
 * renderers the CLI prints with.
 */
export {
  buildOutput,
  changes,
  check,
  compareWithOutput,
  formatOutput,
  generate,
  lint,
  loadSpecDir,
  type BuiltOutput,
  type ChangesOptions,
  type ChangesResult,
  type CheckResult,
  type GenerateResult,
  type LintResult,
  type OutputOptions,
  type SpecOptions,
} from './api.js';
export type { ApiChange, ChangeAt, ChangeKind, ChangeLevel } from './changes/compare.js';
export type { IgnoreEntry } from './changes/ignore.js';
export { formatChanges, type ChangesFormat } from './changes/report.js';
export { DiagnosticCodes, type Diagnostic, type DiagnosticCode, type IgnoreRule, type Severity } from './diagnostics/diagnostic.js';
export { formatDiagnostics, type DiagnosticFormat } from './diagnostics/format.js';
export type { Formatter, FormatTarget } from './format/formatters.js';
export { TARGETS, type Target } from './targets.js';
export type * from './model/types.js';
export type { SyntaxNode, ParamForm } from './syntax/ast.js';
export type { LoadedSpec, SpecInput } from './parse/loadSpec.js';
export type { FileMap } from './writer/fileMap.js';
export { createMockCore, InProcessMockCore, MockSocket, MockSpecError, type CreateMockCoreOptions, type SimulatedContact } from './mock/inProcess.js';
export { MockCore, type MockCoreOptions, type Frame as MockFrame } from './mock/core.js';
export { PeerError, type PeerAction } from './mock/peers.js';
export type { SentMessage } from './mock/world.js';
export type { Scenario, ScenarioRule } from './mock/scenario.js';
