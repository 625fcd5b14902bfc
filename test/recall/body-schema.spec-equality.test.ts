/**
 * Keeps the zod start_recording body schema equal to Recall's `BotRecordingConfig` in the OpenAPI
 * snapshot (test/support/recall-openapi.snapshot.json, checked against ../shared/recall-api/openapi.json
 * by test/recall/openapi-snapshot.test.ts), so drift from Recall's spec
 * cannot go unnoticed. The only accepted differences are listed, with their reason, in KNOWN_DEVIATIONS;
 * a listed deviation that no longer occurs fails too, so the list cannot go stale.
 */
import {describe, expect, test} from 'vitest'
import {z} from 'zod'

import {
  BODY_FIELDS,
  REALTIME_ENDPOINT_TYPES,
  REALTIME_EVENTS_BY_TYPE,
  RECALLAI_LANGUAGE_CODES,
  RECALLAI_STREAMING_MODES,
  PARTICIPANT_VIDEO_WHEN_SCREENSHARE_MODES,
  RETENTION_TYPES,
  START_RECORDING_ON_TRIGGERS,
  TRANSCRIPT_PROVIDERS,
  VIDEO_MIXED_LAYOUTS,
  startRecordingBodySchema,
} from '../../src/recall/body-schema.js'
import {recallOpenApi} from '../support/recall-openapi.js'
import {compareShapes, toShape, type ShapeDifference} from './support/schema-shape.js'

type JsonObject = Record<string, any>

const spec = recallOpenApi()
const schemas = (document: JsonObject): JsonObject => document['components']['schemas']

function specBodyShape(document: JsonObject = spec) {
  return toShape({$ref: '#/components/schemas/BotRecordingConfig'}, document)
}
function zodBodyShape(schema: z.ZodType = startRecordingBodySchema) {
  const jsonSchema = z.toJSONSchema(schema) as JsonObject
  return toShape(jsonSchema, jsonSchema)
}
const differences = (document: JsonObject = spec, schema: z.ZodType = startRecordingBodySchema): ShapeDifference[] =>
  compareShapes(specBodyShape(document), zodBodyShape(schema))

/** Differences we keep on purpose. Each must still occur, and nothing else may. */
const KNOWN_DEVIATIONS: Array<ShapeDifference & {reason: string}> = [
  {
    path: 'transcript.provider.meeting_captions',
    message: 'the spec has a free-form map, the zod schema has an object with fields {}',
    reason: 'meeting_captions takes no options; the spec leaves the object open, we close it so a typo is an error',
  },
]

const clone = (): JsonObject => structuredClone(spec)

describe('the zod body schema matches BotRecordingConfig in openapi.json', () => {
  test('no differences besides the known, deliberate ones', () => {
    const found = differences()
    const unexpected = found.filter((d) => !KNOWN_DEVIATIONS.some((k) => k.path === d.path && k.message === d.message))
    expect(unexpected, unexpected.map((d) => `${d.path}: ${d.message}`).join('\n')).toEqual([])
  })

  test('every known deviation still occurs (the list cannot go stale)', () => {
    const found = differences()
    for (const deviation of KNOWN_DEVIATIONS) {
      expect(found).toContainEqual({path: deviation.path, message: deviation.message})
    }
  })

  test('the 19 top-level fields, in the spec order', () => {
    expect(BODY_FIELDS).toEqual(Object.keys(schemas(spec)['BotRecordingConfig'].properties))
    expect(BODY_FIELDS).toHaveLength(19)
  })

  test('the exported enum lists are the spec enums, in the spec order', () => {
    const s = schemas(spec)
    expect(VIDEO_MIXED_LAYOUTS).toEqual(s['VideoMixedLayoutEnum'].enum)
    expect(PARTICIPANT_VIDEO_WHEN_SCREENSHARE_MODES).toEqual(s['VideoMixedParticipantVideoWhenScreenshareEnum'].enum)
    expect(START_RECORDING_ON_TRIGGERS).toEqual(s['StartRecordingOnEnum'].enum)
    expect(RETENTION_TYPES).toEqual(s['BotRecordingConfigRetentionSharedTypeEnum'].enum)
    expect(REALTIME_ENDPOINT_TYPES).toEqual(s['BotRecordingConfigRealtimeEndpointSharedTypeEnum'].enum)
    expect(TRANSCRIPT_PROVIDERS).toEqual(Object.keys(s['BotRecordingConfigTranscriptProvider'].properties))
    expect(RECALLAI_LANGUAGE_CODES).toEqual(s['LanguageCodeEnum'].enum)
    expect(RECALLAI_STREAMING_MODES).toEqual(s['RecallaiStreamingTranscriptionModeEnum'].enum)
    const eventsEnum: Record<string, string> = {
      rtmp: 'BotRecordingConfigRealtimeEndpointRtmpEventsEnum',
      websocket: 'BotRecordingConfigRealtimeEndpointWebsocketEventsEnum',
      webhook: 'BotRecordingConfigRealtimeEndpointWebhookEventsEnum',
      desktop_sdk_callback: 'BotRecordingConfigRealtimeEndpointDesktopSdkCallbackEventsEnum',
    }
    for (const type of REALTIME_ENDPOINT_TYPES) {
      expect(REALTIME_EVENTS_BY_TYPE[type], type).toEqual(s[eventsEnum[type]!].enum)
    }
  })
})

describe('the comparator detects drift (it can fail)', () => {
  const messagesAt = (found: ShapeDifference[], path: string) => found.filter((d) => d.path === path).map((d) => d.message)

  test('a top-level field the spec no longer has', () => {
    const mutated = clone()
    delete schemas(mutated)['BotRecordingConfig'].properties.video_separate_h264
    expect(messagesAt(differences(mutated), 'video_separate_h264')).toEqual(['field is in the zod schema, not in the spec'])
  })

  test('a field the zod schema lacks', () => {
    const found = differences(spec, startRecordingBodySchema.omit({metadata: true}))
    expect(messagesAt(found, 'metadata')).toEqual(['field is in the spec, missing from the zod schema'])
  })

  test('a new enum value in the spec', () => {
    const mutated = clone()
    schemas(mutated)['VideoMixedLayoutEnum'].enum.push('picture_in_picture')
    expect(messagesAt(differences(mutated), 'video_mixed_layout')).toEqual([
      'enum value "picture_in_picture" is in the spec, missing from the zod schema',
    ])
  })

  test('an enum value the spec dropped, deep inside a union variant', () => {
    const mutated = clone()
    const events = schemas(mutated)['BotRecordingConfigRealtimeEndpointWebhookEventsEnum'].enum as string[]
    events.splice(events.indexOf('transcript.partial_data'), 1)
    expect(messagesAt(differences(mutated), 'realtime_endpoints[]<type=webhook>.events[]')).toEqual([
      'enum value "transcript.partial_data" is in the zod schema, not in the spec',
    ])
  })

  test('a nested provider option renamed', () => {
    const mutated = clone()
    const options = schemas(mutated)['RecallaiStreamingTranscription'].properties
    options.key_terms_v2 = options.key_terms
    delete options.key_terms
    const found = differences(mutated)
    expect(messagesAt(found, 'transcript.provider.recallai_streaming.key_terms_v2')).toEqual([
      'field is in the spec, missing from the zod schema',
    ])
    expect(messagesAt(found, 'transcript.provider.recallai_streaming.key_terms')).toEqual([
      'field is in the zod schema, not in the spec',
    ])
  })

  test('nullability changed', () => {
    const mutated = clone()
    schemas(mutated)['BotRecordingConfig'].properties.include_bot_in_recording = {
      allOf: [{$ref: '#/components/schemas/BotIncludeInRecording'}],
      nullable: true,
    }
    delete schemas(mutated)['BotRecordingConfig'].properties.retention.nullable
    const found = differences(mutated)
    expect(messagesAt(found, 'include_bot_in_recording')).toEqual(['nullable in the spec: true, in the zod schema: false'])
    expect(messagesAt(found, 'retention')).toEqual(['nullable in the spec: false, in the zod schema: true'])
  })

  test('nesting changed (a scalar became an object) and a key became required', () => {
    const mutated = clone()
    schemas(mutated)['BotIncludeInRecording'].properties.audio = {type: 'object', properties: {enabled: {type: 'boolean'}}}
    schemas(mutated)['BotRecordingConfigTranscriptDiarization'].required = ['use_separate_streams_when_available']
    const found = differences(mutated)
    expect(messagesAt(found, 'include_bot_in_recording.audio')).toEqual([
      'the spec has an object with fields {enabled}, the zod schema has a boolean',
    ])
    expect(messagesAt(found, 'transcript.diarization.use_separate_streams_when_available')).toEqual([
      'required in the spec: true, in the zod schema: false',
    ])
  })

  test('a new real-time endpoint type', () => {
    const mutated = clone()
    const union = schemas(mutated)['BotRecordingConfigRealtimeEndpoint']
    union.discriminator.mapping.sse =
      '#/components/schemas/BotRecordingConfigRealtimeEndpointBotRecordingConfigRealtimeEndpointWebhook'
    expect(messagesAt(differences(mutated), 'realtime_endpoints[]<type=sse>')).toEqual([
      'union variant is in the spec, missing from the zod schema',
    ])
  })
})
