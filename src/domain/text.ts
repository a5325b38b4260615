/**
 * What the app accepts as text a person typed (names, descriptions, search queries): one rule for the
 * resolvers' schemas, the domain's validation and the admin form.
 *
 * - Control characters are refused: C0 (U+0000..U+001F), DEL and C1 (U+007F..U+009F). In `multiline` text
 *   (a description) a line break and a tab are allowed; a lone CR is not (line breaks are stored as `\n`, so
 *   callers turn CRLF and CR into LF first).
 * - Unpaired surrogates are refused: they are not text, and storage and JSON readers disagree about them.
 * - Text with nothing visible in it is refused: only whitespace and format characters (zero-width spaces and
 *   joiners, the byte-order mark, bidirectional marks, soft hyphens and other Unicode `Cf`), or the few
 *   letters that render as blank (Hangul fillers, the braille blank). The empty string is left to the caller:
 *   a name requires text, a description or a query may be empty.
 */

export type TextKind = 'line' | 'multiline';

// C0 except TAB and LF, DEL, C1. `line` text also refuses TAB and LF. Matching control characters is the point.
/* eslint-disable no-control-regex */
const CONTROL_MULTILINE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/u;
const CONTROL_LINE = /[\u0000-\u001F\u007F-\u009F]/u;
/* eslint-enable no-control-regex */
// With the `u` flag a lone surrogate is matched as itself; a well-formed pair is one code point and is not.
const LONE_SURROGATE = /\p{Cs}/u;
const INVISIBLE = /^[\s\p{Cf}\p{Zs}\p{Zl}\p{Zp}\u115F\u1160\u3164\uFFA0\u2800]*$/u;

/** Why `text` is not acceptable as typed text (a sentence fragment such as "contains a control character"), or null. */
export function textProblem(text: string, kind: TextKind): string | null {
  if ((kind === 'line' ? CONTROL_LINE : CONTROL_MULTILINE).test(text)) {
    return kind === 'line' ? 'contains a control character or a line break' : 'contains a control character';
  }
  if (LONE_SURROGATE.test(text)) return 'contains a broken character (an unpaired surrogate)';
  if (text !== '' && INVISIBLE.test(text)) return 'has no visible characters';
  return null;
}

/** True when `text` is empty or has nothing a person could see (whitespace, zero-width or format characters only). */
export function isBlank(text: string): boolean {
  return INVISIBLE.test(text);
}
