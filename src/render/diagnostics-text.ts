import {formatLocation, type Diagnostic} from '../shared/diagnostics.js'

const RED = '\u001b[31m'
const YELLOW = '\u001b[33m'
const DIM = '\u001b[2m'
const RESET = '\u001b[0m'

/** `recordings/sales.yaml:14:5: error: message`, then its related places, one per line (pure). */
export function renderDiagnostic(d: Diagnostic, options: {color: boolean}): string {
  const paint = (code: string, text: string) => (options.color ? `${code}${text}${RESET}` : text)
  const where = formatLocation(d)
  const head = `${where ? `${where}: ` : ''}${paint(d.severity === 'error' ? RED : YELLOW, d.severity)}: ${d.message}`
  const related = (d.related ?? []).map((r) => `  ${paint(DIM, `${formatLocation(r)}: ${r.message}`)}`)
  return [head, ...related].join('\n')
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
