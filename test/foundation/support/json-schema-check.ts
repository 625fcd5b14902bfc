/**
 * A small structural check of a value against the draft-7 JSON Schema that `jsonSchemaOf` emits
 * (no $ref; formats are not checked). It answers what an editor's yaml-language-server would flag:
 * unknown keys, wrong types, values outside an enum, missing required keys.
 */
type Schema = Record<string, unknown> | boolean

const typeOf = (value: unknown): string =>
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'array'
      : typeof value === 'number'
        ? Number.isInteger(value)
          ? 'integer'
          : 'number'
        : typeof value

export function schemaErrors(schema: Schema, value: unknown, path = '$'): string[] {
  if (schema === true) return []
  if (schema === false) return [`${path}: not allowed`]
  const errors: string[] = []
  const s = schema
  if (s['type'] !== undefined) {
    const types = ([] as string[]).concat(s['type'] as string | string[])
    const actual = typeOf(value)
    if (!types.includes(actual) && !(actual === 'integer' && types.includes('number')))
      return [`${path}: expected ${types.join('|')}, found ${actual}`]
  }
  if (s['const'] !== undefined && JSON.stringify(s['const']) !== JSON.stringify(value))
    errors.push(`${path}: must be ${JSON.stringify(s['const'])}`)
  if (Array.isArray(s['enum']) && !s['enum'].some((v) => JSON.stringify(v) === JSON.stringify(value)))
    errors.push(`${path}: ${JSON.stringify(value)} not in enum`)
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = s[key] as Schema[] | undefined
    if (!options) continue
    const passing = options.filter((option) => schemaErrors(option, value, path).length === 0).length
    if (passing === 0 || (key === 'oneOf' && passing > 1)) errors.push(`${path}: matches ${passing} of the ${key} options`)
  }
  if (typeof value === 'string') {
    if (typeof s['pattern'] === 'string' && !new RegExp(s['pattern'], 'u').test(value))
      errors.push(`${path}: does not match ${s['pattern']}`)
    if (typeof s['minLength'] === 'number' && value.length < s['minLength']) errors.push(`${path}: too short`)
    if (typeof s['maxLength'] === 'number' && value.length > s['maxLength']) errors.push(`${path}: too long`)
  }
  if (typeof value === 'number') {
    if (typeof s['minimum'] === 'number' && value < s['minimum']) errors.push(`${path}: below minimum`)
    if (typeof s['maximum'] === 'number' && value > s['maximum']) errors.push(`${path}: above maximum`)
    if (typeof s['exclusiveMinimum'] === 'number' && value <= s['exclusiveMinimum'])
      errors.push(`${path}: not above exclusiveMinimum`)
  }
  if (Array.isArray(value)) {
    if (typeof s['minItems'] === 'number' && value.length < s['minItems']) errors.push(`${path}: too few items`)
    if (s['items'] !== undefined)
      value.forEach((item, i) => errors.push(...schemaErrors(s['items'] as Schema, item, `${path}[${i}]`)))
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const properties = (s['properties'] ?? {}) as Record<string, Schema>
    const entries = Object.entries(value)
    if (typeof s['minProperties'] === 'number' && entries.length < s['minProperties']) errors.push(`${path}: too few keys`)
    if (typeof s['maxProperties'] === 'number' && entries.length > s['maxProperties']) errors.push(`${path}: too many keys`)
    for (const key of (s['required'] ?? []) as string[]) if (!(key in value)) errors.push(`${path}: missing required key ${key}`)
    for (const [key, inner] of entries) {
      if (s['propertyNames'] !== undefined) errors.push(...schemaErrors(s['propertyNames'] as Schema, key, `${path} key ${key}`))
      const sub = key in properties ? properties[key] : s['additionalProperties']
      if (sub === undefined) continue
      if (sub === false) errors.push(`${path}: unknown key ${key}`)
      else errors.push(...schemaErrors(sub as Schema, inner, `${path}.${key}`))
    }
  }
  return errors
}
