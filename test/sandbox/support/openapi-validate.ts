/**
 * A small validator for OpenAPI 3.0 schemas, enough for Recall's `Bot`: $ref, nullable, type,
 * properties/required/additionalProperties, items, enum, oneOf/anyOf/allOf, formats uuid/date-time/uri,
 * maxLength. Validates responses: a `writeOnly` schema never matches (it describes requests only).
 * Returns every problem with its JSON path.
 */
type Schema = Record<string, any>

export class OpenApiValidator {
  constructor(private readonly document: {components: {schemas: Record<string, Schema>}}) {}

  validate(value: unknown, schemaOrName: Schema | string, path = '$'): string[] {
    const schema = typeof schemaOrName === 'string' ? {$ref: `#/components/schemas/${schemaOrName}`} : schemaOrName
    return this.check(value, schema, path)
  }

  private resolve(schema: Schema): Schema {
    let current = schema
    while (typeof current['$ref'] === 'string') {
      const name = (current['$ref'] as string).replace('#/components/schemas/', '')
      const target = this.document.components.schemas[name]
      if (target === undefined) throw new Error(`unresolved $ref ${current['$ref']}`)
      current = {...target, ...Object.fromEntries(Object.entries(current).filter(([k]) => k !== '$ref'))}
    }
    return current
  }

  private check(value: unknown, raw: Schema, path: string): string[] {
    const schema = this.resolve(raw)
    if (schema['writeOnly'] === true) return [`${path}: a write-only schema cannot appear in a response`]
    if (value === null) return schema['nullable'] === true ? [] : [`${path}: null is not allowed`]
    const problems: string[] = []
    if (Array.isArray(schema['allOf'])) for (const part of schema['allOf']) problems.push(...this.check(value, part, path))
    if (Array.isArray(schema['oneOf'])) {
      const results = schema['oneOf'].map((part: Schema) => this.check(value, part, path))
      const passing = results.filter((r: string[]) => r.length === 0).length
      if (passing !== 1)
        problems.push(
          `${path}: matches ${passing} of oneOf (need exactly 1): ${results.map((r: string[]) => r[0] ?? 'ok').join(' | ')}`,
        )
    }
    if (Array.isArray(schema['anyOf'])) {
      const results = schema['anyOf'].map((part: Schema) => this.check(value, part, path))
      if (!results.some((r: string[]) => r.length === 0)) problems.push(`${path}: matches none of anyOf`)
    }
    if (schema['enum'] !== undefined && !schema['enum'].includes(value))
      problems.push(`${path}: ${JSON.stringify(value)} is not one of ${schema['enum'].join(', ')}`)
    const type = schema['type'] ?? (schema['properties'] !== undefined ? 'object' : undefined)
    switch (type) {
      case 'object': {
        if (typeof value !== 'object' || Array.isArray(value)) return [...problems, `${path}: expected an object`]
        const record = value as Record<string, unknown>
        const properties: Record<string, Schema> = schema['properties'] ?? {}
        for (const key of schema['required'] ?? []) if (!(key in record)) problems.push(`${path}.${key}: required`)
        for (const [key, inner] of Object.entries(record)) {
          if (key in properties) problems.push(...this.check(inner, properties[key]!, `${path}.${key}`))
          else if (schema['additionalProperties'] === false)
            problems.push(`${path}.${key}: not allowed (additionalProperties: false)`)
          else if (typeof schema['additionalProperties'] === 'object')
            problems.push(...this.check(inner, schema['additionalProperties'], `${path}.${key}`))
        }
        break
      }
      case 'array':
        if (!Array.isArray(value)) return [...problems, `${path}: expected an array`]
        if (schema['items'] !== undefined)
          value.forEach((item, i) => problems.push(...this.check(item, schema['items'], `${path}[${i}]`)))
        break
      case 'string':
        if (typeof value !== 'string') return [...problems, `${path}: expected a string, got ${JSON.stringify(value)}`]
        if (typeof schema['maxLength'] === 'number' && value.length > schema['maxLength'])
          problems.push(`${path}: longer than ${schema['maxLength']}`)
        if (schema['format'] === 'uuid' && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value))
          problems.push(`${path}: not a uuid`)
        if (schema['format'] === 'date-time' && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value))
          problems.push(`${path}: not a date-time`)
        if (schema['format'] === 'uri' && !URL.canParse(value)) problems.push(`${path}: not a URI`)
        break
      case 'integer':
        if (!Number.isInteger(value)) problems.push(`${path}: expected an integer`)
        break
      case 'number':
        if (typeof value !== 'number') problems.push(`${path}: expected a number`)
        break
      case 'boolean':
        if (typeof value !== 'boolean') problems.push(`${path}: expected a boolean`)
        break
    }
    return problems
  }
}
