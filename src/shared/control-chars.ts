/**
 * Text from outside (a server's error body, a user's file) made harmless before it reaches a terminal or
 * a log: it must not move the cursor, change colours, rewrite a line (CR), fake a new log line, or
 * reorder what a reader sees (bidi overrides, "Trojan Source").
 */

/** ANSI escape sequences: CSI (`ESC [ ... final`), OSC (`ESC ] ... BEL|ESC \`), and two-character escapes. */
const ANSI_SEQUENCE =
  /\u001b\[[0-?]*[ -/]*[@-~]|\u009b[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-_]/g

/** C0 and C1 controls, DEL, and the Unicode format characters that reorder or hide text. */
const UNSAFE_CHAR = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g

/**
 * Drops ANSI sequences, then writes every other control or bidi character as a visible `\uXXXX`.
 * With `multiline`, `\n` (and `\r\n`) stay line breaks and tabs stay; otherwise all whitespace runs become one space.
 */
export function stripControl(text: string, options: {multiline?: boolean} = {}): string {
  let out = text.replace(ANSI_SEQUENCE, '')
  out = options.multiline ? out.replace(/\r\n/g, '\n') : out.replace(/[\t\n\v\f\r ]+/g, ' ')
  return out.replace(UNSAFE_CHAR, (c) =>
    options.multiline && (c === '\n' || c === '\t') ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

/** Cuts a text to `max` characters (an ellipsis included), never inside a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text
  let end = max - 1
  if (/[\ud800-\udbff]/.test(text.charAt(end - 1))) end--
  return `${text.slice(0, end)}…`
}
