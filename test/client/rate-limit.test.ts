import {afterEach, describe, expect, it} from 'vitest'
import {createRecallClient, type RecallClient} from '../../src/recall/client/client.js'
import {createRateLimiters, effectiveLimits} from '../../src/recall/client/rate-limiter.js'
import {API_KEY, bot, FAST_RETRY, sendJson, startFixture, type Fixture} from './fixture-server.js'

let fixture: Fixture | undefined
let client: RecallClient | undefined

afterEach(async () => {
  await client?.close()
  await fixture?.close()
  client = undefined
  fixture = undefined
})

/** The most requests that arrived within any window of `windowMs` (timestamps in ms). */
function busiestWindow(timestamps: number[], windowMs: number): number {
  const sorted = [...timestamps].sort((a, b) => a - b)
  let most = 0
  for (let start = 0, end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start++
    most = Math.max(most, end - start + 1)
  }
  return most
}

describe('sliding window per endpoint', () => {
  it('with limit N per window W, no W ms at the server ever sees more than N requests', async () => {
    const LIMIT = 5
    const WINDOW = 1000
    fixture = await startFixture((req, res) => sendJson(res, 200, bot(req.url.split('/')[4] ?? 'x')))
    // The first request in a process is slow (undici compiles its parser); the safety margin is sized for
    // network jitter, not for that: warm up with another client.
    const warmUp = createRecallClient({baseUrl: fixture.url, apiKey: API_KEY})
    await warmUp.retrieveBot('warm-up')
    await warmUp.close()
    fixture.requests.length = 0
    client = createRecallClient({baseUrl: fixture.url, apiKey: API_KEY, rateLimits: {retrieve_bot: LIMIT}, rateWindowMs: WINDOW})
    const ids = Array.from({length: 3 * LIMIT}, (_, i) => `bot-${i}`)
    const bots = await Promise.all(ids.map((id) => client!.retrieveBot(id)))
    expect(bots.map((b) => b?.id)).toEqual(ids)
    const arrivals = fixture.requests.map((r) => r.at)
    expect(arrivals).toHaveLength(3 * LIMIT)
    // Arrivals are stamped by the server process, which a loaded machine can stall for a few hundred ms,
    // bunching requests the client sent a window apart. Judge 80% of the window: a fixed-window or
    // over-limit limiter still puts 2N requests in it, a correct one never more than N.
    expect(busiestWindow(arrivals, WINDOW * 0.8)).toBe(LIMIT)
  })

  it('retries take a slot in the window too', async () => {
    const LIMIT = 3
    const WINDOW = 300
    fixture = await startFixture((_req, res, index) => (index % 2 === 0 ? sendJson(res, 503, {}) : sendJson(res, 200, bot('x'))))
    client = createRecallClient({
      baseUrl: fixture.url,
      apiKey: API_KEY,
      rateLimits: {retrieve_bot: LIMIT},
      rateWindowMs: WINDOW,
      retry: FAST_RETRY,
      concurrency: 1,
    })
    await Promise.all(Array.from({length: 4}, () => client!.retrieveBot('x')))
    expect(fixture.requests).toHaveLength(8)
    expect(
      busiestWindow(
        fixture.requests.map((r) => r.at),
        WINDOW,
      ),
    ).toBeLessThanOrEqual(LIMIT)
  })

  it('endpoints have separate limiters: reads and writes overlap', async () => {
    const LIMIT = 3
    const WINDOW = 5000
    fixture = await startFixture((_req, res) => sendJson(res, 200, bot('x')))
    client = createRecallClient({
      baseUrl: fixture.url,
      apiKey: API_KEY,
      rateLimits: {retrieve_bot: LIMIT, start_recording: LIMIT},
      rateWindowMs: WINDOW,
    })
    const started = performance.now()
    await Promise.all([
      ...Array.from({length: LIMIT}, () => client!.retrieveBot('x')),
      ...Array.from({length: LIMIT}, (_, i) => client!.startRecording('x', {}, {idempotencyKey: `k${i}`})),
    ])
    // Both endpoints' full budgets went out in the first window: neither waited for the other.
    expect(fixture.requests).toHaveLength(2 * LIMIT)
    expect(Math.max(...fixture.requests.map((r) => r.at)) - started).toBeLessThan(WINDOW / 2)
  })

  it('the busiest endpoint, not the sum, bounds a run: a full list_bots window does not delay reads', async () => {
    fixture = await startFixture((req, res) =>
      req.url.startsWith('/api/v1/bot/?') || req.url === '/api/v1/bot/'
        ? sendJson(res, 200, {count: 0, next: null, previous: null, results: []})
        : sendJson(res, 200, bot('x')),
    )
    client = createRecallClient({baseUrl: fixture.url, apiKey: API_KEY, rateLimits: {list_bots: 1}, rateWindowMs: 5000})
    await client.listBots()
    const waitingList = client.listBots().catch((e: unknown) => e)
    const before = fixture.requests.length
    await client.retrieveBot('x')
    expect(fixture.requests.length).toBe(before + 1)
    expect(fixture.requests.at(-1)?.url).toBe('/api/v1/bot/x/')
    await client.close()
    expect(await waitingList).toMatchObject({message: expect.stringContaining('closed')})
  })
})

describe('limits', () => {
  it("default to Recall's documented 300/300/60 and take configured values", () => {
    expect(effectiveLimits(undefined)).toEqual({start_recording: 300, retrieve_bot: 300, list_bots: 60})
    expect(effectiveLimits({start_recording: 150, list_bots: 120})).toEqual({
      start_recording: 150,
      retrieve_bot: 300,
      list_bots: 120,
    })
  })

  it.each([0, -1, 1.5, Number.NaN])('refuse %s', (value) => {
    expect(() => effectiveLimits({retrieve_bot: value})).toThrow(/rate_limits\.retrieve_bot must be a positive whole number/)
  })

  it('the local window carries a safety margin: 1% of the window, at least 50 ms', () => {
    expect(createRateLimiters().effectiveWindowMs).toBe(60_600)
    expect(createRateLimiters({windowMs: 1000}).effectiveWindowMs).toBe(1050)
    expect(createRateLimiters({windowMs: 1000, safetyMarginMs: 0}).effectiveWindowMs).toBe(1000)
  })

  it('close rejects tasks still waiting and lets the running one finish', async () => {
    const limiters = createRateLimiters({limits: {retrieve_bot: 1}, windowMs: 60_000})
    let finish: (() => void) | undefined
    const running = limiters.schedule('retrieve_bot', () => new Promise<string>((resolve) => (finish = () => resolve('done'))))
    const waiting = limiters.schedule('retrieve_bot', async () => 'never').catch((e: unknown) => e)
    limiters.close(new Error('closed'))
    finish?.()
    await expect(running).resolves.toBe('done')
    expect(await waiting).toMatchObject({message: 'closed'})
    await expect(limiters.schedule('retrieve_bot', async () => 'late')).rejects.toThrow('closed')
  })
})
