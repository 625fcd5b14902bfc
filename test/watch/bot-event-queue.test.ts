import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest'
import {BotEventQueue, EVENT_MAX_DEFER_MS, EVENT_QUIET_MS, type EventCause} from '../../src/watch/bot-event-queue.js'

// Issue 11, item 9: events are coalesced per bot, at most one read in flight and one queued.

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

const BOT = 'bot-a'

/** A queue whose reads take `readMs` (fake time), recording each read and the most at once per bot. */
function queue(options: {readMs?: number; held?: Set<string>} = {}) {
  const reads: Array<{botId: string; cause: EventCause; at: number}> = []
  const running = new Map<string, number>()
  let mostAtOnce = 0
  const q = new BotEventQueue({
    now: () => Date.now(),
    held: (botId) => options.held?.has(botId) ?? false,
    run: async (botId, cause) => {
      reads.push({botId, cause, at: Date.now()})
      running.set(botId, (running.get(botId) ?? 0) + 1)
      mostAtOnce = Math.max(mostAtOnce, running.get(botId)!)
      await new Promise((resolve) => setTimeout(resolve, options.readMs ?? 50))
      running.set(botId, running.get(botId)! - 1)
    },
  })
  return {q, reads, mostAtOnce: () => mostAtOnce}
}

describe('BotEventQueue', () => {
  it('1,000 events for one bot in a burst cost two reads: one at once, one after the burst', async () => {
    const {q, reads, mostAtOnce} = queue()
    for (let i = 0; i < 1_000; i++) {
      q.push(BOT, {webhook_id: `msg_${i}`})
      await vi.advanceTimersByTimeAsync(1)
    }
    await vi.advanceTimersByTimeAsync(EVENT_MAX_DEFER_MS)
    expect(reads).toHaveLength(2)
    expect(reads[0]!.cause).toEqual({webhook_id: 'msg_0'})
    // The queued read carries the newest event and how many it stands for.
    expect(reads[1]!.cause).toEqual({webhook_id: 'msg_999', events_merged: 999})
    expect(mostAtOnce()).toBe(1)
    expect(q.size).toBe(0)
  })

  it('a flood that never pauses gets one more read per EVENT_MAX_DEFER_MS, no more', async () => {
    const {q, reads, mostAtOnce} = queue()
    const seconds = 30
    for (let t = 0; t < seconds * 1000; t += 10) {
      q.push(BOT, {t})
      await vi.advanceTimersByTimeAsync(10)
    }
    await vi.advanceTimersByTimeAsync(EVENT_MAX_DEFER_MS)
    expect(reads.length).toBeGreaterThanOrEqual(2)
    expect(reads.length).toBeLessThanOrEqual(2 + Math.ceil((seconds * 1000) / EVENT_MAX_DEFER_MS))
    expect(mostAtOnce()).toBe(1)
  })

  it('events seconds apart are each read at once (nothing is lost or delayed)', async () => {
    const {q, reads} = queue()
    for (let i = 0; i < 3; i++) {
      q.push(BOT, {i})
      await vi.advanceTimersByTimeAsync(2_000)
    }
    expect(reads.map((r) => r.cause)).toEqual([{i: 0}, {i: 1}, {i: 2}])
    expect(reads[1]!.at - reads[0]!.at).toBe(2_000)
  })

  it('an event during the cool-down after a read is read once the bot is quiet', async () => {
    const {q, reads} = queue({readMs: 50})
    q.push(BOT, {i: 0})
    await vi.advanceTimersByTimeAsync(100)
    q.push(BOT, {i: 1})
    await vi.advanceTimersByTimeAsync(EVENT_QUIET_MS - 1)
    expect(reads).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(reads.map((r) => r.cause)).toEqual([{i: 0}, {i: 1}])
  })

  it('bots are independent', async () => {
    const {q, reads} = queue()
    for (let i = 0; i < 100; i++) for (const bot of ['a', 'b', 'c']) q.push(bot, {i})
    await vi.advanceTimersByTimeAsync(EVENT_MAX_DEFER_MS)
    for (const bot of ['a', 'b', 'c']) expect(reads.filter((r) => r.botId === bot)).toHaveLength(2)
  })

  it('a bot held by a polling pass is read after the pass releases it, once', async () => {
    const held = new Set([BOT])
    const {q, reads} = queue({held})
    for (let i = 0; i < 50; i++) q.push(BOT, {i})
    await vi.advanceTimersByTimeAsync(EVENT_MAX_DEFER_MS * 2)
    expect(reads).toEqual([])
    held.delete(BOT)
    q.release(BOT)
    await vi.advanceTimersByTimeAsync(EVENT_MAX_DEFER_MS)
    expect(reads.map((r) => r.cause)).toEqual([{i: 49, events_merged: 50}])
  })

  it('a failing read does not stop later ones', async () => {
    let calls = 0
    const q = new BotEventQueue({
      held: () => false,
      run: async () => {
        calls++
        throw new Error('Recall is down')
      },
    })
    q.push(BOT, {})
    await vi.advanceTimersByTimeAsync(1)
    q.push(BOT, {})
    await vi.advanceTimersByTimeAsync(EVENT_MAX_DEFER_MS)
    expect(calls).toBe(2)
  })

  it('drain waits for the read in flight and starts no queued one', async () => {
    const {q, reads} = queue({readMs: 200})
    q.push(BOT, {i: 0})
    q.push(BOT, {i: 1})
    let drained = false
    void q.drain().then(() => (drained = true))
    await vi.advanceTimersByTimeAsync(100)
    expect(drained).toBe(false)
    await vi.advanceTimersByTimeAsync(EVENT_MAX_DEFER_MS)
    expect(drained).toBe(true)
    expect(reads).toHaveLength(1)
    q.push(BOT, {i: 2})
    await vi.advanceTimersByTimeAsync(EVENT_MAX_DEFER_MS)
    expect(reads).toHaveLength(1)
  })
})
