import fc from 'fast-check'
import {describe, expect, test} from 'vitest'

import {ENDPOINT_DEFAULTS, effectiveValue, withEndpointDefaults} from '../../src/recall/body-defaults.js'
import {BODY_FIELDS, startRecordingBodySchema, type StartRecordingBody} from '../../src/recall/body-schema.js'
import {everyFieldBody} from './fixtures/bodies.js'
import {NOTES_DEFAULTS} from '../support/notes-defaults.js'
import {recallOpenApi} from '../support/recall-openapi.js'

describe('ENDPOINT_DEFAULTS', () => {
  test('has every body field, in BODY_FIELDS order, and nothing else', () => {
    expect(Object.keys(ENDPOINT_DEFAULTS)).toEqual([...BODY_FIELDS])
  })

  test('is itself a valid body', () => {
    expect(startRecordingBodySchema.safeParse(ENDPOINT_DEFAULTS).error?.issues).toBeUndefined()
  })

  test('holds the values of the NOTES.md table', () => {
    expect(ENDPOINT_DEFAULTS).toEqual(NOTES_DEFAULTS)
  })

  test('agrees with every default openapi.json states (a `default` key or "Default: `…`" in the description, kept by the snapshot)', () => {
    const spec = recallOpenApi()
    const properties: Record<string, {default?: unknown}> = spec['components'].schemas.BotRecordingConfig.properties
    const stated: Record<string, unknown> = {}
    for (const [field, property] of Object.entries(properties)) if ('default' in property) stated[field] = property.default
    expect(Object.keys(stated).length).toBeGreaterThan(10)
    for (const [field, value] of Object.entries(stated)) {
      expect(ENDPOINT_DEFAULTS[field as keyof typeof ENDPOINT_DEFAULTS], field).toEqual(value)
    }
    expect(ENDPOINT_DEFAULTS.retention).toEqual({
      type: 'timed',
      hours: spec.components.schemas.BotRecordingConfigRetentionTimed.properties.hours.default,
    })
    expect(ENDPOINT_DEFAULTS.include_bot_in_recording).toEqual({
      audio: spec.components.schemas.BotIncludeInRecording.properties.audio.default,
    })
  })

  test('cannot be changed by accident', () => {
    expect(() => {
      ;(ENDPOINT_DEFAULTS.realtime_endpoints as unknown[]).push({})
    }).toThrow()
    expect(() => {
      ;(ENDPOINT_DEFAULTS.retention as {hours: number}).hours = 1
    }).toThrow()
  })
})

describe('withEndpointDefaults', () => {
  test('an empty body becomes the endpoint defaults', () => {
    expect(withEndpointDefaults({})).toEqual(ENDPOINT_DEFAULTS)
  })

  test('a present null stays null (off); an undefined field counts as absent', () => {
    const complete = withEndpointDefaults({video_mixed_mp4: null, retention: null, transcript: undefined})
    expect(complete.video_mixed_mp4).toBeNull()
    expect(complete.retention).toBeNull()
    expect(complete.transcript).toBeNull()
    expect(complete.participant_events).toEqual({})
  })

  test('a full body comes back unchanged', () => {
    expect(withEndpointDefaults(everyFieldBody)).toEqual(everyFieldBody)
  })

  test('nested values are kept as written, not completed', () => {
    expect(withEndpointDefaults({retention: {type: 'timed'}}).retention).toEqual({type: 'timed'})
    expect(withEndpointDefaults({include_bot_in_recording: {}}).include_bot_in_recording).toEqual({})
  })

  test('never mutates its input, and shares no object with it or with the defaults', () => {
    const input: StartRecordingBody = structuredClone({
      metadata: {team: 'sales'},
      realtime_endpoints: everyFieldBody.realtime_endpoints,
    })
    const before = structuredClone(input)
    const complete = withEndpointDefaults(input)
    expect(input).toEqual(before)
    expect(complete.metadata).not.toBe(input.metadata)
    complete.metadata['added'] = 'x'
    complete.participant_events!.metadata = {x: 'y'}
    expect(input).toEqual(before)
    expect(ENDPOINT_DEFAULTS.participant_events).toEqual({})
    expect(withEndpointDefaults({}).participant_events).toEqual({})
  })

  test('property: any subset of fields → complete, present kept, absent defaulted', () => {
    const fieldSubset = fc.subarray([...BODY_FIELDS])
    fc.assert(
      fc.property(fieldSubset, fc.boolean(), (fields, useNull) => {
        const partial: Record<string, unknown> = {}
        for (const field of fields) partial[field] = useNull && ENDPOINT_DEFAULTS[field] === null ? null : everyFieldBody[field]
        const complete = withEndpointDefaults(partial as StartRecordingBody)
        expect(Object.keys(complete)).toEqual([...BODY_FIELDS])
        for (const field of BODY_FIELDS) {
          expect(complete[field]).toEqual(field in partial ? partial[field] : ENDPOINT_DEFAULTS[field])
          expect(effectiveValue(partial as StartRecordingBody, field)).toEqual(complete[field])
        }
        expect(startRecordingBodySchema.safeParse(complete).success).toBe(true)
      }),
    )
  })
})
