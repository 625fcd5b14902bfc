/** Text for terminals: ANSI colours when asked, and user strings made harmless. */
export type Paint = (text: string) => string
export interface Palette {
  green: Paint
  yellow: Paint
  red: Paint
  bold: Paint
  dim: Paint
}

const ansi =
  (open: number, close: number): Paint =>
  (text) =>
    `\u001b[${open}m${text}\u001b[${close}m`
export const identity: Paint = (text) => text

export const palette = (color: boolean): Palette =>
  color
    ? {green: ansi(32, 39), yellow: ansi(33, 39), red: ansi(31, 39), bold: ansi(1, 22), dim: ansi(2, 22)}
    : {green: identity, yellow: identity, red: identity, bold: identity, dim: identity}

/**
 * Strings from files or the API are shown with control characters escaped, so a profile name or an error
 * detail can't move the cursor, change colours or fake lines in someone's terminal or CI log, nor
 * reorder what a reader sees (bidi overrides and isolates, zero-width characters).
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g
export const safe = (text: string): string =>
  text.replace(CONTROL, (c) => (c === '\n' ? ' ' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`))
