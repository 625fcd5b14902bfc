import {describe, expect, it} from 'vitest'
import {scrub, summarizeErrorBody} from '../../src/recall/client/errors.js'

const KEY = 'sk_live_abcdef'

describe("summarizing Recall's error bodies", () => {
  it('command errors give code and detail', () => {
    expect(summarizeErrorBody('{"code":"cannot_command_unstarted_bot","detail":"The bot has not joined yet."}', [KEY])).toEqual({
      code: 'cannot_command_unstarted_bot',
      detail: 'The bot has not joined yet.',
      fieldErrors: null,
    })
  })

  it('auth errors give the detail alone', () => {
    expect(summarizeErrorBody('{"detail":"Invalid token."}', [KEY])).toEqual({
      code: null,
      detail: 'Invalid token.',
      fieldErrors: null,
    })
  })

  it('nested field errors are flattened to dotted paths', () => {
    const body = {
      retention: {hours: ['Ensure this value is greater than or equal to 1.']},
      realtime_endpoints: [{}, {url: ['Enter a valid URL.']}],
      non_field_errors: ['Bad combination.'],
    }
    const summary = summarizeErrorBody(JSON.stringify(body), [KEY])
    expect(summary.fieldErrors).toEqual({
      'retention.hours': ['Ensure this value is greater than or equal to 1.'],
      'realtime_endpoints[1].url': ['Enter a valid URL.'],
      non_field_errors: ['Bad combination.'],
    })
    expect(summary.detail).toBe(
      'retention.hours: Ensure this value is greater than or equal to 1.; realtime_endpoints[1].url: Enter a valid URL.; non_field_errors: Bad combination.',
    )
  })

  it('many field errors are cut to ten, saying how many more', () => {
    const body = Object.fromEntries(Array.from({length: 14}, (_, i) => [`f${i}`, ['bad']]))
    expect(summarizeErrorBody(JSON.stringify(body), []).detail).toMatch(/f9: bad; and 4 more$/)
  })

  it('an HTML page from a proxy gives no detail', () => {
    expect(summarizeErrorBody('<html><body>502 Bad Gateway</body></html>', [])).toEqual({
      code: null,
      detail: null,
      fieldErrors: null,
    })
  })

  it('plain text is kept, short', () => {
    expect(summarizeErrorBody('upstream   connect error', []).detail).toBe('upstream connect error')
    expect(summarizeErrorBody('x'.repeat(2000), []).detail?.length).toBeLessThanOrEqual(501)
  })

  it('the key never survives, in detail or field errors', () => {
    const echoed = summarizeErrorBody(JSON.stringify({detail: `Token ${KEY} is not valid`}), [KEY])
    expect(echoed.detail).toBe('Token <redacted> is not valid')
    const fields = summarizeErrorBody(JSON.stringify({authorization: [`got ${KEY}`]}), [KEY])
    expect(JSON.stringify(fields)).not.toContain(KEY)
  })

  it('scrub replaces every occurrence', () => {
    expect(scrub(`${KEY}/${KEY}`, [KEY])).toBe('<redacted>/<redacted>')
  })
})
