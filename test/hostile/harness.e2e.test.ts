import {describe, expect, it} from 'vitest'
import {encodingsOf, expectSafe, hostileProject} from './support/hostile.js'

// The harness must itself be able to fail: each check is shown to catch what it is for.
describe('hostile harness', () => {
  it('passes a clean validate run that makes no request', async () => {
    const h = await hostileProject()
    const result = await h.run(['validate'])
    expectSafe(result, h, {exitCode: 0, requests: 'none', secrets: ['never-printed-secret-value']})
  })

  it('catches a secret printed in any of its encodings', async () => {
    const h = await hostileProject()
    const secret = 's3cr3t/value+with=odd chars'
    for (const form of encodingsOf(secret)) {
      const leak = {code: 0, signal: null, stdout: `x ${form} y`, stderr: ''}
      expect(() => expectSafe(leak, h, {secrets: [secret]})).toThrow(/secret/)
    }
  })

  it('catches a stack trace, "this is a bug" and a request the input should not have caused', async () => {
    const h = await hostileProject()
    const crash = {code: 1, signal: null, stdout: '', stderr: 'Error: boom\n    at run (/x/y.js:1:2)\n'}
    expect(() => expectSafe(crash, h)).toThrow(/stack frame/)
    const bug = {code: 1, signal: null, stdout: '', stderr: 'This is a bug in recallctl'}
    expect(() => expectSafe(bug, h)).toThrow(/bug/)
    await h.run(['plan'])
    expect(() => expectSafe({code: 0, signal: null, stdout: '', stderr: ''}, h, {requests: 'none'})).toThrow(/requests/)
  })
})
