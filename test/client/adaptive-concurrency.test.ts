import {afterEach, describe, expect, it, vi} from 'vitest'
import {
  AdaptiveConcurrency,
  attemptHealth,
  inFlightCeiling,
  MAX_IN_FLIGHT_PER_ENDPOINT,
} from '../../src/recall/client/adaptive-concurrency.js'
import {createRateLimiters, slotOffsetMs} from '../../src/recall/client/rate-limiter.js'

describe('adaptive concurrency', () => {
  it('starts at its ceiling, halves on overload and grows back by one per success', () => {
    const c = new AdaptiveConcurrency(64)
    expect(c.limit).toBe(64)
    c.settled(c.started(), 'overloaded')
    expect(c.limit).toBe(32)
    for (let i = 0; i < 10; i++) c.settled(c.started(), 'ok')
    expect(c.limit).toBe(42)
    for (let i = 0; i < 100; i++) c.settled(c.started(), 'ok')
    expect(c.limit).toBe(64)
  })

  it('halves once for calls that were in flight together, again for calls started after', () => {
    const c = new AdaptiveConcurrency(64)
    const together = Array.from({length: 20}, () => c.started())
    for (const ticket of together) c.settled(ticket, 'overloaded')
    expect(c.limit).toBe(32)
    c.settled(c.started(), 'overloaded')
    expect(c.limit).toBe(16)
  })

  it('never goes below one, and 429s or 409s do not move it', () => {
    const c = new AdaptiveConcurrency(4)
    for (let i = 0; i < 10; i++) c.settled(c.started(), 'overloaded')
    expect(c.limit).toBe(1)
    c.settled(c.started(), 'neutral')
    expect(c.limit).toBe(1)
  })

  it('reads 5xx, resets and timeouts as overload; 429 and 409 as neutral; other answers as success', () => {
    expect(attemptHealth({kind: 'network'})).toBe('overloaded')
    expect(attemptHealth({kind: 'response', status: 503})).toBe('overloaded')
    expect(attemptHealth({kind: 'response', status: 500})).toBe('overloaded')
    expect(attemptHealth({kind: 'response', status: 429})).toBe('neutral')
    expect(attemptHealth({kind: 'response', status: 409})).toBe('neutral')
    expect(attemptHealth({kind: 'response', status: 200})).toBe('ok')
    expect(attemptHealth({kind: 'response', status: 404})).toBe('ok')
  })

  it('the ceiling is the documented maximum, the limit when lower, and apply.concurrency when set', () => {
    expect(inFlightCeiling(300, undefined)).toBe(MAX_IN_FLIGHT_PER_ENDPOINT)
    expect(inFlightCeiling(60, undefined)).toBe(60)
    expect(inFlightCeiling(300, 8)).toBe(8)
    expect(inFlightCeiling(300, 10_000)).toBe(MAX_IN_FLIGHT_PER_ENDPOINT)
  })
})

describe('the limiter follows its window, not a fixed number of calls in flight', () => {
  afterEach(() => vi.useRealTimers())

  it('starts a whole window of calls at once when Recall is slow, and the next window only once it opens', async () => {
    const limiters = createRateLimiters({limits: {retrieve_bot: 40}, windowMs: 10_000, safetyMarginMs: 0})
    const release: Array<() => void> = []
    const tasks = Array.from({length: 60}, () =>
      limiters.schedule('retrieve_bot', () => new Promise<void>((resolve) => release.push(resolve))),
    )
    await new Promise((r) => setImmediate(r))
    // The old fixed bound would have let 8 run; the window allows 40.
    expect(limiters.load('retrieve_bot')).toEqual({waiting: 20, running: 40})
    const outlook = limiters.outlook('retrieve_bot')
    expect(outlook.inFlightLimit).toBe(40)
    for (const r of release.splice(0)) r()
    await Promise.all(tasks.slice(0, 40))
    const after = limiters.outlook('retrieve_bot')
    expect(after.running).toBe(0)
    expect(after.waitingFor).toBe('window')
    expect(after.nextSlotInMs).toBeGreaterThan(0)
    limiters.close(new Error('done'))
    await Promise.allSettled(tasks)
  })

  it('halves the calls in flight after a 5xx and lets them grow back', async () => {
    const limiters = createRateLimiters({limits: {retrieve_bot: 300}, windowMs: 60_000})
    await limiters.schedule('retrieve_bot', async (slot) => slot.report('overloaded'))
    expect(limiters.outlook('retrieve_bot').inFlightLimit).toBe(MAX_IN_FLIGHT_PER_ENDPOINT / 2)
    await limiters.schedule('retrieve_bot', async (slot) => slot.report('ok'))
    expect(limiters.outlook('retrieve_bot').inFlightLimit).toBe(MAX_IN_FLIGHT_PER_ENDPOINT / 2 + 1)
    limiters.close()
  })

  it('a stop signal cancels the calls waiting for a slot at once and leaves running ones alone', async () => {
    const limiters = createRateLimiters({limits: {start_recording: 2}, windowMs: 60_000})
    const stop = new AbortController()
    let finish: () => void = () => undefined
    const running = limiters.schedule(
      'start_recording',
      () => new Promise<string>((resolve) => (finish = () => resolve('made'))),
      {signals: [stop.signal]},
    )
    const second = limiters.schedule('start_recording', async () => 'made', {signals: [stop.signal]})
    const started: string[] = []
    const waiting = Array.from({length: 5}, (_, i) =>
      limiters
        .schedule('start_recording', async () => void started.push(`late-${i}`), {signals: [undefined, stop.signal]})
        .catch((e: unknown) => e),
    )
    await second
    stop.abort(new Error('interrupted'))
    for (const result of await Promise.all(waiting)) expect(result).toMatchObject({message: 'interrupted'})
    expect(limiters.load('start_recording').waiting).toBe(0)
    finish()
    await expect(running).resolves.toBe('made')
    expect(started).toEqual([])
    limiters.close()
  })
})

describe('the schedule used for the ETA', () => {
  it('free slots start now; later calls reuse the slot of the call a limit before, a window later', () => {
    // Limit 3, window 1000: two slots used at 100 and 400 (now is 500).
    expect(slotOffsetMs(1, 500, [100, 400], 3, 1000)).toBe(0)
    expect(slotOffsetMs(2, 500, [100, 400], 3, 1000)).toBe(600)
    expect(slotOffsetMs(3, 500, [100, 400], 3, 1000)).toBe(900)
    expect(slotOffsetMs(4, 500, [100, 400], 3, 1000)).toBe(1000)
    expect(slotOffsetMs(5, 500, [100, 400], 3, 1000)).toBe(1600)
    // A 429's hold delays everything.
    expect(slotOffsetMs(1, 500, [], 3, 1000, 2500)).toBe(2000)
  })
})
