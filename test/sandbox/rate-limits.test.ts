import {describe, expect, it} from 'vitest'
import {botPath, botSeed, call, control, sandbox, sleep, startPath} from './helpers.js'

describe('sliding-window rate limits', () => {
  it('refuses the N+1th call in the window with a correct Retry-After, and allows it after that', async () => {
    const s = await sandbox({bots: [botSeed('ready')], rateLimits: {retrieve_bot: 3}, rateWindowMs: 1500})
    const path = botPath([...s.core.bots.keys()][0]!)
    const started = Date.now()
    for (let i = 0; i < 3; i++) expect((await call(s, path)).status).toBe(200)
    const refused = await call(s, path)
    const elapsed = Date.now() - started
    expect(refused.status).toBe(429)
    const retryAfter = Number(refused.headers.get('retry-after'))
    // Seconds until the oldest call leaves the window, rounded up: 2 unless the calls were very slow.
    expect(retryAfter).toBeGreaterThanOrEqual(Math.ceil((1500 - elapsed) / 1000))
    expect(retryAfter).toBeLessThanOrEqual(2)
    expect(refused.body.detail).toMatch(/throttled/i)
    await sleep(retryAfter * 1000)
    expect((await call(s, path)).status).toBe(200)
  })

  it('slides: calls leave the window one by one, not all at a boundary', async () => {
    const s = await sandbox({bots: [botSeed('ready')], rateLimits: {retrieve_bot: 3}, rateWindowMs: 2000})
    const path = botPath([...s.core.bots.keys()][0]!)
    await call(s, path)
    await call(s, path)
    await sleep(1000)
    expect((await call(s, path)).status).toBe(200)
    await sleep(1100)
    // The first two left the window; the third (about 1.1 s old) is still in it: exactly two more fit.
    expect((await call(s, path)).status).toBe(200)
    expect((await call(s, path)).status).toBe(200)
    expect((await call(s, path)).status).toBe(429)
  })

  it('limits each endpoint group separately by default', async () => {
    const s = await sandbox({
      bots: [botSeed('in_call_not_recording')],
      rateLimits: {retrieve_bot: 1, start_recording: 1, list_bots: 1},
      rateWindowMs: 60_000,
    })
    const id = [...s.core.bots.keys()][0]!
    expect((await call(s, botPath(id))).status).toBe(200)
    expect((await call(s, startPath(id), {body: {}})).status).toBe(200)
    expect((await call(s, '/api/v1/bot/')).status).toBe(200)
    expect((await call(s, botPath(id))).status).toBe(429)
    expect((await call(s, startPath(id), {body: {}})).status).toBe(429)
    expect((await call(s, '/api/v1/bot/')).status).toBe(429)
    // A refused call does not change anything.
    expect(s.bot(id)!.recordings).toHaveLength(1)
  })

  it('with sharedBucket, every bot/{id} call draws from one bucket; List Bots keeps its own', async () => {
    const s = await sandbox({
      bots: [botSeed('in_call_not_recording')],
      sharedBucket: true,
      rateLimits: {shared_bot: 2, list_bots: 1},
      rateWindowMs: 60_000,
    })
    const id = [...s.core.bots.keys()][0]!
    expect((await call(s, botPath(id))).status).toBe(200)
    expect((await call(s, startPath(id), {body: {}})).status).toBe(200)
    expect((await call(s, `/api/v1/bot/${id}/stop_recording/`, {method: 'POST'})).status).toBe(429)
    expect((await call(s, '/api/v1/bot/')).status).toBe(200)
  })

  it("uses Recall's documented limits by default (300 retrieve per minute)", async () => {
    const s = await sandbox({bots: [botSeed('ready')], rateLimits: undefined})
    expect(s.core.limiter.settings).toMatchObject({
      windowMs: 60_000,
      sharedBucket: false,
      limits: {retrieve_bot: 300, start_recording: 300, list_bots: 60, create_bot: 60},
    })
    const path = botPath([...s.core.bots.keys()][0]!)
    const replies = await Promise.all(Array.from({length: 301}, () => call(s, path)))
    expect(replies.filter((r) => r.status === 200)).toHaveLength(300)
    const refused = replies.find((r) => r.status === 429)!
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(59)
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60)
  })

  it('can be changed through the control API (window scaled, a group turned off)', async () => {
    const s = await sandbox({bots: [botSeed('ready')], rateLimits: {retrieve_bot: 1}})
    const path = botPath([...s.core.bots.keys()][0]!)
    await call(s, path)
    expect((await call(s, path)).status).toBe(429)
    const changed = await control(s, 'PUT', 'rate-limits', {window_ms: 200, limits: {retrieve_bot: 2, list_bots: null}})
    expect(changed.body).toMatchObject({window_ms: 200, limits: {retrieve_bot: 2, list_bots: false}})
    expect((await call(s, path)).status).toBe(200)
    expect((await call(s, path)).status).toBe(200)
    expect((await call(s, path)).status).toBe(429)
    await sleep(250)
    expect((await call(s, path)).status).toBe(200)
    const invalid = await control(s, 'PUT', 'rate-limits', {limits: {retrieve: 5}})
    expect(invalid.status).toBe(400)
  })
})
