import {ENDPOINT_DEFAULTS} from '../../recall/body-defaults.js'
import {CROSS_FIELD_RULES, type RuleSummary} from '../../recall/cross-field-rule-catalog.js'
import {didYouMean} from '../../validate/describe.js'

/** A node of the JSON Schema that editors use (config/json-schemas.ts): what explain reads. */
export type JsonSchema = Record<string, unknown>

/** One shape a field may take; several when it depends on a sibling (an endpoint's `type`). */
export interface FieldVariant {
  /** `type: webhook` when this shape is for one branch of a list of tagged maps. */
  when: string | undefined
  type: string
  description: string | undefined
  /** Enum or fixed values (of the list items, for a list). */
  allowed: unknown[] | undefined
  /** For a map: its keys. */
  keys: Array<{name: string; required: boolean; type: string; description: string | undefined}> | undefined
  /** Nested shapes, for a tagged union such as retention. */
  options: FieldVariant[] | undefined
}

export interface FieldExplanation {
  path: string
  description: string | undefined
  nullable: boolean
  variants: FieldVariant[]
  /** What applies when a profile chain leaves the field unset: the endpoint's, or the provider's. */
  default: {value: unknown; from: 'endpoint' | 'provider'} | undefined
  rules: Array<{code: string; severity: 'error' | 'warning'; summary: string}>
  /** A profile using the field. */
  example: Record<string, unknown>
}

export type ExplainResult = {ok: true; explanation: FieldExplanation} | {ok: false; message: string}

interface Candidate {
  node: JsonSchema
  when: string | undefined
}

const asObject = (value: unknown): JsonSchema | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonSchema) : undefined

/** `realtime_endpoints[0].events` and `realtime_endpoints.events` name the same field. */
export function splitPath(input: string): string[] {
  return input
    .trim()
    .replace(/\[\d*\]/g, '')
    .split('.')
    .filter((s) => s !== '')
}

/** A node's alternatives (anyOf/oneOf flattened) without `null`, and whether null is one of them. */
function alternatives(node: JsonSchema): {options: JsonSchema[]; nullable: boolean} {
  const nested = [...((node['anyOf'] as JsonSchema[] | undefined) ?? []), ...((node['oneOf'] as JsonSchema[] | undefined) ?? [])]
  if (nested.length === 0) {
    const types = node['type']
    if (Array.isArray(types) && types.includes('null')) {
      const rest = types.filter((t) => t !== 'null')
      return {options: [{...node, type: rest.length === 1 ? rest[0] : rest}], nullable: true}
    }
    return {options: node['type'] === 'null' ? [] : [node], nullable: node['type'] === 'null'}
  }
  let nullable = false
  const options: JsonSchema[] = []
  for (const option of nested) {
    const inner = alternatives(option)
    nullable ||= inner.nullable
    options.push(...inner.options)
  }
  return {options, nullable}
}

/** Where a key leads inside a candidate (lists are walked into: `realtime_endpoints.events`). */
function step(candidate: Candidate, key: string): {found: Candidate[]; keys: string[]} {
  const found: Candidate[] = []
  const keys: string[] = []
  for (const option of alternatives(candidate.node).options) {
    if (option['type'] === 'array' && asObject(option['items'])) {
      const inner = step({node: option['items'] as JsonSchema, when: candidate.when}, key)
      found.push(...inner.found)
      keys.push(...inner.keys)
      continue
    }
    const properties = asObject(option['properties']) ?? {}
    keys.push(...Object.keys(properties))
    const tag = asObject(properties['type'])?.['const']
    const when = tag === undefined ? candidate.when : `type: ${String(tag)}`
    const next = asObject(properties[key]) ?? asObject(option['additionalProperties'])
    if (next) found.push({node: next, when})
  }
  return {found, keys}
}

/** A type in words: text, whole number ≥ 1, list of text, map, `"timed"`... */
export function typeName(node: JsonSchema): string {
  const {options, nullable} = alternatives(node)
  const names = [...new Set(options.map(singleTypeName))]
  const base = names.length === 0 ? 'null' : names.length <= 3 ? names.join(' or ') : `one of ${names.length} shapes`
  return nullable && options.length > 0 ? `${base} or null` : base
}

function singleTypeName(node: JsonSchema): string {
  if (node['const'] !== undefined) return JSON.stringify(node['const'])
  if (Array.isArray(node['enum'])) {
    const values = node['enum'] as unknown[]
    return values.length <= 4 ? `one of ${values.map(String).join(', ')}` : `one of ${values.length} values`
  }
  const type = node['type']
  if (type === 'array') return `list of ${asObject(node['items']) ? typeName(node['items'] as JsonSchema) : 'anything'}`
  if (type === 'object' || node['properties'] !== undefined) {
    const extra = asObject(node['additionalProperties'])
    return node['properties'] === undefined && extra ? `map of text to ${typeName(extra)}` : 'map'
  }
  if (type === 'string') return node['format'] === 'uri' ? 'URL' : 'text'
  if (type === 'integer' || type === 'number') {
    const words = type === 'integer' ? 'whole number' : 'number'
    const min = node['minimum'] as number | undefined
    const max = node['maximum'] as number | undefined
    const range = [min !== undefined ? `≥ ${min}` : '', max !== undefined && max < Number.MAX_SAFE_INTEGER ? `≤ ${max}` : '']
      .filter(Boolean)
      .join(', ')
    return range ? `${words} ${range}` : words
  }
  if (type === 'boolean') return 'true or false'
  if (Array.isArray(type)) return type.join(' or ')
  return typeof type === 'string' ? type : 'anything'
}

function allowedOf(node: JsonSchema): unknown[] | undefined {
  const values: unknown[] = []
  for (const option of alternatives(node).options) {
    const target = option['type'] === 'array' && asObject(option['items']) ? (option['items'] as JsonSchema) : option
    for (const inner of alternatives(target).options) {
      if (Array.isArray(inner['enum'])) values.push(...(inner['enum'] as unknown[]))
      else if (inner['const'] !== undefined) values.push(inner['const'])
    }
  }
  return values.length > 0 ? [...new Set(values)] : undefined
}

function keysOf(node: JsonSchema): FieldVariant['keys'] {
  const properties = asObject(node['properties'])
  if (!properties) return undefined
  const required = (node['required'] as string[] | undefined) ?? []
  return Object.entries(properties).map(([name, inner]) => ({
    name,
    required: required.includes(name),
    type: typeName(inner as JsonSchema),
    description: descriptionOf(inner as JsonSchema),
  }))
}

function descriptionOf(node: JsonSchema): string | undefined {
  if (typeof node['description'] === 'string') return node['description']
  const {options} = alternatives(node)
  return options.length === 1 && typeof options[0]?.['description'] === 'string'
    ? (options[0]['description'] as string)
    : undefined
}

function variantOf(candidate: Candidate): FieldVariant {
  const {options} = alternatives(candidate.node)
  const maps = options.filter((o) => o['properties'] !== undefined)
  return {
    when: candidate.when,
    type: typeName(candidate.node),
    description: descriptionOf(candidate.node),
    allowed: allowedOf(candidate.node),
    keys: options.length === 1 && options[0] ? keysOf(options[0]) : undefined,
    options: maps.length > 1 ? maps.map((node) => variantOf({node, when: undefined})) : undefined,
  }
}

/**
 * Explains a profile field (pure): its type, allowed values, default, the rules between fields that
 * read it, and an example, all from the recordings file's JSON Schema (generated from the zod schemas
 * that validate files) and the rule catalog. `profile` is that schema's profile node.
 */
export function explainPath(profile: JsonSchema, input: string): ExplainResult {
  const segments = splitPath(input)
  if (segments.length === 0)
    return {ok: false, message: 'explain needs a field path, such as retention or transcript.provider.recallai_streaming.'}
  let candidates: Candidate[] = [{node: profile, when: undefined}]
  for (const [i, segment] of segments.entries()) {
    const steps = candidates.map((c) => step(c, segment))
    const found = steps.flatMap((s) => s.found)
    if (found.length === 0) {
      const keys = [...new Set(steps.flatMap((s) => s.keys))].filter((k) => k !== 'extends' || i > 0)
      const where = i === 0 ? 'a profile' : segments.slice(0, i).join('.')
      const guess = didYouMean(segment, keys)
      return {
        ok: false,
        message: `${where} has no field "${segment}".${guess ? ` Did you mean "${[...segments.slice(0, i), guess].join('.')}"?` : ''}${keys.length ? ` Fields there: ${keys.join(', ')}.` : ` ${where} holds ${typeName(candidates[0]?.node ?? {})}, which has no fields.`}`,
      }
    }
    candidates = found
  }
  const path = segments.join('.')
  const first = candidates[0] as Candidate
  const variants = candidates.map(variantOf)
  const sameDescription = variants.every((v) => v.description === variants[0]?.description)
  return {
    ok: true,
    explanation: {
      path,
      description: sameDescription ? variants[0]?.description : undefined,
      nullable: candidates.some((c) => alternatives(c.node).nullable),
      variants,
      default: defaultOf(segments, first.node),
      rules: rulesFor(path),
      example: {[segments[0] as string]: exampleFor(profile, segments)},
    },
  }
}

function defaultOf(segments: readonly string[], node: JsonSchema): FieldExplanation['default'] {
  const top = segments[0] as string
  if (segments.length === 1 && top in ENDPOINT_DEFAULTS)
    return {value: ENDPOINT_DEFAULTS[top as keyof typeof ENDPOINT_DEFAULTS], from: 'endpoint'}
  const stated = node['default'] ?? alternatives(node).options.find((o) => o['default'] !== undefined)?.['default']
  return stated === undefined ? undefined : {value: stated, from: 'provider'}
}

/** The one check on a merged profile that is not between two fields (resolve/check-merged-body.ts). */
const PROFILE_RULES: Record<string, RuleSummary> = {
  retention_unset: {
    severity: 'warning',
    fields: ['retention'],
    summary:
      "A profile chain that leaves retention unset gets the endpoint's 168 hours, which may be shorter than your plan's default: say what you mean.",
  },
}

/** Rules that read the field or something inside it. */
function rulesFor(path: string): FieldExplanation['rules'] {
  return Object.entries({...CROSS_FIELD_RULES, ...PROFILE_RULES})
    .filter(([, rule]) => rule.fields.some((field) => field === path || field.startsWith(`${path}.`)))
    .map(([code, rule]) => ({code, severity: rule.severity, summary: rule.summary}))
}

/** The top-level field's value in an example profile: the schema's own example when it shows the path, else one built from the schema. */
function exampleFor(profile: JsonSchema, segments: readonly string[]): unknown {
  const topNode = asObject(asObject(profile['properties'])?.[segments[0] as string]) ?? {}
  const given = (topNode['examples'] as unknown[] | undefined)?.[0]
  if (given !== undefined && reaches(given, segments.slice(1))) return given
  return buildAlong(topNode, segments.slice(1))
}

function reaches(value: unknown, segments: readonly string[]): boolean {
  let node = value
  for (const segment of segments) {
    while (Array.isArray(node)) node = node[0]
    const map = asObject(node)
    if (!map || !(segment in map)) return false
    node = map[segment]
  }
  return true
}

/** A value of `node` that sets the field at `segments` inside it (required siblings filled in). */
function buildAlong(node: JsonSchema, segments: readonly string[]): unknown {
  if (segments.length === 0) return synthesize(node)
  const [segment, ...rest] = segments as [string, ...string[]]
  for (const option of alternatives(node).options) {
    if (option['type'] === 'array' && asObject(option['items'])) return [buildAlong(option['items'] as JsonSchema, segments)]
    const properties = asObject(option['properties'])
    const next = asObject(properties?.[segment]) ?? asObject(option['additionalProperties'])
    if (!next) continue
    const required = ((option['required'] as string[] | undefined) ?? []).filter((key) => key !== segment)
    return {
      ...Object.fromEntries(required.map((key) => [key, synthesize((properties?.[key] ?? {}) as JsonSchema)])),
      [segment]: buildAlong(next, rest),
    }
  }
  return synthesize(node)
}

function synthesize(node: JsonSchema, depth = 0): unknown {
  const examples = node['examples'] as unknown[] | undefined
  if (examples?.[0] !== undefined) return examples[0]
  if (node['default'] !== undefined) return node['default']
  const option = alternatives(node).options[0]
  if (!option || depth > 8) return null
  if (option['const'] !== undefined) return option['const']
  if (Array.isArray(option['enum'])) return option['enum'][0]
  switch (option['type']) {
    case 'string':
      return option['format'] === 'uri' ? 'https://example.com/path' : 'text'
    case 'integer':
    case 'number':
      return (option['minimum'] as number | undefined) ?? 1
    case 'boolean':
      return true
    case 'array':
      return asObject(option['items']) ? [synthesize(option['items'] as JsonSchema, depth + 1)] : []
    default: {
      const properties = asObject(option['properties']) ?? {}
      const required = (option['required'] as string[] | undefined) ?? []
      return Object.fromEntries(required.map((key) => [key, synthesize((properties[key] ?? {}) as JsonSchema, depth + 1)]))
    }
  }
}
