import {describe, expect, it} from 'vitest'
import {botPath, botSeed, call, control, sandbox, startPath} from './helpers.js'

async function inCall() {
  const s = await sandbox({bots: [botSeed('in_call_not_recording')]})
  return {s, id: [...s.core.bots.keys()][0]!}
}

describe('fault injection (a deterministic schedule)', () => {
  it('status: the next N matching requests get the status without being processed, then normal service', async () => {
    const {s, id} = await inCall()
    const added = await control(s, 'POST', 'faults', {
      kind: 'status',
      path: '/api/v1/bot/*/start_recording/',
      status: 503,
      count: 2,
    })
    expect(added.status).toBe(201)
    const first = await call(s, startPath(id), {body: {}})
    expect(first.status).toBe(503)
    expect(typeof first.body.detail).toBe('string')
    expect((await call(s, botPath(id))).status).toBe(200) // other paths are untouched
    expect((await call(s, startPath(id), {body: {}})).status).toBe(503)
    expect(s.bot(id)!.recordings).toHaveLength(0)
    expect((await call(s, startPath(id), {body: {}})).status).toBe(200)
    const listed = await control(s, 'GET', 'faults')
    expect(listed.body.faults[0]).toMatchObject({kind: 'status', seen: 3, applied: 2, remaining: 0})
  })

  it('after, method, custom status and body', async () => {
    const {s, id} = await inCall()
    await control(s, 'POST', 'faults', [
      {kind: 'status', method: 'get', path: '/api/v1/bot/**', after: 1, status: 502, body: {detail: 'upstream'}},
    ])
    expect((await call(s, botPath(id))).status).toBe(200)
    const second = await call(s, botPath(id))
    expect(second.status).toBe(502)
    expect(second.body).toEqual({detail: 'upstream'})
    expect((await call(s, startPath(id), {body: {}})).status).toBe(200)
  })

  it('reset_before: the connection drops and nothing happened', async () => {
    const {s, id} = await inCall()
    s.injectFault({kind: 'reset_before', path: '/api/v1/bot/*/start_recording/'})
    await expect(call(s, startPath(id), {body: {}, idempotencyKey: 'k'})).rejects.toThrow()
    expect(s.bot(id)!.recordings).toHaveLength(0)
    // The key was never used: a retry acts.
    expect((await call(s, startPath(id), {body: {}, idempotencyKey: 'k'})).status).toBe(200)
    expect(s.bot(id)!.recordings).toHaveLength(1)
  })

  it('reset_after: the action happened but the answer is lost; a retry with the same key replays it', async () => {
    const {s, id} = await inCall()
    s.injectFault({kind: 'reset_after', path: '/api/v1/bot/*/start_recording/'})
    await expect(call(s, startPath(id), {body: {metadata: {try: '1'}}, idempotencyKey: 'once'})).rejects.toThrow()
    expect(s.bot(id)!.recordings).toHaveLength(1)
    const retry = await call(s, startPath(id), {body: {metadata: {try: '2'}}, idempotencyKey: 'once'})
    expect(retry.status).toBe(200)
    expect(retry.body.recordings).toHaveLength(1)
    expect(retry.body.recordings[0].metadata).toEqual({try: '1'})
    expect(s.requests().map((e) => [e.status, e.fault, e.replayed])).toEqual([
      [null, 'reset_after', false],
      [200, null, true],
    ])
  })

  it('latency: the request is held in flight, then answered normally', async () => {
    const {s, id} = await inCall()
    s.injectFault({kind: 'latency', latency_ms: 300})
    const started = performance.now()
    const reply = await call(s, botPath(id))
    expect(reply.status).toBe(200)
    expect(performance.now() - started).toBeGreaterThanOrEqual(290)
    expect(s.requests()[0]!.fault).toBe('latency')
  })

  it('rate_limit: a burst of 429s with the given Retry-After, then normal service', async () => {
    const {s, id} = await inCall()
    await control(s, 'POST', 'faults', {faults: [{kind: 'rate_limit', count: 3, retry_after: 7}]})
    for (let i = 0; i < 3; i++) {
      const reply = await call(s, botPath(id))
      expect(reply.status).toBe(429)
      expect(reply.headers.get('retry-after')).toBe('7')
    }
    expect((await call(s, botPath(id))).status).toBe(200)
  })

  it('count null applies to every matching request until the rule is removed', async () => {
    const {s, id} = await inCall()
    const added = await control(s, 'POST', 'faults', {kind: 'status', count: null, status: 500})
    for (let i = 0; i < 4; i++) expect((await call(s, botPath(id))).status).toBe(500)
    expect((await control(s, 'DELETE', `faults/${added.body.faults[0].id}`)).status).toBe(200)
    expect((await call(s, botPath(id))).status).toBe(200)
  })

  it('rules apply in the order they were added; control endpoints are never faulted', async () => {
    const {s, id} = await inCall()
    await control(s, 'POST', 'faults', [
      {kind: 'status', status: 504},
      {kind: 'status', status: 500},
    ])
    expect((await call(s, botPath(id))).status).toBe(504)
    expect((await control(s, 'GET', 'bots')).status).toBe(200)
    expect((await call(s, botPath(id))).status).toBe(500)
    expect((await call(s, botPath(id))).status).toBe(200)
    await control(s, 'POST', 'faults', {kind: 'status'})
    expect((await control(s, 'DELETE', 'faults')).body.faults).toEqual([])
    expect((await call(s, botPath(id))).status).toBe(200)
  })

  it('refuses a malformed rule, naming the field', async () => {
    const s = await sandbox()
    const reply = await control(s, 'POST', 'faults', {kind: 'explode'})
    expect(reply.status).toBe(400)
    expect(reply.body.detail).toContain('kind')
  })
})

describe('request log', () => {
  it('records method, path, status, time and idempotency key, and never the API key', async () => {
    const {s, id} = await inCall()
    await call(s, botPath(id))
    await call(s, startPath(id), {body: {metadata: {a: 'b'}}, idempotencyKey: 'key-1'})
    await call(s, botPath(id), {auth: 'Token wrong'})
    await control(s, 'GET', 'bots')
    const reply = await control(s, 'GET', 'requests')
    const entries = reply.body.requests
    expect(entries.map((e: any) => [e.method, e.path, e.status, e.idempotency_key])).toEqual([
      ['GET', botPath(id), 200, null],
      ['POST', startPath(id), 200, 'key-1'],
      ['GET', botPath(id), 401, null],
    ])
    expect(entries[1].body).toEqual({metadata: {a: 'b'}})
    expect(Number.isNaN(Date.parse(entries[0].time))).toBe(false)
    expect(JSON.stringify(entries)).not.toContain(s.apiKey)
    const since = await control(s, 'GET', `requests?since=${entries[1].seq}`)
    expect(since.body.requests).toHaveLength(1)
    await control(s, 'DELETE', 'requests')
    expect((await control(s, 'GET', 'requests')).body.requests).toEqual([])
  })
})
