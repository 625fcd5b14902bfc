/**
 * Escaping for strings that come from users' files or the API (profile names, reasons, messages) so they
 * read as text in a GitHub comment and can't open a link, an HTML tag, a table cell or a code block.
 */

const LINE_BREAKS_AND_CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g
const oneLine = (text: string): string => text.replace(LINE_BREAKS_AND_CONTROLS, ' ')

/**
 * Markdown text inline (never at the start of a line: every caller puts it after a list marker or a
 * label). Backslash-escapes the ASCII punctuation that starts inline constructs: emphasis, code, links,
 * images, HTML and entities, table cells, strikethrough, emoji shortcodes, math, mentions, issue refs.
 */
export const escapeMarkdown = (text: string): string => oneLine(text).replace(/[\\`*_{}[\]()<>#!|~&@:$]/g, '\\$&')

/** Text inside raw HTML (`<summary>`), where markdown is not parsed but tags and entities are. */
export const escapeHtml = (text: string): string =>
  oneLine(text).replace(/[&<>"']/g, (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'})[c] ?? c)

const longestBacktickRun = (text: string): number => Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length))

/** A code span that holds any text, backticks included (CommonMark: a longer fence, padded). */
export function codeSpan(text: string): string {
  const content = oneLine(text)
  const fence = '`'.repeat(longestBacktickRun(content) + 1)
  const pad = content.startsWith('`') || content.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${content}${pad}${fence}`
}

/** A fenced code block whose fence no line of the content can close. */
export function codeBlock(content: string, info = ''): string {
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(content) + 1))
  return `${fence}${info}\n${content}\n${fence}`
}

/** Characters a plan digest may contain in the hidden marker, so it can't end the HTML comment. */
export const markerSafe = (text: string): string => text.replace(/[^A-Za-z0-9:._+/=]/g, '')
