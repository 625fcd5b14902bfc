/**
 * Canonical JSON: object keys sorted at every level (by UTF-16 code units, like JSON.stringify's
 * own key handling on every platform), no whitespace, arrays in order. Equal values give equal text
 * whatever the order the keys were written in, so digests are the same on any machine.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (value === undefined) return 'null'
    return JSON.stringify(value)
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`
  // Hot (plan digests over every bot): one pass over sorted keys, no intermediate arrays of entries.
  // The default sort compares UTF-16 code units, as the contract above says.
  const record = value as Record<string, unknown>
  let out = '{'
  for (const key of Object.keys(record).sort()) {
    const inner = record[key]
    if (inner === undefined) continue
    if (out.length > 1) out += ','
    out += `${JSON.stringify(key)}:${canonicalJson(inner)}`
  }
  return `${out}}`
}
