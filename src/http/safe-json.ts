/**
 * JSON from the network, parsed so that it cannot reach JavaScript's object machinery: objects come
 * back with a null prototype (`body.toString` is not a function that came from nowhere), and a key
 * named `__proto__`, `constructor` or `prototype` is refused, with its path. Nesting is bounded and
 * checked before parsing, in one linear pass, so a 100k-deep body never reaches a recursive walk.
 */

/** Keys refused anywhere in a body: in JavaScript each one reaches a prototype when used as a key. */
export const FORBIDDEN_JSON_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype'])

/**
 * The deepest nesting of objects and arrays accepted: 100 levels (README, "Limits"). A Recall body is
 * under 10 deep; deeper is not a request anyone means, and walking it recursively would exhaust the stack.
 */
export const MAX_JSON_DEPTH = 100

export type JsonPath = Array<string | number>

export type SafeJson =
  | {ok: true; value: unknown}
  | {ok: false; reason: 'syntax' | 'too_deep'; message: string}
  | {ok: false; reason: 'forbidden_key'; message: string; path: JsonPath; key: string}

/** The deepest nesting of `text` read as JSON, stopping as soon as it passes `limit` (strings skipped). */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c)
        i++ // a backslash escapes the next character
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true
    } else if (c === 0x7d || c === 0x5d) depth--
  }
  return false
}

/** Parses `text`; never throws. An empty text is a syntax error (the caller decides what empty means). */
export function parseJsonSafely(text: string, maxDepth = MAX_JSON_DEPTH): SafeJson {
  if (jsonDepthExceeds(text, maxDepth))
    return {ok: false, reason: 'too_deep', message: `the JSON is nested deeper than ${maxDepth} levels`}
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (error) {
    return {ok: false, reason: 'syntax', message: (error as Error).message}
  }
  const found: {path?: JsonPath; key?: string} = {}
  const value = harden(raw, [], found)
  if (found.path !== undefined && found.key !== undefined)
    return {
      ok: false,
      reason: 'forbidden_key',
      message: `the key "${found.key}" is not allowed`,
      path: found.path,
      key: found.key,
    }
  return {ok: true, value}
}

/** Copies objects onto null prototypes, recording the first forbidden key. Depth is bounded by the scan above. */
function harden(value: unknown, path: JsonPath, found: {path?: JsonPath; key?: string}): unknown {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i)
      value[i] = harden(value[i], path, found)
      path.pop()
    }
    return value
  }
  const copy = Object.create(null) as Record<string, unknown>
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_JSON_KEYS.has(key)) {
      if (found.path === undefined) {
        found.path = [...path]
        found.key = key
      }
      continue
    }
    path.push(key)
    copy[key] = harden((value as Record<string, unknown>)[key], path, found)
    path.pop()
  }
  return copy
}
