import {closest, distance} from 'fastest-levenshtein'
import {stripControl, truncate} from '../shared/control-chars.js'
import {isSecretKey, REDACTED, redactUrl} from '../shared/redact.js'

export type PathSegment = string | number
export type Path = readonly PathSegment[]

/** `['realtime_endpoints', 0, 'url']` → `realtime_endpoints[0].url`. */
export function formatPath(path: Path): string {
  let out = ''
  for (const segment of path) out += typeof segment === 'number' ? `[${segment}]` : out === '' ? segment : `.${segment}`
  return out
}

/** The longest text a diagnostic quotes from a file; longer ones are cut, with an ellipsis. */
export const MAX_QUOTED_CHARS = 80

/** True when `path` sits under a metadata key whose value is a secret (`metadata.api_key`, `...metadata.token`). */
export function isSecretPath(path: Path): boolean {
  return path.some((segment, i) => i > 0 && path[i - 1] === 'metadata' && typeof segment === 'string' && isSecretKey(segment))
}

/**
 * A scalar from a user's file as a diagnostic may show it: a secret-named metadata value is hidden
 * whole, a URL loses its userinfo and query values, control characters are made visible, and the
 * text is cut to MAX_QUOTED_CHARS. Every value a message quotes goes through here.
 */
export function quoteText(value: string | number | boolean, path: Path = []): string {
  if (isSecretPath(path)) return REDACTED
  return truncate(stripControl(redactUrl(String(value))), MAX_QUOTED_CHARS)
}

/** A key or name from a user's file (a profile name, an unknown key), safe and short enough to quote. */
export const quoteName = (name: string): string => truncate(stripControl(name), MAX_QUOTED_CHARS)

/** A value as a person reads it in a message, redacted and shortened (see `quoteText`); `path` is where it sits. */
export function describeValue(value: unknown, path: Path = []): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'null'
  if (isSecretPath(path)) return REDACTED
  // JSON quoting escapes C0 controls as \n, \u001b...; stripControl then shows C1 and bidi characters.
  if (typeof value === 'string') return stripControl(JSON.stringify(truncate(redactUrl(value), MAX_QUOTED_CHARS)))
  if (typeof value === 'number' || typeof value === 'boolean') return quoteText(value, path)
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
