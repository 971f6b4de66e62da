/** Worker thread for the TypeScript target: loads ts-morph while the main thread parses the documents. */
import { parentPort } from 'node:worker_threads';
import { emitTypeScript } from './typescript.js';

parentPort!.on('message', (message: { model: Parameters<typeof emitTypeScript>[0]; files: Parameters<typeof emitTypeScript>[1]; options: Parameters<typeof emitTypeScript>[2] }) => {
  try {
    const r = emitTypeScript(message.model, message.files, message.options);
    parentPort!.postMessage({ ok: true, files: [...r.files], diagnostics: r.diagnostics });
  } catch (e) {
    parentPort!.postMessage({ ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
});
