import {describe, expect, it} from 'vitest'
import {ndjsonSink, plainSink} from '../../src/cli/apply-progress.js'
import type {ApplyEvent} from '../../src/execute/events.js'

const BOT_A = '6e1f5adb-3340-4f50-900d-9aa2cdc53d6c'
const BOT_B = '0b7d2c4e-8f1a-4c3b-9e5d-2a6f8b1c3d4e'
const BOT_C = '9c3e7a1f-5b2d-4e8c-a6f0-1d3b5c7e9a2b'

const events: ApplyEvent[] = [
  {type: 'apply_start', total: 3, starts: 2, restarts: 1},
  {type: 'rate_limited', endpoint: 'start_recording', wait_ms: 2500},
  {type: 'call_done', bot_id: BOT_A, action: 'start', recording_id: 'rec-1'},
  {type: 'call_stale', bot_id: BOT_B, reason: 'its status went from in_call_recording to call_ended since the plan was made'},
  {type: 'call_failed', bot_id: BOT_C, code: 'cannot_command_completed_bot', message: 'Recall answered 400 cannot_command_completed_bot.'},
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

describe('--json progress', () => {
  it('writes each event as one line of JSON, unchanged', () => {
    const lines: string[] = []
    const sink = ndjsonSink((line) => lines.push(line))
    for (const event of events) sink.event(event)
    expect(lines.every((line) => !line.includes('\n'))).toBe(true)
    expect(lines.map((line) => JSON.parse(line))).toEqual(events)
  })
})
