/**
 * The bot framework: bot.ts / bot.py, copied from their sources (src/runtime/bot.ts and its parts, src/runtime/python/bot.py and _bot_*.py;
 * typed against the generated modules), and the binding of its steps to this API version's commands (botApi.ts,
 * _bot_api.py; see ./botApi.ts).
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { ApiModel, DocKind } from '../model/types.js';
import type { FileMap } from '../writer/fileMap.js';
import { bindBotSteps } from './botApi.js';
import { generatedHeader } from './header.js';
import { PYTHON_BOT_MODULES, pythonRuntimeSource, runtimeSource } from './runtimeTables.js';

export interface BotTargets {
  typescript: boolean;
  /** The Python package's name, when the Python target is on. */
  pythonPackage?: string | undefined;
}

export function emitBot(model: ApiModel, files: Partial<Record<DocKind, string>>, targets: BotTargets): { ts: FileMap; py: FileMap; diagnostics: Diagnostic[] } {
  const ts: FileMap = new Map();
  const py: FileMap = new Map();
  if (!targets.typescript && targets.pythonPackage === undefined) return { ts, py, diagnostics: [] };
  const { binding, diagnostics } = bindBotSteps(model, files);
  if (!binding) return { ts, py, diagnostics };
  if (targets.typescript) {
    const header = generatedHeader(model, '//');
    ts.set(
      'typescript/botApi.ts',
      [
        header,
        'import type { ChatClient } from "./client.js";',
        'import type * as T from "./types.js";',
        '',
        '/** The bot framework\'s steps (bot.ts), each bound to the command of this API version that does it. */',
        'export function botApi(client: ChatClient) {',
        '  return {',
        binding.ts,
        '  };',
        '}',
        '',
        'export type BotApi = ReturnType<typeof botApi>;',
        '',
      ].join('\n'),
    );
    ts.set('typescript/bot.ts', `${header}\n${runtimeSource('bot')}`);
  }
  if (targets.pythonPackage !== undefined) {
    const header = generatedHeader(model, '#');
    const dir = `python/${targets.pythonPackage}`;
    py.set(
      `${dir}/_bot_api.py`,
      [
        header,
        '',
        '"""The bot framework\'s steps (bot.py), each bound to the command of this API version that does it."""',
        '',
        'from __future__ import annotations',
        '',
        'from typing import Any, List',
        '',
        'from . import _types as T',
        'from ._client import ChatClient',
        '',
        '',
        'class BotApi:',
        '    def __init__(self, client: ChatClient) -> None:',
        '        self._client = client',
        '',
        binding.py,
        '',
      ].join('\n'),
    );
    for (const m of PYTHON_BOT_MODULES) py.set(`${dir}/${m}.py`, `${header}\n${pythonRuntimeSource(m)}`);
  }
  return { ts, py, diagnostics };
}
