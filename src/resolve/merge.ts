import type {SourceLocation} from '../shared/diagnostics.js'
import type {Path} from '../validate/describe.js'
import {FieldOrigins} from './origins.js'

/** One layer of a merge: a profile's (or an assignment's) fields and where each is written. */
export interface MergeLayer {
  fields: Record<string, unknown>
  locate: (path: Path) => SourceLocation
}

/**
 * Tagged unions are replaced whole, never mixed: a child's `retention: {type: forever}` must not keep
 * the parent's `hours`, and a child's transcript provider replaces the parent's.
 */
const REPLACED_WHOLE: readonly Path[] = [['retention'], ['transcript', 'provider']]

const isPlainMap = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
const samePath = (a: Path, b: Path) => a.length === b.length && a.every((s, i) => s === b[i])

/**
 * Merges layers parent first, child over it (pure; inputs are not mutated): maps merge key by key,
 * lists are replaced whole, an explicit `null` turns a field off, tagged unions are replaced whole,
 * and inside a `metadata` map `null` removes an inherited key.
 */
export function mergeLayers(layers: readonly MergeLayer[]): {merged: Record<string, unknown>; origins: FieldOrigins} {
  const origins = new FieldOrigins()
  let merged: Record<string, unknown> = {}
  for (const layer of layers) merged = mergeMap(merged, layer.fields, [], layer, origins)
  return {merged, origins}
}

function mergeMap(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
  path: Path,
  layer: MergeLayer,
  origins: FieldOrigins,
): Record<string, unknown> {
  const out: Record<string, unknown> = {...base}
  const inMetadata = path[path.length - 1] === 'metadata'
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue
    const childPath = [...path, key]
    if (inMetadata && value === null) {
      delete out[key]
      origins.set(childPath, layer.locate(childPath), layer.locate)
      continue
    }
    const current = out[key]
    if (isPlainMap(value) && isPlainMap(current) && !REPLACED_WHOLE.some((p) => samePath(p, childPath))) {
      out[key] = mergeMap(current, value, childPath, layer, origins)
    } else {
      out[key] = withoutNullMetadata(structuredClone(value), key)
      origins.set(childPath, layer.locate(childPath), layer.locate)
    }
  }
  return out
}

/**
 * A value set whole inherits nothing, so a `null` in one of its metadata maps has nothing to remove:
 * it means absent, as it does after a merge (the body never carries a `null` metadata value).
 */
function withoutNullMetadata(value: unknown, key: string): unknown {
  if (Array.isArray(value)) return value.map((item) => withoutNullMetadata(item, ''))
  if (!isPlainMap(value)) return value
  const kept = Object.entries(value).filter(([, inner]) => !(key === 'metadata' && inner === null))
  return Object.fromEntries(kept.map(([k, inner]) => [k, withoutNullMetadata(inner, k)]))
}
