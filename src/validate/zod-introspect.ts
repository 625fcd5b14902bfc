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
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as {_zod: {def: Def}})._zod.def

/** Strips optional/nullable/default/pipe wrappers. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema
  for (let i = 0; i < 20; i++) {
    const def = defOf(current)
    if (def.innerType && ['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional'].includes(def.type)) current = def.innerType
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

/** For a discriminated union at `path`: the discriminator key and its accepted values. */
export function discriminatorAt(schema: z.ZodType, path: Path, root: unknown): {key: string; values: unknown[]} | undefined {
  let current: z.ZodType = unwrap(schema)
  for (let i = 0; i < path.length; i++) {
    const def = defOf(current)
    const segment = path[i] as string | number
    let next: z.ZodType | undefined
    if (def.type === 'union') current = pickBranch(current, valueAt(root, path.slice(0, i)))
    const d = defOf(current)
    if (d.type === 'object') next = d.shape?.[String(segment)]
    else if (d.type === 'array') next = d.element
    else if (d.type === 'record') next = d.valueType
    if (!next) return undefined
    current = unwrap(next)
  }
  const def = defOf(current)
  if (def.type !== 'union' || !def.discriminator || !def.options) return undefined
  const key = def.discriminator
  return {key, values: def.options.flatMap((option) => literalValues(objectShape(option)?.[key]))}
}
