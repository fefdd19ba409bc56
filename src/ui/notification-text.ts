/**
 * THE one escaping of text for a VS Code notification (an information, warning or error message,
 * a progress notification's message). VS Code turns `[label](command:...)`, `[label](https://...)`
 * and `[label](file:...)` in such a message into a link that it opens with commands allowed, and
 * the messages quote what a cluster said: a remote command's stderr, a name, a parameter value.
 * So every `](` gets a zero-width space between its two characters (the text reads the same and no
 * link can form), and the text is one line with its controls and bidi overrides escaped (oneLine).
 * No vscode import.
 */
import { oneLine } from '../core/safe-text';

export function notificationText(message: string): string {
  return oneLine(message).replace(/\](?=\()/g, ']\u200b');
}
