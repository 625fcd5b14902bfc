import {readFileSync} from 'node:fs'
import {describe, expect, test} from 'vitest'

import {
  BOT_STATUS_CODES,
  currentStatus,
  isKnownBotStatus,
  isKnownRecordingStatus,
  parseBot,
  parseBotListPage,
  recordingConfigAsBody,
  type Bot,
} from '../../src/recall/bot-schema.js'

const sampleBot = (): Record<string, any> => JSON.parse(readFileSync(new URL('./fixtures/bot.json', import.meta.url), 'utf8'))

function parsed(value: unknown): Bot {
  const result = parseBot(value)
  if (!result.ok) throw new Error(result.problems.join('\n'))
  return result.value
}

describe('parseBot on a sample Bot', () => {
  test('reads the fields recallctl relies on', () => {
    const bot = parsed(sampleBot())
    expect(bot.id).toBe('6e1f5adb-3340-4f50-900d-9aa2cdc53d6c')
    expect(bot.metadata).toEqual({customer: 'acme'})
    expect(bot.join_at).toBe('2026-11-25T11:58:00.000000Z')
    expect(bot.meeting_url).toEqual({meeting_id: 'abc-defg-hij', platform: 'google_meet'})
    expect(bot.status_changes).toHaveLength(4)
    expect(bot.recordings.map((r) => r.status?.code)).toEqual(['done', 'processing'])
    expect(bot.recordings[1]!.metadata).toMatchObject({
      recallctl_digest: 'v1:0123456789abcdef0123456789abcdef',
      recallctl_profile: 'sales-call',
    })
    expect(bot.recordings[1]!.completed_at).toBeNull()
  })

  test('keeps fields it does not know, so nothing is lost when passed on', () => {
    const bot = parsed(sampleBot())
    expect(bot['bot_name']).toBe('Meeting Notetaker')
    expect(bot['automatic_leave']).toEqual({waiting_room_timeout: 1200})
    expect(bot.recordings[0]!.media_shortcuts?.['video_mixed']).toMatchObject({data: {download_url: 'https://example.com/v.mp4'}})
  })

  test('the current status is the last status change', () => {
    expect(currentStatus(parsed(sampleBot()))?.code).toBe('in_call_recording')
    expect(currentStatus({status_changes: []})).toBeUndefined()
  })

  test('unknown status codes and extra nested fields do not break parsing', () => {
    const raw = sampleBot()
    raw.status_changes.push({
      code: 'in_call_hologram',
      sub_code: 'beamed',
      message: 'new',
      created_at: '2026-11-25T12:02:00Z',
      extra: 1,
    })
    raw.recordings[1].status = {code: 'archived_to_moon', sub_code: null, updated_at: '2026-11-25T12:02:00Z', reason: 'x'}
    const bot = parsed(raw)
    expect(currentStatus(bot)?.code).toBe('in_call_hologram')
    expect(isKnownBotStatus('in_call_hologram')).toBe(false)
    expect(isKnownRecordingStatus('archived_to_moon')).toBe(false)
  })

  test('nulls the live service sends where the spec says string are accepted', () => {
    const raw = sampleBot()
    raw.metadata = null
    raw.recordings[0].status = null
    raw.recordings[0].metadata = null
    raw.recordings[0].media_shortcuts = null
    raw.meeting_url = 'https://meet.google.com/abc-defg-hij'
    expect(parseBot(raw).ok).toBe(true)
  })

  test('a response without what recallctl needs is a problem naming the field', () => {
    const raw = sampleBot()
    delete raw.id
    raw.status_changes[0].code = 7
    const result = parseBot(raw)
    expect(result.ok).toBe(false)
    expect(!result.ok && result.problems).toEqual([
      expect.stringMatching(/^id: /),
      expect.stringMatching(/^status_changes\.0\.code: /),
    ])
    expect(parseBot('<html>')).toMatchObject({ok: false, problems: [expect.stringMatching(/^\(response\): /)]})
  })

  test('knows every documented status code', () => {
    expect(BOT_STATUS_CODES).toHaveLength(14)
    expect(BOT_STATUS_CODES.every(isKnownBotStatus)).toBe(true)
    expect(['processing', 'paused', 'done', 'failed', 'deleted'].every(isKnownRecordingStatus)).toBe(true)
  })
})

describe('recordingConfigAsBody', () => {
  test('reads the create-time config as a start_recording body', () => {
    expect(recordingConfigAsBody(parsed(sampleBot()))).toEqual({
      transcript: {provider: {recallai_streaming: {language_code: 'en'}}},
      retention: {type: 'timed', hours: 720},
      metadata: {team: 'sales'},
    })
  })

  test('undefined when there is none, or when it holds what our body schema does not accept', () => {
    expect(recordingConfigAsBody({recording_config: null})).toBeUndefined()
    expect(recordingConfigAsBody({})).toBeUndefined()
    expect(recordingConfigAsBody({recording_config: {video_mixed_layout: 'speaker_view', future_option: true}})).toBeUndefined()
  })
})

describe('parseBotListPage', () => {
  test('reads a page and its bots', () => {
    const page = {
      count: 2,
      next: 'https://us-east-1.recall.ai/api/v1/bot/?page=2',
      previous: null,
      results: [sampleBot(), sampleBot()],
    }
    const result = parseBotListPage(page)
    expect(result.ok && result.value.results.map((b) => b.id)).toEqual([page.results[0]!.id, page.results[1]!.id])
    expect(result.ok && result.value.next).toBe(page.next)
  })

  test('a bad bot in the page is a problem with its index', () => {
    const broken = sampleBot()
    delete broken.recordings
    const result = parseBotListPage({count: 1, next: null, previous: null, results: [broken]})
    expect(result).toEqual({ok: false, problems: [expect.stringMatching(/^results\.0\.recordings: /)]})
  })
})
