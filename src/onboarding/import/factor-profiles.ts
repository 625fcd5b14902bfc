import {ENDPOINT_DEFAULTS} from '../../recall/body-defaults.js'
import {BODY_FIELDS, type CompleteStartRecordingBody} from '../../recall/body-schema.js'
import {canonicalJson} from '../../shared/canonical-json.js'

/** Profile fields as they will be written (no `extends`): a subset of a body, nested maps possibly partial. */
export type ProfileFields = Record<string, unknown>

export interface FactoredProfiles {
  /** Fields every body shares, when a shared parent makes the file shorter; undefined otherwise. */
  base: ProfileFields | undefined
  /** One per body, in the same order: what that body adds to the base (or all of its fields, without a base). */
  leaves: ProfileFields[]
}

type Path = readonly string[]

/** Values merged as a whole by `extends` (merge.ts): a parent's part must never be mixed into a child's. */
const REPLACED_WHOLE: readonly string[] = ['retention', 'transcript\u0000provider']

const isMap = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
const mergedWhole = (path: Path) => REPLACED_WHOLE.includes(path.join('\u0000'))

/**
 * The fields a profile must write for a complete body: those that differ from the endpoint default,
 * and `retention` always (leaving it to the default earns a warning: say what you mean). Resolving the
 * profile fills the rest with the same defaults, so it resolves to the same body.
 */
export function fieldsOf(body: CompleteStartRecordingBody): ProfileFields {
  const fields: ProfileFields = {}
  for (const field of BODY_FIELDS) {
    const value = body[field]
    if (field === 'retention' || canonicalJson(value) !== canonicalJson(ENDPOINT_DEFAULTS[field]))
      fields[field] = structuredClone(value)
  }
  return fields
}

/**
 * Distinct bodies → profiles (pure): one leaf per body and, when it makes the file shorter, a shared
 * base holding what every body has in common, down into maps that `extends` merges key by key
 * (metadata, artifact options, transcript options); lists and replaced-whole values are shared only
 * when equal. Each leaf then holds only what differs from the base. A leaf `extends` the base and
 * resolves to exactly its body.
 */
export function factorProfiles(bodies: readonly CompleteStartRecordingBody[]): FactoredProfiles {
  const flat = bodies.map(fieldsOf)
  if (flat.length < 2) return {base: undefined, leaves: flat}
  const common = commonPart(flat, []) ?? {}
  // Every profile, the base too, says what its retention is (else a warning): the base takes the most
  // common one, and a leaf with another overrides it (retention is replaced whole, never mixed).
  const base = 'retention' in common ? common : {retention: mostCommon(flat.map((fields) => fields['retention'])), ...common}
  const leaves = flat.map((fields) => remainder(fields, base, []) ?? {})
  // `extends: <name>` per leaf and the base's own header cost about this much.
  const overhead = 40 * (leaves.length + 1)
  return size([base, ...leaves]) + overhead < size(flat) ? {base, leaves} : {base: undefined, leaves: flat}
}

/** The value that occurs most often (the first of equals). */
function mostCommon(values: readonly unknown[]): unknown {
  const counts = new Map<string, {value: unknown; count: number}>()
  for (const value of values) {
    const key = canonicalJson(value)
    const entry = counts.get(key) ?? {value, count: 0}
    entry.count++
    counts.set(key, entry)
  }
  let best: {value: unknown; count: number} | undefined
  for (const entry of counts.values()) if (!best || entry.count > best.count) best = entry
  return structuredClone(best?.value)
}

const size = (profiles: readonly ProfileFields[]): number =>
  profiles.reduce((sum, fields) => sum + canonicalJson(fields).length, 0)

/** What all maps share at `path`: equal values, and the shared part of maps that merge key by key. */
function commonPart(maps: readonly Record<string, unknown>[], path: Path): Record<string, unknown> | undefined {
  const [first, ...rest] = maps
  if (!first) return undefined
  const common: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(first)) {
    if (!rest.every((map) => key in map)) continue
    const values = maps.map((map) => map[key])
    const keyPath = [...path, key]
    if (values.every((v) => canonicalJson(v) === canonicalJson(value))) common[key] = structuredClone(value)
    else if (!mergedWhole(keyPath) && values.every(isMap)) {
      const inner = commonPart(values as Record<string, unknown>[], keyPath)
      if (inner !== undefined) common[key] = inner
    }
  }
  return Object.keys(common).length > 0 ? common : undefined
}

/** `fields` minus what `base` already gives it (undefined when nothing is left). */
function remainder(
  fields: Record<string, unknown>,
  base: Record<string, unknown>,
  path: Path,
): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(fields)) {
    if (!(key in base)) {
      out[key] = structuredClone(value)
      continue
    }
    const shared = base[key]
    if (canonicalJson(shared) === canonicalJson(value)) continue
    // Only a map that merges key by key can be partly shared (commonPart made it so).
    const rest =
      isMap(value) && isMap(shared) && !mergedWhole([...path, key])
        ? remainder(value, shared, [...path, key])
        : structuredClone(value)
    if (rest !== undefined) out[key] = rest
  }
  return Object.keys(out).length > 0 ? out : undefined
}
