import type {FieldChange, FieldDiff} from '../plan/types.js'
import {canonicalJson} from '../shared/canonical-json.js'
import {REDACTED} from '../shared/redact.js'

type Container = Record<string, unknown> | unknown[]

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
const sameKind = (a: unknown, b: unknown): boolean => (Array.isArray(a) && Array.isArray(b)) || (isObject(a) && isObject(b))
const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k)

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/
/** `retention` + `hours` → `retention.hours`; `realtime_endpoints` + 1 → `realtime_endpoints[1]`; odd keys quoted. */
const childPath = (path: string, key: string | number): string =>
  typeof key === 'number'
    ? `${path}[${key}]`
    : IDENTIFIER.test(key)
      ? path === ''
        ? key
        : `${path}.${key}`
      : `${path}[${JSON.stringify(key)}]`

/** The value at `key` of a redacted container, or undefined when redaction changed the shape there. */
const childOf = (container: unknown, key: string | number): unknown =>
  container !== null && typeof container === 'object' ? (container as Record<string | number, unknown>)[key] : undefined

/**
 * The bodies before and after, compared value by value (pure). Which values differ is decided on the
 * bodies as written (`${env:}` references unsubstituted, as the digests are); what is shown comes from
 * the redacted copies at the same paths, so a secret never enters the result. Objects are compared key by
 * key (the after side's order, then removed keys), arrays index by index; a value whose type changes, or
 * a scalar, is one change. `unchanged` counts the equal values beside the changed ones at every level
 * shown, and the equal top-level fields (what a reader does not see).
 */
export function fieldDiff(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  shownBefore: Record<string, unknown>,
  shownAfter: Record<string, unknown>,
): FieldDiff {
  const changes: FieldChange[] = []
  const unchanged = compareContainers(before, after, {before: shownBefore, after: shownAfter}, '', changes)
  return {changes, unchanged}
}

interface Shown {
  before: unknown
  after: unknown
}

function compareContainers(before: Container, after: Container, shown: Shown, path: string, out: FieldChange[]): number {
  let unchanged = 0
  const keys: Array<string | number> =
    Array.isArray(after) && Array.isArray(before)
      ? Array.from({length: Math.max(before.length, after.length)}, (_, i) => i)
      : [...Object.keys(after), ...Object.keys(before).filter((k) => !has(after, k))]
  for (const key of keys) {
    const inBefore = Array.isArray(before) ? (key as number) < before.length : has(before, key as string)
    const inAfter = Array.isArray(after) ? (key as number) < after.length : has(after, key as string)
    const b = (before as Record<string | number, unknown>)[key]
    const a = (after as Record<string | number, unknown>)[key]
    const here = childPath(path, key)
    const shownHere = {before: childOf(shown.before, key), after: childOf(shown.after, key)}
    if (!inBefore) out.push({path: here, kind: 'added', after: shownValue(shownHere.after)})
    else if (!inAfter) out.push({path: here, kind: 'removed', before: shownValue(shownHere.before)})
    else if (canonicalJson(b) === canonicalJson(a)) unchanged++
    else if (sameKind(b, a) && !isEmpty(b) && !isEmpty(a))
      unchanged += compareContainers(b as Container, a as Container, shownHere, here, out)
    else {
      const change: FieldChange = {
        path: here,
        kind: 'changed',
        before: shownValue(shownHere.before),
        after: shownValue(shownHere.after),
      }
      if (canonicalJson(change.before) === canonicalJson(change.after)) change.redacted_difference = true
      out.push(change)
    }
  }
  return unchanged
}

/** `{}` → `{type: timed}` reads better as one change than as an added key under an empty object. */
const isEmpty = (value: unknown): boolean =>
  Array.isArray(value) ? value.length === 0 : isObject(value) && Object.keys(value).length === 0

/** A redacted value that redaction reshaped (so the path is gone) still shows as redacted, never raw. */
const shownValue = (value: unknown): unknown => (value === undefined ? REDACTED : value)
