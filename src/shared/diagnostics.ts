import type {DiagnosticCode} from './diagnostic-codes.js'

/** A place in a user's file. Lines and columns are 1-based, as editors show them. */
export interface SourceLocation {
  file: string
  line: number
  column: number
}

export type Severity = 'error' | 'warning'

/** A span in a user's file: start and end, 1-based; `end` is just past the last character shown. */
export interface SourceRange {
  start: {line: number; column: number}
  end: {line: number; column: number}
}

/**
 * The source line of a diagnostic, as shown under it (secrets redacted), and the columns of its range
 * inside `text` (1-based, `end_column` just past the last character), for the `^^^` underline.
 */
export interface DiagnosticSnippet {
  line: number
  text: string
  start_column: number
  end_column: number
}

/** What a diagnostic is about, beside where: the profile, the assignment (its `file:line` label), the bot. */
export interface DiagnosticAddress {
  profile?: string
  assignment?: string
  bot?: string
}

/**
 * One problem found in the user's files or the live state. `message` is a full sentence for a person:
 * what is wrong, with the value found, and what to write instead. `code` is stable, for machines, and
 * comes from the one registry (diagnostic-codes.ts): no code reads `message`.
 *
 * A check reports against a value `path` in `file`; a later step (load/attach-ranges.ts, after
 * Terraform's "contextual" diagnostics) fills `line`/`column`/`range` from the parsed source and the
 * `snippet` (the source line, redacted). `line`/`column` stay: they are the start of `range`.
 */
export interface Diagnostic {
  severity: Severity
  code: DiagnosticCode
  message: string
  file?: string
  line?: number
  column?: number
  /** The value the problem is about, inside `file` (keys and list indexes), set by the check. */
  path?: ReadonlyArray<string | number>
  /** Where the value at `path` (or at line:column) starts and ends. */
  range?: SourceRange
  /** The source line where `range` starts, with secrets redacted. */
  snippet?: DiagnosticSnippet
  address?: DiagnosticAddress
  /** Other places involved (the parent that set a value, the other assignment claiming a bot...). */
  related?: Array<SourceLocation & {message: string}>
}

export const hasErrors = (diagnostics: readonly Diagnostic[]): boolean => diagnostics.some((d) => d.severity === 'error')

export const formatLocation = (loc: Partial<SourceLocation>): string =>
  loc.file === undefined ? '' : loc.line === undefined ? loc.file : `${loc.file}:${loc.line}:${loc.column ?? 1}`

/** Sorts by file, line, column, then message, so output is the same whatever order files were read in. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      (a.file ?? '').localeCompare(b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      a.message.localeCompare(b.message),
  )
}

/**
 * Each problem once. Two diagnostics are the same problem when code, place and value path agree: a rule
 * on an inherited value fires for the parent and for each child (the profile, in `address` and the
 * message, differs), and is one thing to fix.
 */
export function dedupeDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>()
  return diagnostics.filter((d) => {
    const key = JSON.stringify([d.code, d.file ?? null, d.line ?? null, d.column ?? null, d.path ?? null])
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
