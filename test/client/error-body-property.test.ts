import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {summarizeErrorBody} from '../../src/recall/client/errors.js'
import {encodedForms, secretStringsOf} from '../../src/shared/redact.js'

/** Whatever part of the sent body a server echoes, in whatever encoding, no secret of that body survives. */

const secretText = fc
  .string({minLength: 6, maxLength: 24, unit: fc.constantFrom(...'abcXYZ019-_.~!*@:/ +%"\\ü€'.split(''))})
  .filter((s) => s.trim().length >= 6)
const encode = fc.constantFrom<Array<(s: string) => string>>(
  [(s) => s],
  [(s) => encodeURIComponent(s)],
  [(s) => encodeURIComponent(s).replace(/%20/g, '+')],
  [(s) => Buffer.from(s).toString('base64')],
  [(s) => Buffer.from(s).toString('base64url')],
  [(s) => JSON.stringify(s).slice(1, -1)],
)

describe('echoed secrets (property)', () => {
  it('a secret-named metadata value or a URL query value echoed in any encoding is scrubbed', () => {
    fc.assert(
      fc.property(secretText, secretText, encode, fc.boolean(), (metaValue, queryValue, [enc], asJson) => {
        const body = {
          metadata: {session_token: metaValue},
          realtime_endpoints: [{url: `https://h.example.com/p?t=${encodeURIComponent(queryValue)}`}],
        }
        const echoed = `got ${enc!(metaValue)} and ${enc!(queryValue)}`
        const text = asJson ? JSON.stringify({detail: echoed}) : echoed
        const shown = JSON.stringify(summarizeErrorBody(text, secretStringsOf(body)))
        for (const secret of [metaValue, queryValue]) for (const form of encodedForms(secret)) expect(shown).not.toContain(form)
      }),
      {numRuns: 300},
    )
  })
})
