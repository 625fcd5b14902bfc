import {closest, distance} from 'fastest-levenshtein'

export type PathSegment = string | number
export type Path = readonly PathSegment[]

/** `['realtime_endpoints', 0, 'url']` → `realtime_endpoints[0].url`. */
export function formatPath(path: Path): string {
  let out = ''
  for (const segment of path) out += typeof segment === 'number' ? `[${segment}]` : out === '' ? segment : `.${segment}`
  return out
}

/** A value as a person reads it in a message. Long strings are shortened. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'null'
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (Array.isArray(value)) return 'a list'
  return 'a map'
}

/** The kind of a value in the words of YAML: text, number, true/false, list, map, null. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'string') return 'text'
  if (typeof value === 'boolean') return 'true/false'
  if (typeof value === 'object') return 'a map'
  return `a ${typeof value}`
}

/** The nearest candidate when it is close enough to be a typo, for "did you mean". */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined
  const best = closest(word, [...candidates])
  const limit = Math.max(2, Math.floor(word.length / 3))
  return distance(word, best) <= limit ? best : undefined
}

export const listChoices = (values: readonly unknown[]): string => values.map((v) => String(v)).join(', ')

export function valueAt(root: unknown, path: Path): unknown {
  let node = root
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined
    node = (node as Record<PathSegment, unknown>)[segment]
  }
  return node
}
