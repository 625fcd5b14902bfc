import {describe, expect, test} from 'vitest'
import {redactUrl, redactValue, SecretScrubber} from '../../src/shared/redact.js'

describe('redactUrl', () => {
  test.each([
    ['https://hooks.example.com/recall?token=abc&x=1', 'https://hooks.example.com/recall?token=<redacted>&x=<redacted>'],
    ['https://user:p@ss@host.example/p', 'https://<redacted>@host.example/p'],
    ['https://host.example/cb#access_token=abc&state=1', 'https://host.example/cb#access_token=<redacted>&state=<redacted>'],
    ['https://host.example/p?a=1#section-2', 'https://host.example/p?a=<redacted>#section-2'],
    ['see https://host.example/p?k=v for details', 'see https://host.example/p?k=<redacted> for details'],
    ['https://host.example/p?flag', 'https://host.example/p?flag'],
    ['no url here', 'no url here'],
  ])('%s', (input, expected) => {
    expect(redactUrl(input)).toBe(expected)
  })
})

describe('redactValue', () => {
  test('hides ${env:} references, URL secrets and secret-looking metadata, without touching its input', () => {
    const input = Object.freeze({
      realtime_endpoints: [Object.freeze({url: 'https://h.example/x?token=${env:HOOK_TOKEN}'})],
      metadata: Object.freeze({api_key: 'k-123', team: 'sales', note: 'call ${env:NAME}'}),
    })
    expect(redactValue(input)).toEqual({
      realtime_endpoints: [{url: 'https://h.example/x?token=<redacted>'}],
      metadata: {api_key: '<redacted>', team: 'sales', note: 'call <redacted>'},
    })
  })
})

describe('SecretScrubber', () => {
  test('replaces every known secret, the longest first, and leaves very short values alone', () => {
    const scrubber = new SecretScrubber().add('abcd', 'abcdef', 'xy', undefined)
    expect(scrubber.scrub('abcdef and abcd and xy')).toBe('<redacted> and <redacted> and xy')
  })
})
