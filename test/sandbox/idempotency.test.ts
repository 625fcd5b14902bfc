import {describe, expect, it} from 'vitest'
import {botSeed, call, sandbox, startPath} from './helpers.js'

async function inCall(options = {}) {
  const s = await sandbox({bots: [botSeed('in_call_not_recording')], ...options})
  return {s, id: [...s.core.bots.keys()][0]!}
}

describe('idempotency', () => {
  it('replays the first response for the same key and path: the action is not repeated, the body not compared', async () => {
    const {s, id} = await inCall()
    const first = await call(s, startPath(id), {body: {metadata: {n: '1'}}, idempotencyKey: 'k1'})
    const again = await call(s, startPath(id), {body: {metadata: {n: '2'}}, idempotencyKey: 'k1'})
    expect(again.status).toBe(first.status)
    expect(again.body).toEqual(first.body)
    expect(s.bot(id)!.recordings).toHaveLength(1)
    expect(s.bot(id)!.recordings[0]!.metadata).toEqual({n: '1'})
    const log = s.requests()
    expect(log.map((e) => e.replayed)).toEqual([false, true])
  })

  it('scopes a key to its path: the same key on another bot is a new action', async () => {
    const s = await sandbox({bots: [botSeed('in_call_not_recording'), botSeed('in_call_not_recording')]})
    const [a, b] = [...s.core.bots.keys()]
    await call(s, startPath(a!), {body: {}, idempotencyKey: 'same'})
    const other = await call(s, startPath(b!), {body: {}, idempotencyKey: 'same'})
    expect(other.body.id).toBe(b)
    expect(s.bot(b!)!.recordings).toHaveLength(1)
  })

  it('without a key, every call acts', async () => {
    const {s, id} = await inCall()
    await call(s, startPath(id), {body: {}})
    await call(s, startPath(id), {body: {}})
    expect(s.bot(id)!.recordings).toHaveLength(2)
  })

  it('replays a completed error response too (one key, one outcome)', async () => {
    const s = await sandbox({bots: [botSeed('joining_call')]})
    const id = [...s.core.bots.keys()][0]!
    const refused = await call(s, startPath(id), {body: {}, idempotencyKey: 'k'})
    expect(refused.body.code).toBe('cannot_command_unstarted_bot')
    s.setStatus(id, 'in_call_not_recording')
    const replay = await call(s, startPath(id), {body: {}, idempotencyKey: 'k'})
    expect(replay.status).toBe(400)
    expect(replay.body).toEqual(refused.body)
    expect((await call(s, startPath(id), {body: {}, idempotencyKey: 'k2'})).status).toBe(200)
  })

  it('answers 409 while the first request with the key is in flight', async () => {
    const {s, id} = await inCall()
    s.injectFault({kind: 'latency', path: '/api/v1/bot/*/start_recording/', latency_ms: 400})
    const slow = call(s, startPath(id), {body: {}, idempotencyKey: 'slow'})
    await new Promise((resolve) => setTimeout(resolve, 100))
    const conflict = await call(s, startPath(id), {body: {}, idempotencyKey: 'slow'})
    expect(conflict.status).toBe(409)
    expect(typeof conflict.body.detail).toBe('string')
    expect((await slow).status).toBe(200)
    const after = await call(s, startPath(id), {body: {}, idempotencyKey: 'slow'})
    expect(after.status).toBe(200)
    expect(s.bot(id)!.recordings).toHaveLength(1)
  })

  it('forgets a key after an hour', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z')
    const {s, id} = await inCall({clock: () => now})
    await call(s, startPath(id), {body: {}, idempotencyKey: 'hour'})
    now += 59 * 60_000
    await call(s, startPath(id), {body: {}, idempotencyKey: 'hour'})
    expect(s.bot(id)!.recordings).toHaveLength(1)
    now += 60_001
    await call(s, startPath(id), {body: {}, idempotencyKey: 'hour'})
    expect(s.bot(id)!.recordings).toHaveLength(2)
  })

  it('the control clock moves the hour too', async () => {
    const {s, id} = await inCall()
    await call(s, startPath(id), {body: {}, idempotencyKey: 'c'})
    s.advanceClock(3_600_000)
    await call(s, startPath(id), {body: {}, idempotencyKey: 'c'})
    expect(s.bot(id)!.recordings).toHaveLength(2)
  })

  it('ignores the header on GET', async () => {
    const {s, id} = await inCall()
    const first = await call(s, `/api/v1/bot/${id}/`, {idempotencyKey: 'g'})
    await call(s, startPath(id), {body: {}})
    const second = await call(s, `/api/v1/bot/${id}/`, {idempotencyKey: 'g'})
    expect(second.body.recordings.length).toBe(first.body.recordings.length + 1)
  })
})
