import {describe, expect, test} from 'vitest'
import {z} from 'zod'

import {
  BODY_FIELDS,
  REALTIME_ENDPOINT_TYPES,
  REALTIME_EVENTS,
  REALTIME_EVENTS_BY_TYPE,
  startRecordingBodySchema,
  TRANSCRIPT_PROVIDERS,
} from '../../src/recall/body-schema.js'
import {allFixtureBodies, everyFieldBody, providerExamples} from './fixtures/bodies.js'
import {toShape, type Shape} from './support/schema-shape.js'

const parse = (body: unknown) => startRecordingBodySchema.safeParse(body)
const issuesOf = (body: unknown) => parse(body).error?.issues ?? []

describe('valid bodies are accepted', () => {
  test.each(allFixtureBodies)('%s', (_name, body) => {
    expect(issuesOf(body)).toEqual([])
  })

  test('an empty body (every field takes the endpoint default)', () => {
    expect(issuesOf({})).toEqual([])
  })

  test('parsing keeps the body as written', () => {
    expect(parse(everyFieldBody).data).toEqual(everyFieldBody)
  })
})

describe('unknown keys are rejected at every level', () => {
  const jsonSchema = z.toJSONSchema(startRecordingBodySchema) as Record<string, unknown>
  const shape = toShape(jsonSchema, jsonSchema)

  /** Every object of the schema, by schema path (`[]` array items, `<key>` union variant). */
  function objectPaths(node: Shape, path: string, out: Set<string>): Set<string> {
    if (node.kind === 'object') {
      out.add(path)
      for (const [name, prop] of Object.entries(node.props)) objectPaths(prop.shape, `${path}.${name}`, out)
    } else if (node.kind === 'array') objectPaths(node.items, `${path}[]`, out)
    else if (node.kind === 'union') node.variants.forEach((v) => objectPaths(v, `${path}<${variantKey(node, v)}>`, out))
    return out
  }
  function variantKey(union: Extract<Shape, {kind: 'union'}>, variant: Shape): string {
    if (variant.kind !== 'object') return variant.kind
    const tagged = union.variants.filter((v) => v.kind === 'object').length > 1
    const type = variant.props['type']?.shape
    return tagged && type?.kind === 'enum' ? `type=${JSON.parse(type.values[0]!)}` : 'object'
  }

  /** The objects a value reaches: schema path and the concrete path to inject a key at. */
  function objectsIn(
    node: Shape,
    value: unknown,
    path: string,
    at: Array<string | number>,
    out: Array<{path: string; at: Array<string | number>}>,
  ) {
    if (value === null || value === undefined) return out
    if (node.kind === 'object' && typeof value === 'object' && !Array.isArray(value)) {
      out.push({path, at})
      for (const [name, inner] of Object.entries(value)) {
        const prop = node.props[name]
        if (prop) objectsIn(prop.shape, inner, `${path}.${name}`, [...at, name], out)
      }
    } else if (node.kind === 'array' && Array.isArray(value)) {
      value.forEach((item, i) => objectsIn(node.items, item, `${path}[]`, [...at, i], out))
    } else if (node.kind === 'union') {
      for (const variant of node.variants) {
        const key = variantKey(node, variant)
        const matches =
          variant.kind === 'object'
            ? typeof value === 'object' &&
              !Array.isArray(value) &&
              (key === 'object' || key === `type=${(value as {type?: string}).type}`)
            : variant.kind !== 'array' && typeof value !== 'object'
        if (matches) objectsIn(variant, value, `${path}<${key}>`, at, out)
      }
    }
    return out
  }

  const reached = allFixtureBodies.flatMap(([name, body]) => objectsIn(shape, body, '', [], []).map((o) => ({...o, name})))

  test('the fixtures reach every object of the schema', () => {
    const missing = [...objectPaths(shape, '', new Set())].filter((p) => !reached.some((r) => r.path === p))
    expect(missing).toEqual([])
  })

  test.each(reached.map((r) => [r.at.length === 0 ? '(body)' : r.at.join('.'), r] as const))('%s', (_label, {at, name}) => {
    const body = structuredClone(allFixtureBodies.find(([n]) => n === name)![1]) as Record<string, unknown>
    let target: Record<string, unknown> = body
    for (const key of at) target = target[key as string] as Record<string, unknown>
    target['colour_typo'] = true
    expect(issuesOf(body)).toContainEqual(expect.objectContaining({code: 'unrecognized_keys', keys: ['colour_typo'], path: at}))
  })
})

describe('nullability follows the spec', () => {
  const nullable = new Set([
    'transcript',
    'retention',
    'video_mixed_mp4',
    'participant_events',
    'meeting_metadata',
    'audio_mixed_raw',
    'audio_mixed_mp3',
    'video_separate_mp4',
    'audio_separate_raw',
    'audio_separate_mp3',
    'video_mixed_flv',
    'video_separate_png',
    'video_separate_h264',
  ])
  test.each([...BODY_FIELDS])('%s: null', (field) => {
    expect(parse({[field]: null}).success).toBe(nullable.has(field))
  })

  test('metadata values are strings or null, never numbers or booleans', () => {
    expect(parse({metadata: {a: 'x', b: null}}).success).toBe(true)
    expect(issuesOf({metadata: {deal: 1042}})[0]?.path).toEqual(['metadata', 'deal'])
    expect(issuesOf({video_mixed_mp4: {metadata: {on: true}}})[0]?.path).toEqual(['video_mixed_mp4', 'metadata', 'on'])
  })
})

describe('enums', () => {
  test('a bad top-level enum value is rejected at its field', () => {
    expect(issuesOf({video_mixed_layout: 'gallery'})[0]).toMatchObject({code: 'invalid_value', path: ['video_mixed_layout']})
    expect(issuesOf({start_recording_on: 'join'})[0]).toMatchObject({path: ['start_recording_on']})
    expect(issuesOf({video_mixed_participant_video_when_screenshare: 'pip'})[0]).toMatchObject({
      path: ['video_mixed_participant_video_when_screenshare'],
    })
  })

  test.each([...REALTIME_ENDPOINT_TYPES])('%s endpoints accept exactly their own events', (type) => {
    const allowed: readonly string[] = REALTIME_EVENTS_BY_TYPE[type]
    const endpoint = (event: string) => ({
      type,
      ...(type === 'desktop_sdk_callback' ? {} : {url: 'https://x.example.com/'}),
      events: [event],
    })
    for (const event of REALTIME_EVENTS) {
      expect(parse({realtime_endpoints: [endpoint(event)]}).success, `${type} ${event}`).toBe(allowed.includes(event))
    }
  })

  test('an unknown endpoint type is rejected at `type`', () => {
    expect(issuesOf({realtime_endpoints: [{type: 'sse', url: 'https://x.example.com/', events: []}]})[0]).toMatchObject({
      path: ['realtime_endpoints', 0, 'type'],
    })
  })
})

describe('per-variant requirements', () => {
  test('url endpoints need a url; desktop_sdk_callback takes none', () => {
    expect(issuesOf({realtime_endpoints: [{type: 'webhook', events: []}]})[0]?.path).toEqual(['realtime_endpoints', 0, 'url'])
    expect(issuesOf({realtime_endpoints: [{type: 'webhook', url: 'not a url', events: []}]})[0]?.path).toEqual([
      'realtime_endpoints',
      0,
      'url',
    ])
    expect(
      issuesOf({realtime_endpoints: [{type: 'desktop_sdk_callback', url: 'https://x.example.com/', events: []}]})[0],
    ).toMatchObject({
      code: 'unrecognized_keys',
      keys: ['url'],
    })
  })

  test('retention: timed hours are whole and at least 1; forever takes no hours', () => {
    expect(parse({retention: {type: 'timed'}}).success).toBe(true)
    expect(parse({retention: {type: 'timed', hours: 0}}).success).toBe(false)
    expect(parse({retention: {type: 'timed', hours: 1.5}}).success).toBe(false)
    expect(issuesOf({retention: {type: 'forever', hours: 24}})[0]).toMatchObject({code: 'unrecognized_keys', keys: ['hours']})
    expect(parse({retention: {type: 'weekly'}}).success).toBe(false)
  })

  test('transcript needs a provider, with exactly one provider key', () => {
    expect(issuesOf({transcript: {}})[0]?.path).toEqual(['transcript', 'provider'])
    const none = issuesOf({transcript: {provider: {}}})
    expect(none).toEqual([expect.objectContaining({path: ['transcript', 'provider']})])
    expect(none[0]!.message).toContain(TRANSCRIPT_PROVIDERS.join(', '))
    const two = issuesOf({transcript: {provider: {...providerExamples.meeting_captions, ...providerExamples.deepgram_streaming}}})
    expect(two).toEqual([expect.objectContaining({path: ['transcript', 'provider']})])
    expect(two[0]!.message).toMatch(/found 2: (meeting_captions, deepgram_streaming|deepgram_streaming, meeting_captions)/)
  })

  test('aws_transcribe_streaming: language_code, or identify_language with language_options, not both', () => {
    const aws = (options: object) => ({transcript: {provider: {aws_transcribe_streaming: options}}})
    expect(parse(aws({language_code: 'en-US'})).success).toBe(true)
    expect(parse(aws({identify_language: true, language_options: 'en-US,es-US'})).success).toBe(true)
    expect(issuesOf(aws({region: 'us-east-1'}))[0]?.path).toEqual(['transcript', 'provider', 'aws_transcribe_streaming'])
    expect(parse(aws({identify_language: false, language_options: 'en-US'})).success).toBe(false)
    expect(parse(aws({language_code: 'en-US', identify_language: true, language_options: 'en-US,es-US'})).success).toBe(false)
  })

  test('open enums accept other strings (assembly_ai language_code)', () => {
    const body = {transcript: {provider: {assembly_ai_async_chunked: {language_code: 'xx_future', speech_model: 'next'}}}}
    expect(parse(body).success).toBe(true)
  })
})

describe('JSON Schema output (editor completion)', () => {
  test('renders, closed at the top, with every field', () => {
    const json = z.toJSONSchema(startRecordingBodySchema) as {additionalProperties: unknown; properties: object}
    expect(json.additionalProperties).toBe(false)
    expect(Object.keys(json.properties)).toEqual([...BODY_FIELDS])
  })
})
