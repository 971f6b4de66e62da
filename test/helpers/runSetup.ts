/**
 * vitest's global setup: one directory for the whole run, where checks of the same bytes share their result
 * (see test/helpers/sharedCheck.ts). Made fresh for every run and removed after it, so no run trusts another's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    sharedCheckDir: string;
  }
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sac-run-'));
  project.provide('sharedCheckDir', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
