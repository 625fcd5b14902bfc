import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest'
import {createLogger} from '../../src/watch/logger.js'
import {REFUSAL_LOG_WINDOW_MS, RefusalLog} from '../../src/watch/refusal-log.js'

// Issue 11, item 9: refused webhooks are logged as a periodic count, not one line each.

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

function setup() {
  const lines: Array<Record<string, unknown>> = []
  const log = createLogger({format: 'json', write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>)})
  return {lines, refusals: new RefusalLog({log})}
}

const forged = (refusals: RefusalLog) =>
  refusals.refuse('no_valid_signature', 'warn', 'webhook_rejected', 'no v1 signature matches')

describe('RefusalLog', () => {
  it('1,000 refusals in a minute: the first in full, then one line with the counts', async () => {
    const {lines, refusals} = setup()
    for (let i = 0; i < 990; i++) forged(refusals)
    for (let i = 0; i < 10; i++) refusals.refuse('replayed', 'info', 'webhook_duplicate', 'handled already')
    expect(lines).toEqual([expect.objectContaining({level: 'warn', event: 'webhook_rejected', reason: 'no_valid_signature'})])
    await vi.advanceTimersByTimeAsync(REFUSAL_LOG_WINDOW_MS)
    expect(lines).toHaveLength(2)
    expect(lines[1]).toMatchObject({
      level: 'warn',
      event: 'webhooks_refused',
      message: 'refused 1,000 webhooks in the last 60 s (bad signature: 990, replayed: 10)',
      count: 1000,
      by_reason: {no_valid_signature: 990, replayed: 10},
    })
    // Quiet afterwards: nothing more.
    await vi.advanceTimersByTimeAsync(REFUSAL_LOG_WINDOW_MS * 3)
    expect(lines).toHaveLength(2)
  })

  it('a single refusal is one line, not two', async () => {
    const {lines, refusals} = setup()
    forged(refusals)
    await vi.advanceTimersByTimeAsync(REFUSAL_LOG_WINDOW_MS * 2)
    expect(lines).toHaveLength(1)
  })

  it('a flood that goes on for five minutes: one line per minute', async () => {
    const {lines, refusals} = setup()
    for (let t = 0; t < 5 * 60_000; t += 100) {
      forged(refusals)
      await vi.advanceTimersByTimeAsync(100)
    }
    await vi.advanceTimersByTimeAsync(REFUSAL_LOG_WINDOW_MS)
    expect(lines.filter((l) => l['event'] === 'webhook_rejected')).toHaveLength(1)
    const summaries = lines.filter((l) => l['event'] === 'webhooks_refused')
    expect(summaries).toHaveLength(5)
    expect(summaries.reduce((sum, l) => sum + (l['count'] as number), 0)).toBe(3_000)
  })

  it('after a quiet window, the next refusal is logged in full again', async () => {
    const {lines, refusals} = setup()
    forged(refusals)
    await vi.advanceTimersByTimeAsync(REFUSAL_LOG_WINDOW_MS + 1)
    refusals.refuse('timestamp_too_old', 'warn', 'webhook_rejected', 'too old')
    expect(lines.map((l) => l['reason'])).toEqual(['no_valid_signature', 'timestamp_too_old'])
  })

  it('flush (shutdown) sums up the window so far', () => {
    const {lines, refusals} = setup()
    for (let i = 0; i < 3; i++) refusals.refuse('missing_headers', 'warn', 'webhook_rejected', 'unsigned')
    vi.advanceTimersByTime(5_000)
    refusals.flush()
    expect(lines.at(-1)).toMatchObject({event: 'webhooks_refused', message: 'refused 3 webhooks in the last 5 s (unsigned: 3)'})
  })
})
