/**
 * The TypeScript target in a worker thread. Loading ts-morph takes about half a second; a cold `generate` or
 * `check` starts the worker first, so that the load overlaps with parsing the documents.
 */
import { Worker } from 'node:worker_threads';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { ApiModel, DocKind } from '../../model/types.js';
import type { FileMap } from '../../writer/fileMap.js';
import type { TypeScriptOptions } from '../../options.js';

export interface TypeScriptEmitter {
  emit(model: ApiModel, files: Partial<Record<DocKind, string>>, options: TypeScriptOptions): Promise<{ files: FileMap; diagnostics: Diagnostic[] }>;
  close(): void;
}

export function startTypeScriptWorker(): TypeScriptEmitter {
  const worker = new Worker(new URL('./worker.js', import.meta.url));
  worker.unref();
  return {
    emit(model, files, options) {
      return new Promise((resolve, reject) => {
        worker.once('message', (m: { ok: true; files: [string, string][]; diagnostics: Diagnostic[] } | { ok: false; error: string }) => {
          if (m.ok) resolve({ files: new Map(m.files), diagnostics: m.diagnostics });
          else reject(new Error(`TypeScript emitter failed: ${m.error}`));
        });
        worker.once('error', reject);
        worker.postMessage({ model, files, options });
      });
    },
    close() {
      void worker.terminate();
    },
  };
}
