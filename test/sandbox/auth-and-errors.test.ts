import {describe, expect, it} from 'vitest'
import {botPath, botSeed, call, control, rawRequest, sandbox, startPath} from './helpers.js'

describe('authentication', () => {
  it('accepts "Token <key>" and the bare key', async () => {
    const s = await sandbox({bots: [botSeed('ready')]})
    const id = [...s.core.bots.keys()][0]!
    expect((await call(s, botPath(id), {auth: `Token ${s.apiKey}`})).status).toBe(200)
    expect((await call(s, botPath(id), {auth: s.apiKey})).status).toBe(200)
  })

  it("answers 401 with Recall's bodies for a missing or wrong key", async () => {
    const s = await sandbox({bots: [botSeed('ready')]})
    const id = [...s.core.bots.keys()][0]!
    const missing = await call(s, botPath(id), {auth: null})
    expect(missing.status).toBe(401)
    expect(missing.body).toEqual({detail: 'Authentication credentials were not provided.'})
    const wrong = await call(s, botPath(id), {auth: 'Token not-the-key'})
    expect(wrong.status).toBe(401)
    expect(wrong.body).toEqual({detail: 'Invalid token.'})
    const bearer = await call(s, botPath(id), {auth: `Bearer ${s.apiKey}`})
    expect(bearer.status).toBe(401)
  })

  it('refuses control endpoints without the admin token, and the API key is not the admin token', async () => {
    const s = await sandbox()
    expect((await control(s, 'GET', 'bots', undefined, null)).status).toBe(401)
    expect((await control(s, 'GET', 'bots', undefined, s.apiKey)).status).toBe(401)
    expect((await control(s, 'GET', 'bots', undefined, 'wrong')).status).toBe(401)
    expect((await control(s, 'GET', 'bots')).status).toBe(200)
  })

  it('does not accept the admin token as an API key', async () => {
    const s = await sandbox()
    expect((await call(s, '/api/v1/bot/', {auth: `Token ${s.adminToken}`})).status).toBe(401)
  })
})

describe('not found and method errors', () => {
  it('answers 404 {"detail":"Not found."} for an unknown bot, a non-UUID id and an unknown path', async () => {
    const s = await sandbox()
    for (const path of [
      botPath('6e1f5adb-3340-4f50-900d-9aa2cdc53d6c'),
      botPath('not-a-uuid'),
      startPath('6e1f5adb-3340-4f50-900d-9aa2cdc53d6c'),
      '/api/v1/nothing/',
    ]) {
      const reply = await call(s, path, path.includes('start_recording') ? {body: {}} : {})
      expect(reply.status, path).toBe(404)
      expect(reply.body).toEqual({detail: 'Not found.'})
    }
  })

  it('answers 405 with Allow for a wrong method', async () => {
    const s = await sandbox({bots: [botSeed('in_call_recording')]})
    const id = [...s.core.bots.keys()][0]!
    const reply = await call(s, startPath(id), {method: 'GET'})
    expect(reply.status).toBe(405)
    expect(reply.headers.get('allow')).toBe('POST')
    expect(reply.body.detail).toContain('GET')
  })

  it('answers 415 for a body that is not JSON, and 400 for broken JSON', async () => {
    const s = await sandbox({bots: [botSeed('in_call_not_recording')]})
    const id = [...s.core.bots.keys()][0]!
    const text = await call(s, startPath(id), {body: 'metadata=1', headers: {'content-type': 'text/plain'}})
    expect(text.status).toBe(415)
    const broken = await call(s, startPath(id), {body: '{"metadata": '})
    expect(broken.status).toBe(400)
    expect(broken.body.detail).toMatch(/^JSON parse error/)
    const list = await call(s, startPath(id), {body: []})
    expect(list.status).toBe(400)
    expect(list.body).toEqual({non_field_errors: ['Invalid data. Expected a dictionary, but got list.']})
    expect(s.bot(id)!.recordings).toHaveLength(0)
  })
})

describe('the firewall', () => {
  it('blocks a GET with a body: 403 request_blocked', async () => {
    const s = await sandbox({bots: [botSeed('ready')]})
    const id = [...s.core.bots.keys()][0]!
    const reply = await rawRequest(s, 'GET', botPath(id), '{"a":1}', {
      authorization: `Token ${s.apiKey}`,
      'content-type': 'application/json',
    })
    expect(reply.status).toBe(403)
    expect(reply.body.code).toBe('request_blocked')
    expect(typeof reply.body.detail).toBe('string')
  })

  it('blocks a localhost URL anywhere in a payload, before anything happens', async () => {
    const s = await sandbox({bots: [botSeed('in_call_not_recording')]})
    const id = [...s.core.bots.keys()][0]!
    const payloads = [
      {realtime_endpoints: [{type: 'webhook', url: 'http://localhost:3000/hook', events: ['participant_events.join']}]},
      {metadata: {callback: 'https://user:pw@127.0.0.1/x?token=abc'}},
      {realtime_endpoints: [{type: 'websocket', url: 'ws://[::1]:8080/', events: ['audio_mixed_raw.data']}]},
      {metadata: {where: 'dev.localhost:8080/path'}},
    ]
    for (const body of payloads) {
      const reply = await call(s, startPath(id), {body})
      expect(reply.status, JSON.stringify(body)).toBe(403)
      expect(reply.body.code).toBe('request_blocked')
      expect(JSON.stringify(reply.body)).not.toContain('token=abc')
    }
    const created = await call(s, '/api/v1/bot/', {body: {meeting_url: 'http://localhost:9999/j/123'}})
    expect(created.status).toBe(403)
    expect(s.bot(id)!.recordings).toHaveLength(0)
  })

  it('lets ordinary words and public URLs through', async () => {
    const s = await sandbox({bots: [botSeed('in_call_not_recording')]})
    const id = [...s.core.bots.keys()][0]!
    const reply = await call(s, startPath(id), {
      body: {
        metadata: {env: 'localhost', note: 'see https://example.com/localhost'},
        realtime_endpoints: [{type: 'webhook', url: 'https://hooks.example.com/recall', events: ['participant_events.join']}],
      },
    })
    expect(reply.status).toBe(200)
  })
})
