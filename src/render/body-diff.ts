import {diffLines} from 'diff'

/** A copy with object keys sorted at every level (arrays keep their order). */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value === null || typeof value !== 'object') return value
  const source = value as Record<string, unknown>
  return Object.fromEntries(Object.keys(source).sort().map((k) => [k, sortKeys(source[k])]))
}

/** Pretty JSON with object keys sorted at every level: the same value always prints the same way. */
export const prettyJson = (value: unknown): string => JSON.stringify(sortKeys(value), null, 2) ?? 'undefined'

/** One-line JSON, keys sorted. */
export const compactJson = (value: unknown): string => JSON.stringify(sortKeys(value)) ?? 'undefined'

/** One top-level body field that differs. `before`/`after` are absent when the field is absent on that side. */
export interface FieldChange {
  field: string
  kind: 'changed' | 'added' | 'removed'
  before?: unknown
  after?: unknown
}

export interface BodyComparison {
  changes: FieldChange[]
  unchanged: number
}

const has = (o: Record<string, unknown>, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k)

/** Top-level fields of `desired` that differ from `previous`, in desired's order, then removed fields. */
export function compareBodies(previous: Record<string, unknown>, desired: Record<string, unknown>): BodyComparison {
  const changes: FieldChange[] = []
  let unchanged = 0
  for (const [field, after] of Object.entries(desired)) {
    if (!has(previous, field)) changes.push({field, kind: 'added', after})
    else if (compactJson(previous[field]) !== compactJson(after))
      changes.push({field, kind: 'changed', before: previous[field], after})
    else unchanged++
  }
  for (const [field, before] of Object.entries(previous))
    if (!has(desired, field)) changes.push({field, kind: 'removed', before})
  return {changes, unchanged}
}

export interface DiffLine {
  sign: ' ' | '-' | '+'
  text: string
}

const splitLines = (text: string): string[] => text.replace(/\n$/, '').split('\n')

/**
 * Line diff of two values as pretty JSON. With `label`, the first line of each side is prefixed
 * `label: ` so the field name shows in a standalone diff block.
 */
export function jsonDiffLines(before: unknown, after: unknown, label?: string): DiffLine[] {
  const side = (present: boolean, value: unknown): string =>
    present ? `${label === undefined ? '' : `${label}: `}${prettyJson(value)}\n` : ''
  const lines: DiffLine[] = []
  for (const part of diffLines(side(before !== undefined, before), side(after !== undefined, after))) {
    const sign = part.added ? '+' : part.removed ? '-' : ' '
    for (const text of splitLines(part.value)) lines.push({sign, text})
  }
  return lines
}

export const fieldDiffLines = (change: FieldChange, withLabel: boolean): DiffLine[] =>
  jsonDiffLines(change.before, change.after, withLabel ? change.field : undefined)
