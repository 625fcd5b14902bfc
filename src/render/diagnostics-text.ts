import {formatLocation, type Diagnostic} from '../shared/diagnostics.js'
import {palette, safe} from './terminal-text.js'

/** `recordings/sales.yaml:14:5: error: message`, then its related places as `note:` lines (pure). */
export function renderDiagnostic(d: Diagnostic, options: {color: boolean}): string {
  const p = palette(options.color)
  const where = formatLocation(d)
  const severity = d.severity === 'error' ? p.red(p.bold('error')) : p.yellow(p.bold('warning'))
  const lines = [`${where === '' ? '' : `${safe(where)}: `}${severity}: ${safe(d.message)}`]
  for (const r of d.related ?? []) {
    const at = formatLocation(r)
    lines.push(`    ${at === '' ? '' : `${safe(at)}: `}note: ${safe(r.message)}`)
  }
  return lines.join('\n')
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
