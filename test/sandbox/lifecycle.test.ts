import {describe, expect, it} from 'vitest'
import {botPath, botSeed, call, control, sandbox, startPath, statusOf} from './helpers.js'

const idOf = (s: {core: {bots: Map<string, unknown>}}, index = 0) => [...s.core.bots.keys()][index]!

describe('in-call commands by bot status', () => {
  it.each(['ready', 'joining_call', 'in_waiting_room'] as const)(
    'refuses a bot that has not joined (%s): cannot_command_unstarted_bot',
    async (status) => {
      const s = await sandbox({bots: [botSeed(status)]})
      for (const verb of ['start', 'stop', 'pause', 'resume']) {
        const reply = await call(s, `/api/v1/bot/${idOf(s)}/${verb}_recording/`, {body: {}})
        expect(reply.status).toBe(400)
        expect(reply.body.code).toBe('cannot_command_unstarted_bot')
        expect(typeof reply.body.detail).toBe('string')
      }
      expect(s.bot(idOf(s))!.recordings).toHaveLength(0)
    },
  )

  it.each(['call_ended', 'done', 'fatal', 'recording_done', 'media_expired', 'analysis_done', 'analysis_failed'] as const)(
    'refuses a finished bot (%s): cannot_command_completed_bot',
    async (status) => {
      const s = await sandbox({bots: [botSeed(status)]})
      const reply = await call(s, startPath(idOf(s)), {body: {}})
      expect(reply.status).toBe(400)
      expect(reply.body.code).toBe('cannot_command_completed_bot')
    },
  )

  it.each(['in_call_not_recording', 'recording_permission_allowed', 'in_call_recording'] as const)(
    'accepts start_recording in the call (%s)',
    async (status) => {
      const s = await sandbox({bots: [botSeed(status)]})
      const reply = await call(s, startPath(idOf(s)), {body: {}})
      expect(reply.status).toBe(200)
      expect(statusOf(reply.body)).toBe('in_call_recording')
    },
  )

  it('checks the body before the bot state: a bad body on a finished bot is a 400 about the body', async () => {
    const s = await sandbox({bots: [botSeed('done')]})
    const reply = await call(s, startPath(idOf(s)), {body: {video_mixed_layout: 'mosaic'}})
    expect(reply.status).toBe(400)
    expect(reply.body.video_mixed_layout).toBeDefined()
  })
})

describe('start_recording restart semantics', () => {
  it('adds a recording per call carrying the body metadata; the previous active one becomes done', async () => {
    const s = await sandbox({bots: [botSeed('in_call_not_recording')]})
    const id = idOf(s)
    const first = await call(s, startPath(id), {body: {metadata: {recallctl_digest: 'v1:aaa', team: 'sales'}}})
    expect(first.status).toBe(200)
    expect(first.body.recordings).toHaveLength(1)
    expect(first.body.recordings[0].status.code).toBe('processing')
    expect(first.body.recordings[0].metadata).toEqual({recallctl_digest: 'v1:aaa', team: 'sales'})

    const second = await call(s, startPath(id), {body: {metadata: {recallctl_digest: 'v1:bbb'}}})
    expect(second.body.recordings).toHaveLength(2)
    const [old, current] = second.body.recordings
    expect(old.id).toBe(first.body.recordings[0].id)
    expect(old.status.code).toBe('done')
    expect(old.completed_at).not.toBeNull()
    expect(current.id).not.toBe(old.id)
    expect(current.status.code).toBe('processing')
    expect(current.metadata).toEqual({recallctl_digest: 'v1:bbb'})
    expect(statusOf(second.body)).toBe('in_call_recording')
  })

  it('does not fall back to anything: a body without metadata gives a recording with empty metadata', async () => {
    const s = await sandbox({bots: [botSeed('in_call_recording', {recording_config: {metadata: {from: 'create'}}})]})
    const reply = await call(s, startPath(idOf(s)), {body: {}})
    expect(reply.body.recordings.at(-1).metadata).toEqual({})
  })

  it('gives a done recording an expiry from the retention it was started with', async () => {
    const s = await sandbox({bots: [botSeed('in_call_not_recording')]})
    const id = idOf(s)
    await call(s, startPath(id), {body: {retention: {type: 'timed', hours: 2}}})
    const reply = await call(s, `/api/v1/bot/${id}/stop_recording/`, {method: 'POST'})
    const recording = reply.body.recordings[0]
    expect(Date.parse(recording.expires_at) - Date.parse(recording.completed_at)).toBe(2 * 3_600_000)
  })
})

describe('stop, pause and resume', () => {
  it('stop completes the active recording and the bot is in the call, not recording', async () => {
    const s = await sandbox({bots: [botSeed('in_call_recording')]})
    const reply = await call(s, `/api/v1/bot/${idOf(s)}/stop_recording/`, {method: 'POST'})
    expect(reply.status).toBe(200)
    expect(reply.body.recordings.map((r: any) => r.status.code)).toEqual(['done'])
    expect(statusOf(reply.body)).toBe('in_call_not_recording')
  })

  it('pause and resume move the active recording between paused and processing', async () => {
    const s = await sandbox({bots: [botSeed('in_call_recording')]})
    const id = idOf(s)
    const paused = await call(s, `/api/v1/bot/${id}/pause_recording/`, {method: 'POST'})
    expect(paused.body.recordings.at(-1).status.code).toBe('paused')
    const restarted = await call(s, startPath(id), {body: {metadata: {n: '2'}}})
    // A paused recording is active: a start completes it too.
    expect(restarted.body.recordings.map((r: any) => r.status.code)).toEqual(['done', 'processing'])
    await call(s, `/api/v1/bot/${id}/pause_recording/`, {method: 'POST'})
    const resumed = await call(s, `/api/v1/bot/${id}/resume_recording/`, {method: 'POST'})
    expect(resumed.body.recordings.at(-1).status.code).toBe('processing')
  })
})

describe('create bot', () => {
  it('creates a ready bot with its recording_config, metadata and a meeting URL object', async () => {
    const s = await sandbox()
    const reply = await call(s, '/api/v1/bot/', {
      body: {
        meeting_url: 'https://zoom.us/j/12345678901?pwd=secret',
        bot_name: 'Notes',
        metadata: {team: 'sales'},
        recording_config: {metadata: {a: 'b'}, video_mixed_layout: 'gallery_view'},
      },
    })
    expect(reply.status).toBe(201)
    expect(reply.body.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(statusOf(reply.body)).toBe('ready')
    expect(reply.body.meeting_url).toEqual({meeting_id: '12345678901', meeting_password: 'secret', platform: 'zoom'})
    expect(reply.body.recording_config).toEqual({metadata: {a: 'b'}, video_mixed_layout: 'gallery_view'})
    expect(reply.body.metadata).toEqual({team: 'sales'})
    const read = await call(s, botPath(reply.body.id))
    expect(read.body).toEqual(reply.body)
  })

  it('answers field-keyed 400s: a missing meeting_url, an unknown platform, a bad recording_config', async () => {
    const s = await sandbox()
    expect((await call(s, '/api/v1/bot/', {body: {}})).body).toEqual({meeting_url: ['This field is required.']})
    const unknown = await call(s, '/api/v1/bot/', {body: {meeting_url: 'https://example.com/meeting'}})
    expect(unknown.status).toBe(400)
    expect(unknown.body.meeting_url[0]).toContain('example.com')
    const badConfig = await call(s, '/api/v1/bot/', {
      body: {meeting_url: 'https://meet.google.com/abc-defg-hij', recording_config: {retention: {type: 'timed', hours: 0}}},
    })
    expect(badConfig.status).toBe(400)
    expect(Object.keys(badConfig.body)).toEqual(['recording_config'])
    expect(badConfig.body.recording_config.retention.hours).toHaveLength(1)
    expect(s.core.bots.size).toBe(0)
  })
})

describe('moving a bot through its lifecycle (control)', () => {
  it('appends status changes in order; leaving the call completes the active recording', async () => {
    const s = await sandbox({bots: [botSeed('joining_call')]})
    const id = idOf(s)
    expect((await control(s, 'POST', `bots/${id}/status`, {code: 'in_call_not_recording'})).status).toBe(200)
    await call(s, startPath(id), {body: {metadata: {k: 'v'}}})
    const ended = await control(s, 'POST', `bots/${id}/status`, {code: 'call_ended', sub_code: 'call_ended_by_host'})
    expect(ended.body.status_changes.map((c: any) => c.code)).toEqual([
      'joining_call',
      'in_call_not_recording',
      'in_call_recording',
      'call_ended',
    ])
    expect(ended.body.status_changes.at(-1).sub_code).toBe('call_ended_by_host')
    expect(ended.body.recordings[0].status.code).toBe('done')
    expect((await call(s, startPath(id), {body: {}})).body.code).toBe('cannot_command_completed_bot')
  })

  it('a bot that starts recording on its own carries its create-time metadata', async () => {
    const s = await sandbox({bots: [botSeed('in_call_not_recording', {recording_config: {metadata: {origin: 'create'}}})]})
    const moved = await control(s, 'POST', `bots/${idOf(s)}/status`, {code: 'in_call_recording'})
    expect(moved.body.recordings).toHaveLength(1)
    expect(moved.body.recordings[0].metadata).toEqual({origin: 'create'})
  })

  it('clears join_at once the bot has joined (as Recall documents)', async () => {
    const s = await sandbox({bots: [botSeed('ready', {join_at: '2030-01-01T10:00:00Z'})]})
    const id = idOf(s)
    expect((await call(s, botPath(id))).body.join_at).toBe('2030-01-01T10:00:00Z')
    await control(s, 'POST', `bots/${id}/status`, {code: 'in_call_not_recording'})
    expect((await call(s, botPath(id))).body.join_at).toBeNull()
  })

  it('answers 404 for an unknown bot and 400 for a malformed move', async () => {
    const s = await sandbox({bots: [botSeed('ready')]})
    expect((await control(s, 'POST', 'bots/6e1f5adb-3340-4f50-900d-9aa2cdc53d6c/status', {code: 'done'})).status).toBe(404)
    const bad = await control(s, 'POST', `bots/${idOf(s)}/status`, {status: 'done'})
    expect(bad.status).toBe(400)
    expect(bad.body.detail).toContain('code')
  })
})

describe('seeds', () => {
  it('a bot seeded in_call_recording without recordings has one processing recording with its create-time metadata', async () => {
    const s = await sandbox({bots: [botSeed('in_call_recording', {recording_config: {metadata: {team: 'support'}}})]})
    const bot = s.bot(idOf(s))!
    expect(bot.recordings).toHaveLength(1)
    expect(bot.recordings[0]!.status.code).toBe('processing')
    expect(bot.recordings[0]!.metadata).toEqual({team: 'support'})
  })

  it('keeps seeded recordings in order, with their ids, statuses and metadata', async () => {
    const recordings = [
      {id: '11111111-1111-4111-8111-111111111111', status: 'done' as const, metadata: {n: '1'}},
      {id: '22222222-2222-4222-8222-222222222222', status: 'paused' as const, metadata: {n: '2'}},
    ]
    const s = await sandbox({bots: [botSeed('in_call_recording', {recordings})]})
    const bot = s.bot(idOf(s))!
    expect(bot.recordings.map((r) => [r.id, r.status.code, r.metadata])).toEqual([
      [recordings[0]!.id, 'done', {n: '1'}],
      [recordings[1]!.id, 'paused', {n: '2'}],
    ])
    expect(Date.parse(bot.recordings[0]!.created_at)).toBeLessThan(Date.parse(bot.recordings[1]!.created_at))
  })

  it('refuses bad seeds all at once, naming each problem, and adds none', async () => {
    const s = await sandbox()
    const reply = await control(s, 'POST', 'bots', {
      bots: [
        botSeed('ready'),
        {id: 'nope', status: 'ready'},
        botSeed('in_call_recording', {platform: 'zoom', meeting_url: 'https://meet.google.com/abc-defg-hij'}),
        {...botSeed('ready'), colour: 'red'},
      ],
    })
    expect(reply.status).toBe(400)
    expect(reply.body.detail).toContain('bots[1].id')
    expect(reply.body.detail).toContain('bots[2]')
    expect(reply.body.detail).toContain('bots[3]')
    expect(s.core.bots.size).toBe(0)
  })

  it('control: add, read, delete and reset', async () => {
    const s = await sandbox()
    const seed = botSeed('in_call_not_recording', {metadata: {team: 'a'}})
    expect((await control(s, 'POST', 'bots', seed)).status).toBe(201)
    expect((await control(s, 'GET', `bots/${seed.id}`)).body.metadata).toEqual({team: 'a'})
    expect((await control(s, 'GET', 'bots')).body.bots).toHaveLength(1)
    expect((await control(s, 'DELETE', `bots/${seed.id}`)).status).toBe(200)
    expect((await call(s, botPath(seed.id))).status).toBe(404)
    await control(s, 'POST', 'bots', [botSeed('ready'), botSeed('ready')])
    const reset = await control(s, 'POST', 'reset', {bots: [seed]})
    expect(reset.body.bots.map((b: any) => b.id)).toEqual([seed.id])
    expect((await control(s, 'POST', 'reset')).body.bots).toEqual([])
  })
})
