/** A place in a user's file. Lines and columns are 1-based, as editors show them. */
export interface SourceLocation {
  file: string
  line: number
  column: number
}

export type Severity = 'error' | 'warning'

/**
 * One problem found in the user's files or the live state. `message` is a full sentence for a person:
 * what is wrong, with the value found, and what to write instead. `code` is stable, for machines.
 */
export interface Diagnostic {
  severity: Severity
  code: string
  message: string
  file?: string
  line?: number
  column?: number
  /** Other places involved (the parent that set a value, the other assignment claiming a bot...). */
  related?: Array<SourceLocation & {message: string}>
}

export const hasErrors = (diagnostics: readonly Diagnostic[]): boolean =>
  diagnostics.some((d) => d.severity === 'error')

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
