/** A spec whose descriptions, names and syntax carry text that breaks code, markup and templates when written raw. */
import { minimalTexts } from './fixtures.js';

export const EVIL = `*/ ' " \\ \${x} {{y}} {{{z}}} </script> 日本語 \u202e é \u0000 \u001b[31m \u200b \u2066 \u0085`;
/** What must never reach code raw: controls, bidirectional overrides and isolates, zero-width characters. */
export const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/;

export function hostileSpec() {
  const t = minimalTexts();
  return {
    COMMANDS: t.COMMANDS.replace('Commands to send messages.', `Commands ${EVIL}\n\nA second paragraph: ${EVIL}`)
      .replace('Send messages.', `Send ${EVIL}\n\n- a list item ${EVIL}`)
      .replace('NewChatItems: New messages.', `NewChatItems: New ${EVIL}`)
      .replace('ChatNotStarted: Chat not started.', `ChatNotStarted: ${EVIL}`)
      .replace('- [APIDeleteChat](#apideletechat)', `- [APIDeleteChat](#apideletechat ${EVIL})`)
      .replace('- chatRef: [ChatRef](./TYPES.md#chatref)', `- chatRef: [ChatRef](./TYPES.md#chatref)\n- it_s: string?`)
      .replace('/_delete <str(chatRef)> <str(chatDeleteMode)>', `/_delete 'q' "d" \\\\ \${x} {{y}} <str(chatRef)> <str(chatDeleteMode)>`),
    TYPES: t.TYPES.replace('Used in API commands.', `Used ${EVIL}`)
      .replace('- "direct"\n- "group"', `- "direct"\n- "group"\n- "*/\${x}{{y}}'\\\\"`)
      .replace('@|#|', '@|#|!|')
      .replace('## ComposedMessage\n', `## ComposedMessage\n\n${EVIL}\n`),
    EVENTS: t.EVENTS.replace('Received message(s).', `Received ${EVIL}`),
  };
}
