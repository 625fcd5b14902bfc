import {describe, expect, test} from 'vitest'
import {scrubSecrets, secretStringsOf, SecretScrubber} from '../../src/shared/redact.js'
import {stripControl, truncate} from '../../src/shared/control-chars.js'

const SECRET = 'p@ss w/rd+"ü"'

describe('every form of a secret is scrubbed', () => {
  const forms: Array<[string, string]> = [
    ['raw', SECRET],
    ['encodeURIComponent', encodeURIComponent(SECRET)],
    ['encodeURIComponent, lower-case hex', encodeURIComponent(SECRET).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())],
    ['form encoding (+ for spaces)', encodeURIComponent(SECRET).replace(/%20/g, '+')],
    ['escape()', escape(SECRET)],
    ['base64', Buffer.from(SECRET).toString('base64')],
    ['base64 without padding', Buffer.from(SECRET).toString('base64').replace(/=+$/, '')],
    ['base64url', Buffer.from(SECRET).toString('base64url')],
    ['JSON-escaped', JSON.stringify(SECRET).slice(1, -1)],
    ['hex', Buffer.from(SECRET).toString('hex')],
  ]
  test.each(forms)('%s', (_name, form) => {
    const text = `before ${form} after`
    expect(scrubSecrets(text, [SECRET])).toBe('before <redacted> after')
    expect(new SecretScrubber().add(SECRET).scrub(text)).toBe('before <redacted> after')
  })

  test('a secret containing another is hidden whole, and short values are left alone', () => {
    expect(scrubSecrets('tok-abcdef and tok-abc and ab', ['tok-abc', 'tok-abcdef', 'ab'])).toBe(
      '<redacted> and <redacted> and ab',
    )
    expect(scrubSecrets('abc YWJj', ['abc'])).toBe('abc YWJj')
  })
})

describe('secretStringsOf: what of a body about to be sent is secret', () => {
  test('URL userinfo and query and fragment values, raw and decoded; secret-named metadata values', () => {
    const body = {
      realtime_endpoints: [
        {type: 'webhook', url: 'https://user:pa%40ss@h.example.com/p?token=tok%2Bvalue&x=plain#sig=frag-value'},
      ],
      metadata: {api_key: 'meta-key-value', team: 'sales-team'},
      video_mixed_mp4: {metadata: {session_token: 'artifact-token'}},
    }
    const secrets = secretStringsOf(body)
    for (const expected of [
      'user:pa%40ss',
      'user',
      'pa%40ss',
      'pa@ss',
      'tok%2Bvalue',
      'tok+value',
      'plain',
      'frag-value',
      'meta-key-value',
      'artifact-token',
    ])
      expect(secrets).toContain(expected)
    expect(secrets).not.toContain('sales-team')
    expect(secrets).not.toContain('h.example.com')
  })
})

describe('control characters', () => {
  test('ANSI sequences are dropped, other controls and bidi overrides made visible, lines joined', () => {
    const hostile = 'a\u001b[31mred\u001b[0m\r\nfake line\u202eevil\u0007\u009b2Jx\u001b]0;title\u0007'
    const shown = stripControl(hostile)
    expect(shown).toBe('ared fake line\\u202eevil\\u0007x')
    expect(shown).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/)
  })

  test('multi-line keeps line breaks (and only those)', () => {
    expect(stripControl('one\r\ntwo\rthree\n\u001b[2Kfour', {multiline: true})).toBe('one\ntwo\\u000dthree\nfour')
  })

  test('truncate cuts with an ellipsis, never inside a surrogate pair', () => {
    expect(truncate('x'.repeat(100), 80)).toHaveLength(80)
    expect(truncate('x'.repeat(100), 80).endsWith('…')).toBe(true)
    expect(truncate('short', 80)).toBe('short')
    const cut = truncate(`${'x'.repeat(78)}😀😀`, 80)
    expect(cut).toBe(`${'x'.repeat(78)}…`)
  })
})
