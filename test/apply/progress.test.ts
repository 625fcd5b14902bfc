import {afterEach, describe, expect, it, vi} from 'vitest'
import {applyFacts, countingSink, ndjsonSink, plainSink} from '../../src/cli/apply-progress.js'
import {applyReport, timingSentence} from '../../src/cli/apply-report.js'
import {requestTally, startLiveProgress} from '../../src/cli/live-progress.js'
import {progressLine, waitingReason, type ProgressFacts} from '../../src/cli/progress-line.js'
import {createRateLimiters} from '../../src/recall/client/rate-limiter.js'
import type {ApplySummary, BotResult} from '../../src/execute/events.js'
import type {ApplyEvent} from '../../src/execute/events.js'

const BOT_A = '6e1f5adb-3340-4f50-900d-9aa2cdc53d6c'
const BOT_B = '0b7d2c4e-8f1a-4c3b-9e5d-2a6f8b1c3d4e'
const BOT_C = '9c3e7a1f-5b2d-4e8c-a6f0-1d3b5c7e9a2b'

const events: ApplyEvent[] = [
  {type: 'apply_start', total: 3, starts: 2, restarts: 1},
  {type: 'rate_limited', endpoint: 'start_recording', wait_ms: 2500},
  {type: 'call_done', bot_id: BOT_A, action: 'start', recording_id: 'rec-1'},
  {type: 'call_stale', bot_id: BOT_B, reason: 'its status went from in_call_recording to call_ended since the plan was made'},
  {
    type: 'call_failed',
    bot_id: BOT_C,
    code: 'cannot_command_completed_bot',
    message: 'Recall answered 400 cannot_command_completed_bot.',
  },
]

describe('plain progress (CI logs)', () => {
  it('writes one line per bot with done/total, and the rate-limit waits', () => {
    const lines: string[] = []
    const sink = plainSink((line) => lines.push(line))
    for (const event of events) sink.event(event)
    sink.done()
    expect(lines).toEqual([
      'Applying 3 call(s): 2 start, 1 restart.',
      expect.stringMatching(/rate limited on start_recording: waiting 2\.5 s/),
      `[1/3] started bot ${BOT_A} (recording rec-1)`,
      expect.stringMatching(new RegExp(`^\\[2/3\\] skipped bot ${BOT_B}: stale, its status went`)),
      `[3/3] failed bot ${BOT_C}: Recall answered 400 cannot_command_completed_bot.`,
    ])
  })
})

describe('counting (the live line and a second Ctrl-C)', () => {
  it('counts a bot already applied as finished, beside made, stale and failed', () => {
    const counting = countingSink()
    const lines: string[] = []
    const plain = plainSink((line) => lines.push(line))
    const withAlready: ApplyEvent[] = [
      {type: 'apply_start', total: 4, starts: 4, restarts: 0},
      ...events.slice(2),
      {type: 'call_already_applied', bot_id: BOT_A, reason: 'it already records the planned body (v1:00)'},
    ]
    for (const event of withAlready) {
      counting.event(event)
      plain.event(event)
    }
    expect(counting.counts).toEqual({total: 4, finished: 4, made: 1, already_applied: 1, stale: 1, failed: 1})
    expect(lines.at(-1)).toBe(`[4/4] bot ${BOT_A} needs no call: it already records the planned body (v1:00)`)
  })
})

describe('--json progress', () => {
  it('writes each event as one line of JSON, unchanged', () => {
    const lines: string[] = []
    const sink = ndjsonSink((line) => lines.push(line))
    for (const event of events) sink.event(event)
    expect(lines.every((line) => !line.includes('\n'))).toBe(true)
    expect(lines.map((line) => JSON.parse(line))).toEqual(events)
  })
})

/** A terminal of `columns` that records what is written to it. */
function fakeTerminal(columns: number) {
  const writes: string[] = []
  const stream = {isTTY: true, columns, write: (text: string) => writes.push(text) > 0} as unknown as NodeJS.WriteStream
  return {writes, stream}
}

/** What a terminal shows of a write: control sequences removed. */
const visible = (text: string) => text.replace(/\x1B\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '')

const busy: ProgressFacts = {
  label: 'Applying',
  done: 212,
  total: 600,
  perMinute: 300,
  rateLimited: 3,
  etaMs: 62_000,
  waiting: "waiting for Recall's 300/min window: next slot in 42 s",
}

describe('the live progress line', () => {
  afterEach(() => vi.useRealTimers())

  it('shows done/total, calls per minute, the ETA, 429s and why it waits on a wide terminal', () => {
    const line = progressLine(busy, 200)
    expect(line).toContain('212/600')
    expect(line).toContain('300/min')
    expect(line).toContain('ETA 1m02s')
    expect(line).toContain('429s: 3')
    expect(line).toContain('next slot in 42 s')
  })

  it('fits any width, keeping the counts and the ETA first', () => {
    for (const width of [20, 40, 60, 80, 120]) {
      const line = progressLine(busy, width)
      expect([...line].length).toBeLessThan(width)
      expect(line).toContain('212/600')
    }
    expect(progressLine(busy, 40)).toContain('ETA')
  })

  it('redraws on a timer while the limiter holds every call, one line per redraw on a 60-column terminal', async () => {
    vi.useFakeTimers()
    const limiters = createRateLimiters({limits: {start_recording: 2}, windowMs: 60_000, now: () => Date.now()})
    // The window is spent: every other call waits in the limiter, and no event arrives.
    await limiters.schedule('start_recording', async () => undefined)
    await limiters.schedule('start_recording', async () => undefined)
    const waiting = limiters.schedule('start_recording', async () => undefined).catch(() => undefined)
    const counting = countingSink()
    counting.event({type: 'apply_start', total: 3, starts: 3, restarts: 0})
    counting.event({type: 'call_done', bot_id: BOT_A, action: 'start'})
    counting.event({type: 'call_done', bot_id: BOT_B, action: 'start'})
    const facts = () =>
      applyFacts({counts: counting.counts, tally: requestTally(), outlook: (e) => limiters.outlook(e), rereads: 0})
    const {writes, stream} = fakeTerminal(60)
    const view = startLiveProgress({stream, tty: true, facts})
    const drawn = () => writes.filter((w) => visible(w).trim() !== '')
    const before = drawn().length
    await vi.advanceTimersByTimeAsync(5000)
    const lines = drawn().slice(before)
    // At least one redraw a second, each counting down to the window's next slot.
    expect(lines.length).toBeGreaterThanOrEqual(5)
    expect(lines.some((l) => /next slot in \d+ s/.test(l))).toBe(true)
    expect(new Set(lines.map(visible)).size).toBeGreaterThan(1)
    for (const line of drawn()) {
      expect(line).not.toContain('\n')
      expect([...visible(line)].length).toBeLessThan(60)
    }
    view.stop()
    expect(writes.at(-1)).toBe('\n')
    limiters.close()
    await waiting
  })

  it('without a terminal, prints a plain progress line every 10 s', async () => {
    vi.useFakeTimers()
    const lines: string[] = []
    const stream = {isTTY: false, write: (text: string) => lines.push(text) > 0} as unknown as NodeJS.WriteStream
    const view = startLiveProgress({stream, tty: false, facts: () => busy})
    await vi.advanceTimersByTimeAsync(25_000)
    view.stop()
    expect(lines).toHaveLength(2)
    for (const line of lines) expect(line).toMatch(/^Applying 212\/600 .*\n$/)
  })

  it('says why calls wait: the window, or a 429', async () => {
    const limiters = createRateLimiters({limits: {retrieve_bot: 1}, windowMs: 60_000})
    expect(waitingReason([limiters.outlook('retrieve_bot')])).toBeNull()
    await limiters.schedule('retrieve_bot', async () => undefined)
    const waiting = limiters.schedule('retrieve_bot', async () => undefined).catch(() => undefined)
    expect(waitingReason([limiters.outlook('retrieve_bot')])).toMatch(/^waiting for Recall's 1\/min window: next slot in \d+ s$/)
    limiters.holdUntil('retrieve_bot', Date.now() + 120_000)
    expect(waitingReason([limiters.outlook('retrieve_bot')])).toMatch(/^Recall answered 429: waiting \d+ s/)
    limiters.close()
    await waiting
  })
})

describe("apply's report", () => {
  const summary = (over: Partial<ApplySummary>): ApplySummary => ({
    started: 900,
    restarted: 0,
    already_applied: 0,
    stale: 0,
    failed: 0,
    interrupted: 0,
    rate_limited: 0,
    retry_after_wait_ms: 0,
    limiter_wait_ms: 967_300,
    elapsed_ms: 121_700,
    bound_ms: 120_000,
    limits: {retrieve_bot: 300, start_recording: 300, window_ms: 60_000},
    ...over,
  })

  it("gives the run's time against the time Recall's limits allow", () => {
    const text = timingSentence(summary({}), 900)
    expect(text).toContain('121.7 s')
    expect(text).toContain('120.0 s for 900 bots')
    expect(text).toContain('300/min')
    expect(text).not.toMatch(/summed over calls/)
  })

  it('counts the bots already applied in the closing line', () => {
    const results: BotResult[] = [
      {bot_id: 'a', action: 'start', outcome: 'started'},
      {bot_id: 'b', action: 'start', outcome: 'already_applied', reason: 'it already records the planned body'},
    ]
    expect(applyReport(results, summary({started: 1, already_applied: 1}), {interrupted: false})).toMatch(
      /^Apply complete: 1 started, 0 restarted, 1 already applied, 0 skipped as stale, 0 failed\.$/m,
    )
  })

  it("says a saved plan's time includes reading every bot to verify the file first", () => {
    const text = timingSentence(summary({verified: true, elapsed_ms: 243_100, bound_ms: 240_000}), 900)
    expect(text).toMatch(
      /^Took 243\.1 s; Recall's limits allow 240\.0 s for 900 bots \(each read to verify the plan file, then written/,
    )
  })

  it('after Ctrl-C: Interrupted, counts made and not made, a capped list of bots, and how to finish', () => {
    const results: BotResult[] = Array.from({length: 40}, (_, i) => ({
      bot_id: `bot-${i}`,
      action: 'start',
      outcome: i < 12 ? 'started' : 'interrupted',
    }))
    const text = applyReport(results, summary({started: 12, interrupted: 28}), {planFile: 'plan.json', interrupted: true})
    expect(text).toMatch(/^Interrupted: 12 of 40 calls made/m)
    expect(text).toContain('28 not made')
    expect(text).toContain('bot-12')
    expect(text).not.toContain('bot-39')
    expect(text).toContain('18 more')
    expect(text).toContain('recallctl apply plan.json')
    expect(text).not.toMatch(/Apply complete/)
  })
})
