import {describe, expect, it} from 'vitest'
import {summarizeErrorBody} from '../../src/recall/client/errors.js'
import {encodedForms, secretStringsOf} from '../../src/shared/redact.js'

/** A 400 that quotes the body it was sent, as a careless server (or proxy) may. */
const HOOK_TOKEN = 'hook-token-5f1e9a'
const PASSWORD = 'pw-9c2d7e41'
const META = 'meta-secret-77aa31'
const sent = {
  realtime_endpoints: [{type: 'webhook', url: `https://bot:${PASSWORD}@hooks.example.com/r?token=${HOOK_TOKEN}`, events: []}],
  metadata: {api_key: META, team: 'sales'},
}
const secrets = ['sk_live_key_123', ...secretStringsOf(sent)]

describe("Recall's error bodies are scrubbed by what was secret in the body sent", () => {
  const echoes: Array<[string, string]> = [
    [
      'the URL quoted raw',
      JSON.stringify({realtime_endpoints: [{url: [`Enter a valid URL: ${sent.realtime_endpoints[0]?.url}`]}]}),
    ],
    ['metadata quoted', JSON.stringify({metadata: [`Bad metadata ${JSON.stringify(sent.metadata)}`]})],
    [
      'percent-encoded',
      JSON.stringify({
        detail: `got ${encodeURIComponent(sent.realtime_endpoints[0]?.url ?? '')} and ${encodeURIComponent(META)}`,
      }),
    ],
    [
      'base64',
      JSON.stringify({detail: `basic ${Buffer.from(PASSWORD).toString('base64')} ${Buffer.from(META).toString('base64')}`}),
    ],
    ['JSON escapes', `{"detail": "\\u0068ook-token-5f1e9a ${META.replace('m', '\\u006d')}"}`],
    ['plain text', `bad request: token=${HOOK_TOKEN} api_key=${META} pw=${PASSWORD}`],
    ['a field path', JSON.stringify({[`metadata.${META}`]: ['Unknown key.']})],
  ]
  it.each(echoes)('%s', (_name, body) => {
    const summary = summarizeErrorBody(body, secrets)
    const shown = JSON.stringify(summary)
    for (const secret of [HOOK_TOKEN, PASSWORD, META]) for (const form of encodedForms(secret)) expect(shown).not.toContain(form)
    expect(summary.detail).toContain('<redacted>')
  })

  it('a URL the server quotes loses its userinfo and query values even when they were not known', () => {
    const summary = summarizeErrorBody(JSON.stringify({detail: 'see https://u:unknown-pass@x.example.com/?sig=unknown-sig'}), [])
    expect(summary.detail).toBe('see https://<redacted>@x.example.com/?sig=<redacted>')
  })

  it('control characters from the server cannot act on a terminal', () => {
    const summary = summarizeErrorBody(
      JSON.stringify({
        code: 'bad\u001b[2J',
        detail: 'line one\r\n\u001b[31mFAKE: all good\u001b[0m\u202e\u0007',
        'x\u001b[1m': ['m\u0085'],
      }),
      [],
    )
    expect(summary.code).toBe('bad')
    expect(summary.detail).toBe('line one FAKE: all good\\u202e\\u0007')
    const fields = summarizeErrorBody(JSON.stringify({'x\u001b[1mkey': ['m\u0085\u2066']}), [])
    expect(JSON.stringify(fields)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/)
    expect(fields.fieldErrors).toEqual({xkey: ['m\\u0085\\u2066']})
  })
})
