import {describe, expect, it} from 'vitest'
import {botSeed, call, sandbox, startPath} from './helpers.js'

async function inCall(options = {}) {
  const s = await sandbox({bots: [botSeed('in_call_not_recording')], ...options})
  return {s, id: [...s.core.bots.keys()][0]!}
}

describe('start_recording body validation (the product schema, DRF-shaped errors)', () => {
  it('keys errors by field, nested like the body', async () => {
    const {s, id} = await inCall()
    const reply = await call(s, startPath(id), {
      body: {
        video_mixed_layout: 'mosaic',
        transcript: {provider: {recallai_streaming: {mode: 'fastest'}}},
        retention: {type: 'timed', hours: 0},
      },
    })
    expect(reply.status).toBe(400)
    expect(Object.keys(reply.body).sort()).toEqual(['retention', 'transcript', 'video_mixed_layout'])
    expect(reply.body.video_mixed_layout).toHaveLength(1)
    expect(typeof reply.body.video_mixed_layout[0]).toBe('string')
    expect(reply.body.transcript.provider.recallai_streaming.mode).toHaveLength(1)
    expect(reply.body.retention.hours).toHaveLength(1)
    expect(s.bot(id)!.recordings).toHaveLength(0)
  })

  it('lines errors of a list of objects up with the list (valid items are {}), and keys a list of values by index', async () => {
    const {s, id} = await inCall()
    const reply = await call(s, startPath(id), {
      body: {
        transcript: {provider: {recallai_streaming: {}}},
        realtime_endpoints: [
          {type: 'webhook', url: 'https://hooks.example.com/a', events: ['transcript.data']},
          {type: 'webhook', url: 'not a url', events: ['transcript.data']},
        ],
      },
    })
    expect(reply.status).toBe(400)
    expect(reply.body.realtime_endpoints).toHaveLength(2)
    expect(reply.body.realtime_endpoints[0]).toEqual({})
    expect(reply.body.realtime_endpoints[1].url).toHaveLength(1)
    const badEvent = await call(s, startPath(id), {
      body: {realtime_endpoints: [{type: 'rtmp', url: 'rtmp://x.example.com/live', events: ['video_mixed_flv.data', 'nope']}]},
    })
    expect(badEvent.body).toEqual({realtime_endpoints: [{events: {'1': [expect.any(String)]}}]})
  })

  it('names unknown fields (the schema is strict: a typo never falls back to a default)', async () => {
    const {s, id} = await inCall()
    const reply = await call(s, startPath(id), {
      body: {video_mixed_layuot: 'gallery_view', retention: {type: 'forever', hours: 3}},
    })
    expect(reply.status).toBe(400)
    expect(reply.body.video_mixed_layuot[0]).toContain('video_mixed_layuot')
    expect(reply.body.retention.hours).toHaveLength(1)
  })

  it('requires metadata values to be strings', async () => {
    const {s, id} = await inCall()
    const reply = await call(s, startPath(id), {body: {metadata: {deal: 1042}}})
    expect(reply.status).toBe(400)
    expect(reply.body.metadata.deal).toHaveLength(1)
  })

  it('enforces the rules between fields, under the field that is wrong', async () => {
    const {s, id} = await inCall()
    const separate = await call(s, startPath(id), {body: {video_separate_mp4: {}, video_mixed_layout: 'speaker_view'}})
    expect(separate.status).toBe(400)
    expect(separate.body.video_separate_mp4[0]).toContain('gallery_view_v2')

    const transcriptEvent = await call(s, startPath(id), {
      body: {realtime_endpoints: [{type: 'webhook', url: 'https://h.example.com/', events: ['transcript.data']}]},
    })
    expect(transcriptEvent.status).toBe(400)
    expect(transcriptEvent.body.realtime_endpoints[0].events['0']).toHaveLength(1)

    const lowLatency = await call(s, startPath(id), {
      body: {transcript: {provider: {recallai_streaming: {mode: 'prioritize_low_latency', language_code: 'de'}}}},
    })
    expect(lowLatency.status).toBe(400)
    expect(lowLatency.body.transcript.provider.recallai_streaming.language_code[0]).toContain('en')
    expect(s.bot(id)!.recordings).toHaveLength(0)
  })

  it('does not enforce warning-level rules (guesses) by default, and does with enforceWarningRules', async () => {
    const body = {realtime_endpoints: [{type: 'websocket', url: 'wss://ws.example.com/', events: ['audio_mixed_raw.data']}]}
    const lenient = await inCall()
    expect((await call(lenient.s, startPath(lenient.id), {body})).status).toBe(200)
    const strict = await inCall({enforceWarningRules: true})
    const reply = await call(strict.s, startPath(strict.id), {body})
    expect(reply.status).toBe(400)
    expect(reply.body.realtime_endpoints[0].events['0'][0]).toContain('audio_mixed_raw')
  })

  it('accepts a complete explicit body', async () => {
    const {s, id} = await inCall()
    const reply = await call(s, startPath(id), {
      body: {
        transcript: {provider: {recallai_streaming: {language_code: 'en'}}},
        realtime_endpoints: [{type: 'webhook', url: 'https://hooks.example.com/recall?token=abc', events: ['transcript.data']}],
        retention: {type: 'timed', hours: 720},
        video_mixed_layout: 'speaker_view',
        video_mixed_mp4: {},
        participant_events: {},
        meeting_metadata: {},
        video_mixed_participant_video_when_screenshare: 'overlap',
        start_recording_on: 'participant_join',
        include_bot_in_recording: {audio: false},
        metadata: {recallctl_digest: 'v1:abc', recallctl_profile: 'sales-call'},
        audio_mixed_raw: null,
        audio_mixed_mp3: null,
        video_separate_mp4: null,
        audio_separate_raw: null,
        audio_separate_mp3: null,
        video_mixed_flv: null,
        video_separate_png: null,
        video_separate_h264: null,
      },
    })
    expect(reply.status).toBe(200)
    expect(reply.body.recordings[0].metadata).toEqual({recallctl_digest: 'v1:abc', recallctl_profile: 'sales-call'})
  })
})
