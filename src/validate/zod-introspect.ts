import type {z} from 'zod'
import {valueAt, type Path} from './describe.js'

/** zod 4 keeps a schema's definition under `_zod.def`; this reads the parts we need for messages. */
interface Def {
  type: string
  shape?: Record<string, z.ZodType>
  innerType?: z.ZodType
  element?: z.ZodType
  valueType?: z.ZodType
  options?: z.ZodType[]
  discriminator?: string
  in?: z.ZodType
  values?: unknown[]
  entries?: Record<string, unknown>
  getter?: () => z.ZodType
  format?: string
  checks?: Array<{_zod: {def: {check: string; format?: string}}}>
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as {_zod: {def: Def}})._zod.def

/** Strips optional/nullable/default/pipe wrappers. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema
  for (let i = 0; i < 20; i++) {
    const def = defOf(current)
    if (def.innerType && ['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional'].includes(def.type))
      current = def.innerType
    else if (def.type === 'pipe' && def.in) current = def.in
    else if (def.type === 'lazy' && def.getter) current = def.getter()
    else break
  }
  return current
}

/** For a union, the branch matching the value's discriminator, else the first object branch. */
function pickBranch(schema: z.ZodType, value: unknown): z.ZodType {
  const def = defOf(schema)
  if (def.type !== 'union' || !def.options) return schema
  const disc = def.discriminator
  if (disc && value !== null && typeof value === 'object') {
    const wanted = (value as Record<string, unknown>)[disc]
    const match = def.options.find((option) => literalValues(objectShape(option)?.[disc]).includes(wanted))
    if (match) return unwrap(match)
  }
  const objects = def.options.map(unwrap).filter((option) => defOf(option).type === 'object')
  return objects[0] ?? schema
}

function objectShape(schema: z.ZodType | undefined): Record<string, z.ZodType> | undefined {
  if (!schema) return undefined
  const def = defOf(unwrap(schema))
  return def.type === 'object' ? def.shape : undefined
}

/** Literal or enum values a schema accepts (empty when it is neither). */
export function literalValues(schema: z.ZodType | undefined): unknown[] {
  if (!schema) return []
  const def = defOf(unwrap(schema))
  if (def.type === 'literal') return def.values ?? []
  if (def.type === 'enum') return Object.values(def.entries ?? {})
  return []
}

/** The schema that applies at `path` inside `root` (a value checked against `schema`). */
export function schemaAt(schema: z.ZodType, path: Path, root: unknown): z.ZodType | undefined {
  let current: z.ZodType = pickBranch(unwrap(schema), root)
  for (let i = 0; i < path.length; i++) {
    const segment = path[i] as string | number
    const def = defOf(current)
    let next: z.ZodType | undefined
    if (def.type === 'object') next = def.shape?.[String(segment)]
    else if (def.type === 'array') next = def.element
    else if (def.type === 'record') next = def.valueType
    if (!next) return undefined
    current = pickBranch(unwrap(next), valueAt(root, path.slice(0, i + 1)))
  }
  return current
}

/** Keys an object schema at `path` accepts. */
export function allowedKeysAt(schema: z.ZodType, path: Path, root: unknown): string[] {
  const target = schemaAt(schema, path, root)
  return Object.keys(objectShape(target) ?? {})
}

/** Checks on a string that a substituted value is checked against later, rather than forbidding `${env:}`. */
const FREE_TEXT_CHECKS = new Set(['min_length', 'max_length', 'length_equals'])
const FREE_TEXT_FORMATS = new Set(['url'])

/**
 * Whether a value at this schema is free text, where `${env:NAME}` may stand for a secret: a plain
 * string (a length bound or a URL format is checked once substituted), a value the schema leaves
 * untyped (provider options passed through), or a union with such a branch (an open enum). Enums,
 * literals, numbers, booleans and strings with a pattern (ids, names) are not.
 */
export function isFreeText(schema: z.ZodType): boolean {
  const current = unwrap(schema)
  const def = defOf(current)
  if (def.type === 'unknown' || def.type === 'any') return true
  if (def.type === 'union') return (def.options ?? []).some((option) => isFreeText(option))
  if (def.type !== 'string') return false
  if (def.format !== undefined && !FREE_TEXT_FORMATS.has(def.format)) return false
  return (def.checks ?? []).every(({_zod: {def: check}}) =>
    check.check === 'string_format' ? FREE_TEXT_FORMATS.has(check.format ?? '') : FREE_TEXT_CHECKS.has(check.check),
  )
}

/** What a schema expects, in words, for a message saying why `${env:}` cannot stand there. */
export function expectedKind(schema: z.ZodType): string {
  const def = defOf(unwrap(schema))
  switch (def.type) {
    case 'enum':
    case 'literal':
      return 'a choice from a fixed set'
    case 'number':
    case 'int':
    case 'bigint':
      return 'a number'
    case 'boolean':
      return 'a true/false value'
    case 'object':
    case 'record':
      return 'a map'
    case 'array':
      return 'a list'
    case 'string':
      return 'a name or id in a fixed format'
    default:
      return 'a fixed value'
  }
}
