import {describe, expect, it} from 'vitest'
import {botSeed, call, control, sandbox, startPath} from './helpers.js'

describe('control endpoints', () => {
  it('GET /_sandbox/ lists the control endpoints', async () => {
    const s = await sandbox()
    const reply = await control(s, 'GET', '')
    expect(reply.status).toBe(200)
    expect(reply.body.endpoints.some((line: string) => line.includes('/_sandbox/faults'))).toBe(true)
  })

  it('state can be read from one sandbox and loaded into another, idempotency entries included', async () => {
    const a = await sandbox({bots: [botSeed('in_call_not_recording')]})
    const id = [...a.core.bots.keys()][0]!
    const first = await call(a, startPath(id), {body: {}, idempotencyKey: 'carry'})
    const state = (await control(a, 'GET', 'state')).body
    const b = await sandbox()
    expect((await control(b, 'PUT', 'state', state)).status).toBe(200)
    const replay = await call(b, startPath(id), {body: {}, idempotencyKey: 'carry'})
    expect(replay.body).toEqual(first.body)
    expect((await control(b, 'PUT', 'state', {bots: 'nope'})).status).toBe(400)
  })

  it('the clock can be read and moved', async () => {
    const s = await sandbox({clock: () => Date.parse('2030-01-01T00:00:00Z')})
    expect((await control(s, 'GET', 'clock')).body).toEqual({now: '2030-01-01T00:00:00.000Z'})
    expect((await control(s, 'POST', 'clock', {advance_ms: 90_000})).body).toEqual({now: '2030-01-01T00:01:30.000Z'})
  })

  it('answers 404 for an unknown control endpoint and 405 for a wrong method', async () => {
    const s = await sandbox()
    expect((await control(s, 'GET', 'nothing')).status).toBe(404)
    expect((await control(s, 'DELETE', 'clock')).status).toBe(405)
    expect((await control(s, 'POST', 'bots', '{broken')).status).toBe(400)
  })
})
