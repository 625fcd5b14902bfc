import {formatLocation, type Diagnostic, type DiagnosticSnippet} from '../shared/diagnostics.js'
import stringWidth from 'string-width'
import {palette, safe, type Paint} from './terminal-text.js'

/**
 * `recordings/sales.yaml:14:5: error: message`, then the source line with the range underlined (as a
 * compiler shows it), then its related places as `note:` lines (pure).
 */
export function renderDiagnostic(d: Diagnostic, options: {color: boolean}): string {
  const p = palette(options.color)
  const where = formatLocation(d)
  const paint = d.severity === 'error' ? p.red : p.yellow
  const severity = paint(p.bold(d.severity))
  const lines = [`${where === '' ? '' : `${safe(where)}: `}${severity}: ${safe(d.message)}`]
  if (d.snippet) lines.push(...renderSnippet(d.snippet, paint))
  for (const r of d.related ?? []) {
    const at = formatLocation(r)
    lines.push(`    ${at === '' ? '' : `${safe(at)}: `}note: ${safe(r.message)}`)
  }
  return lines.join('\n')
}

/**
 * `   14 | text` and `      |      ^^^^` under it. Widths are measured on the shown (escaped) text, in
 * terminal columns, so the carets stay under the range when a control character before it is written as
 * `\uXXXX`, or when a wide character (CJK, emoji) takes two columns.
 */
function renderSnippet(snippet: DiagnosticSnippet, paint: Paint): string[] {
  const gutter = String(snippet.line).length
  const start = Math.max(0, snippet.start_column - 1)
  const end = Math.max(start + 1, snippet.end_column - 1)
  const before = stringWidth(safe(snippet.text.slice(0, start)))
  const width = Math.max(1, stringWidth(safe(snippet.text.slice(start, end))))
  return [
    `  ${String(snippet.line).padStart(gutter)} | ${safe(snippet.text)}`,
    `  ${' '.repeat(gutter)} | ${' '.repeat(before)}${paint('^'.repeat(width))}`,
  ]
}

export function renderDiagnostics(diagnostics: readonly Diagnostic[], options: {color: boolean}): string {
  return diagnostics.map((d) => renderDiagnostic(d, options)).join('\n')
}

/** `2 errors, 1 warning` (empty when there are none). */
export function countDiagnostics(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length
  const warnings = diagnostics.length - errors
  const parts = []
  if (errors) parts.push(`${errors} error${errors === 1 ? '' : 's'}`)
  if (warnings) parts.push(`${warnings} warning${warnings === 1 ? '' : 's'}`)
  return parts.join(', ')
}
