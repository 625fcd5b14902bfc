/**
 * Reduces an OpenAPI 3.0 schema (with `$ref`, `allOf`, `nullable`, discriminated `oneOf`) and a JSON
 * Schema 2020-12 document (zod's `z.toJSONSchema` output) to one comparable "shape", then lists where
 * two shapes disagree: field names at every level, required keys, enum values, nullability, and the
 * kind of each value (object, map, array, union, scalar type).
 *
 * Deliberately not compared: descriptions, defaults, formats, numeric/length bounds, patterns, and
 * `additionalProperties` on objects that list their properties (ours are all closed on purpose).
 */

type JsonObject = Record<string, unknown>

export type Shape =
  | {kind: 'any'; nullable: boolean}
  | {kind: 'null'; nullable: true}
  | {kind: 'scalar'; type: 'string' | 'number' | 'integer' | 'boolean'; nullable: boolean}
  | {kind: 'enum'; values: string[]; nullable: boolean}
  | {kind: 'array'; items: Shape; nullable: boolean}
  | {kind: 'map'; values: Shape; nullable: boolean}
  | {kind: 'object'; props: Record<string, {shape: Shape; required: boolean}>; nullable: boolean}
  | {kind: 'union'; variants: Shape[]; nullable: boolean}

export interface ShapeDifference {
  /** Dotted path; `[]` for array items, `{}` for map values, `<key>` for a union variant. */
  path: string
  message: string
}

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value)

/** Follows a local JSON pointer (`#/components/schemas/X`, `#/$defs/X`). */
function resolvePointer(root: JsonObject, ref: string): JsonObject {
  if (!ref.startsWith('#')) throw new Error(`only local $refs are supported, got ${ref}`)
  let node: unknown = root
  for (const raw of ref.slice(1).split('/').filter(Boolean)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (!isObject(node) || !(key in node)) throw new Error(`$ref ${ref} does not resolve`)
    node = node[key]
  }
  if (!isObject(node)) throw new Error(`$ref ${ref} is not a schema`)
  return node
}

const withNullable = (shape: Shape, nullable: boolean): Shape =>
  nullable && shape.kind !== 'null' ? {...shape, nullable: true} : shape

/** Reduces `schema` (part of the document `root`) to its shape. */
export function toShape(schema: unknown, root: JsonObject, seen: readonly JsonObject[] = []): Shape {
  if (schema === true || (isObject(schema) && Object.keys(schema).length === 0)) return {kind: 'any', nullable: false}
  if (!isObject(schema)) throw new Error(`not a schema: ${JSON.stringify(schema)}`)
  if (seen.includes(schema)) throw new Error('recursive schemas are not supported')
  const inner = [...seen, schema]
  const nullable = schema['nullable'] === true

  if (typeof schema['$ref'] === 'string') {
    const target = toShape(resolvePointer(root, schema['$ref']), root, inner)
    return withNullable(target, nullable)
  }

  if (Array.isArray(schema['allOf'])) {
    const parts = schema['allOf'].map((part) => toShape(part, root, inner))
    return withNullable(mergeAll(parts), nullable)
  }

  const unionKey = Array.isArray(schema['oneOf']) ? 'oneOf' : Array.isArray(schema['anyOf']) ? 'anyOf' : undefined
  if (unionKey !== undefined && !isConstraintOnly(schema, unionKey)) {
    const discriminator = schema['discriminator']
    if (isObject(discriminator) && isObject(discriminator['mapping'])) {
      const property = String(discriminator['propertyName'])
      const variants = Object.entries(discriminator['mapping']).map(([value, ref]) => {
        const variant = toShape(resolvePointer(root, String(ref)), root, inner)
        if (variant.kind !== 'object') throw new Error(`discriminated variant ${String(ref)} is not an object`)
        const current = variant.props[property]
        return {
          ...variant,
          props: {
            ...variant.props,
            [property]: {
              shape: {kind: 'enum', values: [JSON.stringify(value)], nullable: false},
              required: current?.required ?? true,
            },
          },
        } satisfies Shape
      })
      return simplifyUnion(variants, nullable)
    }
    const branches = (schema[unionKey] as unknown[]).map((branch) => toShape(branch, root, inner))
    return simplifyUnion(branches, nullable)
  }

  if (Array.isArray(schema['enum'])) {
    const values = schema['enum'] as unknown[]
    const hasNull = values.includes(null)
    return {
      kind: 'enum',
      values: sortedUnique(values.filter((v) => v !== null).map((v) => JSON.stringify(v))),
      nullable: nullable || hasNull,
    }
  }
  if ('const' in schema) {
    if (schema['const'] === null) return {kind: 'null', nullable: true}
    return {kind: 'enum', values: [JSON.stringify(schema['const'])], nullable}
  }

  let type = schema['type']
  let typeNullable = nullable
  if (Array.isArray(type)) {
    typeNullable ||= type.includes('null')
    const rest = type.filter((t) => t !== 'null')
    if (rest.length !== 1) throw new Error(`multi-type schemas are not supported: ${JSON.stringify(type)}`)
    type = rest[0]
  }
  if (type === 'null') return {kind: 'null', nullable: true}

  if (type === 'object' || isObject(schema['properties'])) {
    const properties = schema['properties']
    if (isObject(properties)) {
      const required = new Set(Array.isArray(schema['required']) ? (schema['required'] as string[]) : [])
      const props: Record<string, {shape: Shape; required: boolean}> = {}
      for (const [name, property] of Object.entries(properties)) {
        props[name] = {shape: toShape(property, root, inner), required: required.has(name)}
      }
      return {kind: 'object', props, nullable: typeNullable}
    }
    const additional = schema['additionalProperties']
    if (additional === false) return {kind: 'object', props: {}, nullable: typeNullable}
    const values = isObject(additional) ? toShape(additional, root, inner) : {kind: 'any' as const, nullable: false}
    return {kind: 'map', values, nullable: typeNullable}
  }
  if (type === 'array') return {kind: 'array', items: toShape(schema['items'] ?? {}, root, inner), nullable: typeNullable}
  if (type === 'string' || type === 'number' || type === 'integer' || type === 'boolean') {
    return {kind: 'scalar', type, nullable: typeNullable}
  }
  if (type === undefined) return {kind: 'any', nullable: typeNullable}
  throw new Error(`unsupported schema type ${JSON.stringify(type)}`)
}

/**
 * An object schema whose `oneOf`/`anyOf` branches only restate which of its own properties are
 * required (e.g. `aws_transcribe_streaming`) constrains values, not shape.
 */
function isConstraintOnly(schema: JsonObject, key: 'oneOf' | 'anyOf'): boolean {
  if (!isObject(schema['properties'])) return false
  return (schema[key] as unknown[]).every(
    (branch) =>
      isObject(branch) &&
      Object.keys(branch).every((k) => k === 'required' || k === 'properties') &&
      Object.keys(isObject(branch['properties']) ? branch['properties'] : {}).every((name) =>
        Object.hasOwn(schema['properties'] as JsonObject, name),
      ),
  )
}

/** `allOf` of objects: their fields together. An open object part (`GenericObject`) adds no field. */
function mergeAll(all: Shape[]): Shape {
  if (all.length === 1) return all[0]!
  const parts = all.filter((p) => !(p.kind === 'map' && p.values.kind === 'any'))
  if (!parts.every((p) => p.kind === 'object')) throw new Error('allOf of non-objects is not supported')
  const props: Record<string, {shape: Shape; required: boolean}> = {}
  for (const part of parts) {
    for (const [name, prop] of Object.entries(part.props)) {
      props[name] = {shape: prop.shape, required: prop.required || (props[name]?.required ?? false)}
    }
  }
  return {kind: 'object', props, nullable: all.some((p) => p.nullable)}
}

/**
 * A union as its meaning: null branches become nullability, nested unions flatten, an enum of strings
 * beside a plain string is an open enum (just a string), equal branches collapse, and a union of
 * enums is one enum.
 */
function simplifyUnion(branches: Shape[], nullable: boolean): Shape {
  let isNullable = nullable
  const flat: Shape[] = []
  const visit = (shape: Shape) => {
    if (shape.kind === 'null') {
      isNullable = true
    } else if (shape.kind === 'union') {
      isNullable ||= shape.nullable
      shape.variants.forEach(visit)
    } else {
      isNullable ||= shape.nullable
      flat.push({...shape, nullable: false})
    }
  }
  branches.forEach(visit)
  const hasPlainString = flat.some((s) => s.kind === 'scalar' && s.type === 'string')
  const kept = flat.filter(
    (s) => !(hasPlainString && s.kind === 'enum' && s.values.every((v) => typeof JSON.parse(v) === 'string')),
  )
  const unique: Shape[] = []
  for (const shape of kept) {
    if (!unique.some((u) => JSON.stringify(u) === JSON.stringify(shape))) unique.push(shape)
  }
  if (unique.length > 1 && unique.every((s) => s.kind === 'enum')) {
    return {kind: 'enum', values: sortedUnique(unique.flatMap((s) => (s.kind === 'enum' ? s.values : []))), nullable: isNullable}
  }
  if (unique.length === 0) return {kind: 'null', nullable: true}
  if (unique.length === 1) return withNullable(unique[0]!, isNullable)
  return {kind: 'union', variants: unique, nullable: isNullable}
}

const sortedUnique = (values: string[]): string[] => [...new Set(values)].sort()

/** Where `ours` disagrees with `spec`; empty when they agree. */
export function compareShapes(spec: Shape, ours: Shape, path = '(body)'): ShapeDifference[] {
  const differences: ShapeDifference[] = []
  const report = (at: string, message: string) => differences.push({path: at, message})

  if (spec.nullable !== ours.nullable) {
    report(path, `nullable in the spec: ${spec.nullable}, in the zod schema: ${ours.nullable}`)
  }
  if (spec.kind !== ours.kind) {
    report(path, `the spec has ${describe(spec)}, the zod schema has ${describe(ours)}`)
    return differences
  }
  switch (spec.kind) {
    case 'scalar':
      if (ours.kind === 'scalar' && spec.type !== ours.type)
        report(path, `type ${spec.type} in the spec, ${ours.type} in the zod schema`)
      break
    case 'enum':
      if (ours.kind === 'enum') {
        for (const value of spec.values)
          if (!ours.values.includes(value)) report(path, `enum value ${value} is in the spec, missing from the zod schema`)
        for (const value of ours.values)
          if (!spec.values.includes(value)) report(path, `enum value ${value} is in the zod schema, not in the spec`)
      }
      break
    case 'array':
      if (ours.kind === 'array') differences.push(...compareShapes(spec.items, ours.items, `${path}[]`))
      break
    case 'map':
      if (ours.kind === 'map') differences.push(...compareShapes(spec.values, ours.values, `${path}{}`))
      break
    case 'object':
      if (ours.kind === 'object') {
        for (const [name, prop] of Object.entries(spec.props)) {
          const at = join(path, name)
          const mine = ours.props[name]
          if (mine === undefined) {
            report(at, 'field is in the spec, missing from the zod schema')
            continue
          }
          if (prop.required !== mine.required)
            report(at, `required in the spec: ${prop.required}, in the zod schema: ${mine.required}`)
          differences.push(...compareShapes(prop.shape, mine.shape, at))
        }
        for (const name of Object.keys(ours.props)) {
          if (!(name in spec.props)) report(join(path, name), 'field is in the zod schema, not in the spec')
        }
      }
      break
    case 'union':
      if (ours.kind === 'union') {
        const specVariants = keyVariants(spec.variants)
        const ourVariants = keyVariants(ours.variants)
        for (const [key, variant] of specVariants) {
          const mine = ourVariants.get(key)
          if (mine === undefined) report(`${path}<${key}>`, 'union variant is in the spec, missing from the zod schema')
          else differences.push(...compareShapes(variant, mine, `${path}<${key}>`))
        }
        for (const key of ourVariants.keys()) {
          if (!specVariants.has(key)) report(`${path}<${key}>`, 'union variant is in the zod schema, not in the spec')
        }
      }
      break
    case 'any':
    case 'null':
      break
  }
  return differences
}

const join = (path: string, name: string) => (path === '(body)' ? name : `${path}.${name}`)

function describe(shape: Shape): string {
  switch (shape.kind) {
    case 'scalar':
      return `a ${shape.type}`
    case 'enum':
      return `an enum`
    case 'object':
      return `an object with fields {${Object.keys(shape.props).join(', ')}}`
    case 'map':
      return 'a free-form map'
    default:
      return `a${shape.kind === 'any' || shape.kind === 'array' ? 'n' : ''} ${shape.kind}`
  }
}

/**
 * Names union variants so both sides can be matched: objects by the single-valued enum property they
 * all share (the discriminator), everything else by kind.
 */
function keyVariants(variants: Shape[]): Map<string, Shape> {
  const objects = variants.filter((v): v is Extract<Shape, {kind: 'object'}> => v.kind === 'object')
  const candidates = objects.length > 1 ? Object.keys(objects[0]!.props).sort() : []
  const discriminator = candidates.find((name) =>
    objects.every((o) => {
      const prop = o.props[name]?.shape
      return prop?.kind === 'enum' && prop.values.length === 1
    }),
  )
  const keyed = new Map<string, Shape>()
  for (const variant of variants) {
    let key: string = variant.kind === 'scalar' ? `${variant.type}` : variant.kind
    if (variant.kind === 'object' && discriminator !== undefined) {
      const prop = variant.props[discriminator]!.shape
      if (prop.kind === 'enum') key = `${discriminator}=${JSON.parse(prop.values[0]!)}`
    }
    let unique = key
    for (let n = 2; keyed.has(unique); n++) unique = `${key}#${n}`
    keyed.set(unique, variant)
  }
  return keyed
}
