import type {FieldChange, FieldDiff} from '../plan/types.js'

/** A copy with object keys sorted at every level (arrays keep their order). */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value === null || typeof value !== 'object') return value
  const source = value as Record<string, unknown>
  return Object.fromEntries(
    Object.keys(source)
      .sort()
      .map((k) => [k, sortKeys(source[k])]),
  )
}

/** Pretty JSON with object keys sorted at every level: the same value always prints the same way. */
export const prettyJson = (value: unknown): string => JSON.stringify(sortKeys(value), null, 2) ?? 'undefined'

/** One-line JSON, keys sorted. */
export const compactJson = (value: unknown): string => JSON.stringify(sortKeys(value)) ?? 'undefined'

export interface DiffLine {
  sign: ' ' | '-' | '+' | '~'
  text: string
}

/** `~ retention.hours: 720 → 2160`: the sign of a field change (as Terraform marks them) and its lines. */
export function fieldChangeLines(change: FieldChange, width: number): DiffLine[] {
  const sign = change.kind === 'added' ? '+' : change.kind === 'removed' ? '-' : '~'
  const before = change.kind === 'added' ? undefined : compactJson(change.before)
  const after = change.kind === 'removed' ? undefined : compactJson(change.after)
  const note = change.redacted_difference ? '  # differs in redacted values' : ''
  const value = before !== undefined && after !== undefined ? `${before} → ${after}` : (after ?? before ?? '')
  const oneLine = `${change.path}: ${value}${note}`
  if (oneLine.length + 2 <= width) return [{sign, text: oneLine}]
  // Too long for one line: the values as pretty JSON, each line marked with the side it belongs to.
  const lines: DiffLine[] = [{sign, text: `${change.path}:${note}`}]
  if (change.kind !== 'added')
    for (const text of prettyJson(change.before).split('\n')) lines.push({sign: '-', text: `  ${text}`})
  if (change.kind !== 'removed')
    for (const text of prettyJson(change.after).split('\n')) lines.push({sign: '+', text: `  ${text}`})
  return lines
}

/** `# 10 unchanged fields hidden` */
export const unchangedLine = (diff: FieldDiff): string | undefined =>
  diff.unchanged > 0 ? `${diff.unchanged} unchanged field${diff.unchanged === 1 ? '' : 's'} hidden` : undefined
