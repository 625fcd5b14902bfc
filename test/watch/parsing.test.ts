import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {formatDuration, intervalBounds, parseDuration} from '../../src/watch/duration.js'
import {parseListenAddress} from '../../src/watch/listen-address.js'
import {webhookEventOf} from '../../src/watch/webhook-event.js'

/** The `bot.*` examples of Recall's webhook catalogue (shared/recall-api/webhooks.json), copied. */
const EXAMPLES = JSON.parse(readFileSync(new URL('./bot-events.fixture.json', import.meta.url), 'utf8')) as Record<
  string,
  unknown
>

describe('--interval', () => {
  it.each([
    ['15s', 15_000],
    ['1000ms', 1_000],
    ['2m', 120_000],
    ['24h', 86_400_000],
    ['1h', 3_600_000],
    ['1.5s', 1_500],
    ['30', 30_000],
    [' 10S ', 10_000],
  ])('%s is %i ms', (text, ms) => {
    expect(parseDuration(text)).toEqual({ok: true, ms})
  })

  it.each(['', 'soon', '15 minutes', '-5s', '1d', '50ms', '0'])('refuses %j with a sentence saying what to write', (text) => {
    const result = parseDuration(text)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.message).toMatch(/--interval/)
  })

  it.each(['1000h', '25h', '24.01h', '999999999999999999999s', '999ms', '0.5s', '0'])(
    '%s is out of range: one sentence naming it and 1s to 24h',
    (text) => {
      const result = parseDuration(text)
      expect(result).toEqual({ok: false, message: `--interval ${text} is out of range: use a duration from 1s to 24h, e.g. 15s.`})
    },
  )

  it("a test's scaled rate window scales the floor, not the ceiling", () => {
    expect(intervalBounds()).toEqual({minMs: 1_000, maxMs: 86_400_000})
    expect(intervalBounds(60_000)).toEqual(intervalBounds())
    expect(intervalBounds(1_200)).toEqual({minMs: 20, maxMs: 86_400_000})
    expect(parseDuration('100ms', '--interval', intervalBounds(1_200))).toEqual({ok: true, ms: 100})
    expect(parseDuration('1000h', '--interval', intervalBounds(1_200)).ok).toBe(false)
  })

  it('formats durations back for logs', () => {
    expect([15_000, 500, 120_000, 3_600_000, 1_500].map(formatDuration)).toEqual(['15s', '500ms', '2m', '1h', '1500ms'])
  })
})

describe('--listen', () => {
  it.each([
    ['0.0.0.0:8080', '0.0.0.0', 8080],
    ['127.0.0.1:0', '127.0.0.1', 0],
    ['localhost:9000', 'localhost', 9000],
    ['[::]:8080', '::', 8080],
    ['[::1]:8080', '::1', 8080],
  ])('%s', (text, host, port) => {
    expect(parseListenAddress(text)).toEqual({ok: true, address: {host, port}})
  })

  it.each(['8080', ':8080', '0.0.0.0', '0.0.0.0:70000', '::1:8080', 'http://0.0.0.0:8080', '0.0.0.0:80a'])(
    'refuses %j',
    (text) => {
      const result = parseListenAddress(text)
      expect(result.ok).toBe(false)
      if (!result.ok) expect(result.message).toMatch(/HOST:PORT/)
    },
  )
})

describe('webhook events', () => {
  const statusEvents = Object.keys(EXAMPLES).filter((name) => !['bot.log', 'bot.output_log', 'bot.status_change'].includes(name))

  it.each(statusEvents)("Recall's %s example names its bot and status", (name) => {
    expect(webhookEventOf(EXAMPLES[name])).toEqual({
      kind: 'bot_status',
      event: name,
      botId: 'a31e78b3-b67e-4dcf-af63-631e7548c40f',
      code: name.slice('bot.'.length),
    })
  })

  it("Recall's bot.status_change example names its bot and status", () => {
    expect(webhookEventOf(EXAMPLES['bot.status_change'])).toEqual({
      kind: 'bot_status',
      event: 'bot.status_change',
      botId: 'a31e78b3-b67e-4dcf-af63-631e7548c40f',
      code: 'done',
    })
  })

  it.each(['bot.log', 'bot.output_log'])('%s carries no status: nothing to do', (name) => {
    expect(webhookEventOf(EXAMPLES[name])).toEqual({kind: 'other', event: name})
  })

  it('recording and transcript events are other events', () => {
    expect(webhookEventOf({event: 'recording.done', data: {recording: {id: 'x'}}})).toEqual({
      kind: 'other',
      event: 'recording.done',
    })
    expect(webhookEventOf({event: 'transcript.data', data: {}})).toEqual({kind: 'other', event: 'transcript.data'})
  })

  it('a body that is not an event is invalid', () => {
    for (const body of [undefined, null, [], 'bot.done', {data: {}}, {event: 5}])
      expect(webhookEventOf(body).kind).toBe('invalid')
  })

  it('a bot id that is not a UUID is invalid (it would end up in a request path)', () => {
    const event = {
      event: 'bot.in_call_not_recording',
      data: {bot: {id: '../../admin', metadata: {}}, data: {code: 'in_call_not_recording', sub_code: null, updated_at: ''}},
    }
    expect(webhookEventOf(event).kind).toBe('invalid')
  })

  it('upper-case bot ids are read in lower case, as the config stores them', () => {
    const event = {
      event: 'bot.in_call_not_recording',
      data: {bot: {id: 'A31E78B3-B67E-4DCF-AF63-631E7548C40F', metadata: {}}, data: {code: 'in_call_not_recording'}},
    }
    expect(webhookEventOf(event)).toMatchObject({botId: 'a31e78b3-b67e-4dcf-af63-631e7548c40f'})
  })
})
