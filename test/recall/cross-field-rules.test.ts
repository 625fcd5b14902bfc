import {describe, expect, test} from 'vitest'

import {ENDPOINT_DEFAULTS} from '../../src/recall/body-defaults.js'
import type {RealtimeEndpoint, StartRecordingBody} from '../../src/recall/body-schema.js'
import {checkCrossFieldRules, isLoopbackHost, type RuleViolation} from '../../src/recall/cross-field-rules.js'
import {everyFieldBody} from './fixtures/bodies.js'

const codes = (body: StartRecordingBody) => checkCrossFieldRules(body).map((v) => v.code)
const only = (body: StartRecordingBody): RuleViolation => {
  const violations = checkCrossFieldRules(body)
  expect(violations).toHaveLength(1)
  return violations[0]!
}
const webhook = (events: RealtimeEndpoint['events'], url = 'https://hooks.example.com/recall'): RealtimeEndpoint =>
  ({type: 'webhook', url, events}) as RealtimeEndpoint
const websocket = (events: RealtimeEndpoint['events'], url = 'wss://ws.example.com/recall'): RealtimeEndpoint =>
  ({type: 'websocket', url, events}) as RealtimeEndpoint
const rtmp = (events: string[] = ['video_mixed_flv.data'], url = 'rtmp://live.example.com/app/key'): RealtimeEndpoint =>
  ({type: 'rtmp', url, events}) as RealtimeEndpoint
const recallai = {provider: {recallai_streaming: {}}}

describe('bodies that break no rule', () => {
  test('the endpoint defaults', () => {
    expect(checkCrossFieldRules(ENDPOINT_DEFAULTS)).toEqual([])
  })
  test('an empty body (all defaults)', () => {
    expect(checkCrossFieldRules({})).toEqual([])
  })
  test('a body using every field correctly', () => {
    expect(checkCrossFieldRules(everyFieldBody)).toEqual([])
  })
})

describe('separate mp4/png video needs video_mixed_layout: gallery_view_v2', () => {
  test.each(['video_separate_mp4', 'video_separate_png'] as const)('%s with speaker_view', (field) => {
    expect(only({[field]: {}, video_mixed_layout: 'speaker_view'})).toEqual({
      code: 'separate_video_needs_gallery_view_v2',
      severity: 'error',
      message: `${field} needs video_mixed_layout: gallery_view_v2 (it is speaker_view); set video_mixed_layout: gallery_view_v2, or turn ${field} off with null`,
      paths: [[field], ['video_mixed_layout']],
    })
  })

  test('an absent layout counts as its default, speaker_view', () => {
    expect(only({video_separate_png: {}}).message).toContain('(it is speaker_view, the default when absent)')
  })

  test('both fields wrong: one violation each', () => {
    expect(codes({video_separate_mp4: {}, video_separate_png: {}, video_mixed_layout: 'gallery_view'})).toEqual([
      'separate_video_needs_gallery_view_v2',
      'separate_video_needs_gallery_view_v2',
    ])
  })

  test('fine with gallery_view_v2, or when the artifact is off', () => {
    expect(checkCrossFieldRules({video_separate_mp4: {}, video_separate_png: {}, video_mixed_layout: 'gallery_view_v2'})).toEqual(
      [],
    )
    expect(checkCrossFieldRules({video_separate_mp4: null, video_mixed_layout: 'audio_only'})).toEqual([])
  })

  test('video_separate_h264 has no such rule', () => {
    expect(checkCrossFieldRules({video_separate_h264: {}})).toEqual([])
  })
})

describe('an rtmp endpoint needs video_mixed_flv on and events exactly [video_mixed_flv.data]', () => {
  test('video_mixed_flv absent (off by default)', () => {
    expect(only({realtime_endpoints: [webhook([]), rtmp()]})).toEqual({
      code: 'rtmp_needs_video_mixed_flv',
      severity: 'error',
      message:
        'realtime_endpoints[1] (rtmp) needs video_mixed_flv on (it is null, the default when absent); set video_mixed_flv: {}, or remove the rtmp endpoint',
      paths: [['realtime_endpoints', 1], ['video_mixed_flv']],
    })
  })

  test('video_mixed_flv explicitly null', () => {
    expect(only({realtime_endpoints: [rtmp()], video_mixed_flv: null}).message).toContain('(it is null)')
  })

  test.each([[[]], [['video_mixed_flv.data', 'video_mixed_flv.data']]])('events %j', (events) => {
    expect(only({realtime_endpoints: [rtmp(events)], video_mixed_flv: {}})).toMatchObject({
      code: 'rtmp_events_exactly_video_mixed_flv_data',
      severity: 'error',
      paths: [['realtime_endpoints', 0, 'events']],
      message: expect.stringContaining(`(they are [${events.join(', ')}])`),
    })
  })

  test('fine with video_mixed_flv on and the one event', () => {
    expect(checkCrossFieldRules({realtime_endpoints: [rtmp()], video_mixed_flv: {}})).toEqual([])
  })
})

describe('transcript.* real-time events need transcript on', () => {
  test('transcript absent (null by default)', () => {
    expect(only({realtime_endpoints: [webhook(['participant_events.join', 'transcript.data'])]})).toEqual({
      code: 'transcript_event_needs_transcript',
      severity: 'error',
      message:
        'realtime_endpoints[0] subscribes to transcript.data, which needs a transcript (transcript is null, the default when absent); add transcript: {provider: {recallai_streaming: {}}} (or another provider), or remove transcript.data',
      paths: [['realtime_endpoints', 0, 'events', 1], ['transcript']],
    })
  })

  test('every transcript event of every endpoint is reported, each at its own place', () => {
    const violations = checkCrossFieldRules({
      transcript: null,
      realtime_endpoints: [webhook(['transcript.partial_data']), websocket(['transcript.provider_data', 'transcript.data'])],
    })
    expect(violations.map((v) => v.paths[0])).toEqual([
      ['realtime_endpoints', 0, 'events', 0],
      ['realtime_endpoints', 1, 'events', 0],
      ['realtime_endpoints', 1, 'events', 1],
    ])
  })

  test('fine with a transcript', () => {
    expect(checkCrossFieldRules({transcript: recallai, realtime_endpoints: [webhook(['transcript.data'])]})).toEqual([])
  })
})

describe('recallai_streaming mode prioritize_low_latency needs language_code en', () => {
  const body = (options: object): StartRecordingBody => ({transcript: {provider: {recallai_streaming: options}}})
  const paths = [
    ['transcript', 'provider', 'recallai_streaming', 'language_code'],
    ['transcript', 'provider', 'recallai_streaming', 'mode'],
  ]

  test('with another language', () => {
    expect(only(body({mode: 'prioritize_low_latency', language_code: 'de'}))).toEqual({
      code: 'low_latency_needs_language_en',
      severity: 'error',
      message:
        'recallai_streaming mode: prioritize_low_latency needs language_code: en (it is de); set language_code: en, or use mode: prioritize_accuracy',
      paths,
    })
  })

  test('en_us is not en', () => {
    expect(codes(body({mode: 'prioritize_low_latency', language_code: 'en_us'}))).toEqual(['low_latency_needs_language_en'])
  })

  test('without a language (the provider default is auto)', () => {
    expect(only(body({mode: 'prioritize_low_latency'})).message).toContain('(it is auto, the default)')
  })

  test('fine with en, or with the accuracy mode, or with another provider', () => {
    expect(checkCrossFieldRules(body({mode: 'prioritize_low_latency', language_code: 'en'}))).toEqual([])
    expect(checkCrossFieldRules(body({mode: 'prioritize_accuracy', language_code: 'de'}))).toEqual([])
    expect(checkCrossFieldRules({transcript: {provider: {deepgram_streaming: {language: 'de'}}}})).toEqual([])
  })
})

describe('an <artifact>.data event needs that artifact on (a warning: NOTES marks it a guess)', () => {
  test.each([
    ['audio_mixed_raw.data', 'audio_mixed_raw'],
    ['audio_separate_raw.data', 'audio_separate_raw'],
    ['video_separate_png.data', 'video_separate_png'],
    ['video_separate_h264.data', 'video_separate_h264'],
  ] as const)('%s with %s off', (event, artifact) => {
    expect(only({realtime_endpoints: [websocket([event])], video_mixed_layout: 'gallery_view_v2'})).toEqual({
      code: 'artifact_event_needs_artifact',
      severity: 'warning',
      message: `realtime_endpoints[0] subscribes to ${event}, but ${artifact} is off (null, the default when absent), so there is probably no data to stream; set ${artifact}: {}, or remove ${event}`,
      paths: [['realtime_endpoints', 0, 'events', 0], [artifact]],
    })
  })

  test('explicitly off', () => {
    expect(only({realtime_endpoints: [websocket(['audio_mixed_raw.data'])], audio_mixed_raw: null}).message).toContain(
      'audio_mixed_raw is off (null)',
    )
  })

  test('fine with the artifact on', () => {
    expect(checkCrossFieldRules({realtime_endpoints: [websocket(['audio_mixed_raw.data'])], audio_mixed_raw: {}})).toEqual([])
  })

  test('an rtmp endpoint without video_mixed_flv is reported once, as the rtmp error', () => {
    expect(codes({realtime_endpoints: [rtmp()]})).toEqual(['rtmp_needs_video_mixed_flv'])
  })

  test('participant_events.* and transcript.* events are not artifact data events', () => {
    expect(
      checkCrossFieldRules({
        participant_events: null,
        transcript: recallai,
        realtime_endpoints: [webhook(['participant_events.join', 'transcript.data'])],
      }),
    ).toEqual([])
  })
})

describe('a real-time endpoint on localhost is an error (Recall answers 403)', () => {
  test.each([
    'http://localhost:3000/hook',
    'https://LOCALHOST./hook',
    'http://api.localhost/hook',
    'http://127.0.0.1/hook',
    'http://127.1.2.3:8080/hook',
    'http://127.1/hook',
    'http://[::1]:3000/hook',
    'http://[::ffff:127.0.0.1]/hook',
  ])('webhook %s', (url) => {
    const violation = only({realtime_endpoints: [webhook([], url)]})
    expect(violation).toMatchObject({
      code: 'realtime_endpoint_on_localhost',
      severity: 'error',
      paths: [['realtime_endpoints', 0, 'url']],
    })
    expect(violation.message).toContain('403')
  })

  test('websocket and rtmp endpoints too', () => {
    expect(codes({realtime_endpoints: [websocket([], 'ws://localhost:8080/')]})).toEqual(['realtime_endpoint_on_localhost'])
    expect(codes({realtime_endpoints: [rtmp(undefined, 'rtmp://127.0.0.1/live/key')], video_mixed_flv: {}})).toEqual([
      'realtime_endpoint_on_localhost',
    ])
  })

  test('the message shows only the origin, never the path, query or userinfo', () => {
    const {message} = only({realtime_endpoints: [webhook([], 'http://user:pa55@localhost:3000/hook/s3cret?token=t0ken')]})
    expect(message).toContain('http://localhost:3000')
    for (const secret of ['pa55', 's3cret', 't0ken', 'user']) expect(message).not.toContain(secret)
  })

  test.each([
    'https://localhost.example.com/',
    'https://128.0.0.1/',
    'https://hooks.example.com/',
    'http://[::2]/',
    'https://mylocalhost/',
  ])('public host %s is fine', (url) => {
    expect(checkCrossFieldRules({realtime_endpoints: [webhook([], url)]})).toEqual([])
  })

  test('isLoopbackHost on bare host names', () => {
    expect(['localhost', '127.0.0.1', '[::1]', '::1', 'x.localhost'].every(isLoopbackHost)).toBe(true)
    expect(['example.com', '10.0.0.1', '::2', 'localhost.com'].some(isLoopbackHost)).toBe(false)
  })
})

describe('all problems at once, in a stable order', () => {
  test('one body breaking every rule reports each', () => {
    const body: StartRecordingBody = {
      video_separate_mp4: {},
      transcript: {provider: {recallai_streaming: {mode: 'prioritize_low_latency'}}},
      realtime_endpoints: [rtmp([]), websocket(['audio_separate_raw.data'], 'ws://localhost/')],
    }
    expect(codes(body)).toEqual([
      'separate_video_needs_gallery_view_v2',
      'rtmp_needs_video_mixed_flv',
      'rtmp_events_exactly_video_mixed_flv_data',
      'low_latency_needs_language_en',
      'artifact_event_needs_artifact',
      'realtime_endpoint_on_localhost',
    ])
    expect(codes({realtime_endpoints: [webhook(['transcript.data'])]})).toEqual(['transcript_event_needs_transcript'])
  })

  test('does not mutate the body', () => {
    const body = structuredClone(everyFieldBody) as StartRecordingBody
    body.video_mixed_layout = 'speaker_view'
    const before = structuredClone(body)
    checkCrossFieldRules(body)
    expect(body).toEqual(before)
  })
})
