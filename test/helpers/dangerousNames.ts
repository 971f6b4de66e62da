/**
 * Specs that put one dangerous name everywhere a name can stand: a type (with a syntax), an enum value, a union
 * member, a field, a parameter, a response, an event and a command. Dangerous means: a name the generated
 * modules import or call (`T`, `json`, `Union`, `JSON`), a builtin, a name every JavaScript object inherits
 * (`constructor`, `__proto__`), or one the package binds itself (`commands`, `ChatEvent`).
 */
import type { DocKind } from '../../src/model/types.js';
import { minimalTexts } from './fixtures.js';

export const DANGEROUS_NAMES = [
  'T', 'R', 'CC', 'CR', 'CEvt', 'Union', 'Literal', 'Any', 'TypedDict', 'NotRequired', 'Optional', 'TypeAlias',
  'json', '_json', 'str', 'map', 'len', 'list', 'ValueError', 'annotations', 'commands', 'types', 'self',
  'ChatResponse', 'ChatEvent', 'constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'Object',
  'JSON', 'String', 'RangeError', 'Tag', 'Interface', 'cmdString', 'class', 'None', '__all__',
];

/** The tag and command-string word used for a name (tags are data; a lower-case word keeps them apart). */
const word = (name: string) => `w${name.replace(/[^A-Za-z0-9]/g, '').toLowerCase()}`;

/** A name as a heading can carry it: `__proto__` renders as bold "proto" there, so headings get `Q__proto__`. */
export const headingSafe = (name: string) => (/^_.*_$/.test(name) ? `Q${name}` : name);

export function dangerousSpec(name: string): Record<DocKind, string> {
  const t = minimalTexts();
  const w = word(name);
  const h = headingSafe(name);
  return {
    COMMANDS: t.COMMANDS.replace('- ttl: int?', `- ttl: int?\n- ${name}: string?`)
      .replace('[ ttl=<ttl>]', `[ ttl=<ttl>][ ${w}=<${name}>]`)
      .replace("(ttl ? ' ttl=' + ttl : '')", `(ttl ? ' ttl=' + ttl : '') + (${name} ? ' ${w}=' + ${name} : '')`)
      .replace("((' ttl=' + str(ttl)) if ttl is not None else '')", `((' ttl=' + str(ttl)) if ttl is not None else '') + ((' ${w}=' + ${name}) if ${name} is not None else '')`)
      .replace('- [APIDeleteChat](#apideletechat)', `- [APIDeleteChat](#apideletechat)\n- [${h}](#${h.toLowerCase()})`)
      .concat(
        `\n\n### ${h}\n\nA command.\n\n**Parameters**:\n- ${name}: string?\n\n**Syntax**:\n\n\`\`\`\n/${w}[ <${name}>]\n\`\`\`\n\n` +
          `**Responses**:\n\n${name}: A response.\n- type: "${w}"\n- ${name}: [${h}](./TYPES.md#${h.toLowerCase()})\n\n` +
          `ContactDeleted: Contact deleted.\n- type: "contactDeleted"\n- contactId: int64\n\n---\n`,
      ),
    TYPES: t.TYPES.replace('- [ComposedMessage](#composedmessage)', `- [ComposedMessage](#composedmessage)\n- [${h}](#${h.toLowerCase()})`)
      .replace('- "direct"\n- "group"', `- "direct"\n- "group"\n- "${name}"`)
      .replace('Messages:\n- type: "messages"', `Messages:\n- type: "messages"\n\n${name}:\n- type: "${w}"\n- ${name}: string?`)
      .replace('full|messages[ notify=off]', `full|messages|${w}[ notify=off]`)
      .replace('- text: string\n', `- text: string\n- ${name}: string?\n`)
      .concat(`\n---\n\n## ${h}\n\n**Record type**:\n- ${name}: string\n- other: int?\n\n**Syntax**:\n\n\`\`\`\n<${name}>[ <other>]\n\`\`\`\n`),
    EVENTS: t.EVENTS.replace('  - [ChatItemsDeleted](#chatitemsdeleted)', `  - [ChatItemsDeleted](#chatitemsdeleted)\n  - [${h}](#${h.toLowerCase()})`)
      .replace('### ChatItemsDeleted', `### ${h}\n\nAn event.\n\n**Record type**:\n- type: "${w}"\n- ${name}: string\n\n---\n\n### ChatItemsDeleted`),
  };
}

export { word as dangerousWord };
