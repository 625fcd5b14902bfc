/** Copies `value` with `keys` first, in that order, then any other keys it has (fields added later survive). */
export function ordered(value: object, keys: readonly string[]): Record<string, unknown> {
  const source = value as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const key of keys) if (key in source && source[key] !== undefined) out[key] = source[key]
  for (const [key, v] of Object.entries(source)) if (!(key in out) && v !== undefined) out[key] = v
  return out
}
