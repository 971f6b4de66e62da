/** The TypeScript names of a model's declarations, shared by every file of the target (and free of ts-morph). */
import type { ApiModel } from '../../model/types.js';
import { opaqueNamesOf } from '../../runtime/tables.js';
import { NameScope, tsDeclName, TypeNames } from '../identifiers.js';

/** What index.ts exports besides the commands (which it also exports flat, for `import { APISendMessages }`). */
const INDEX_NAMES = ['T', 'CC', 'CR', 'CEvt', 'ChatResponse', 'ChatEvent'];

/** Globals that builders call: a declaration of the same name in a generated file would shadow them there. */
const BUILDER_GLOBALS = ['JSON', 'String', 'RangeError', 'Object'];

/** What types.ts declares besides the API types: the types of values the documents do not list (upstream has a member named `Unknown`). */
export const UNDOCUMENTED_NAMES = ['Undocumented', 'UndocumentedTag'];

/** Names every declaration once, so that all files agree on them. */
export class TsNames extends TypeNames {
  /** Command names share index.ts with the names it exports, and commands.ts with its imports. */
  readonly commands = new NameScope([...INDEX_NAMES, ...BUILDER_GLOBALS]);
  /** Inside `CR` and `CEvt`, a member named `T` would hide the import of the types. */
  readonly responses = new NameScope(['Tag', 'Interface', 'T', 'Undocumented']);
  readonly events = new NameScope(['Tag', 'Interface', 'T', 'Undocumented']);
  constructor(model: ApiModel) {
    super(model.types, opaqueNamesOf(model), tsDeclName, [...BUILDER_GLOBALS, ...UNDOCUMENTED_NAMES]);
  }
  /** A command's name in commands.ts (ask in document order: names are given first come, first served). */
  command(name: string): string {
    return this.commands.name(name, tsDeclName(name));
  }
}

