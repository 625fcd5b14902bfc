import {describe, expect, it} from 'vitest'
import {MissingApiKeyError, readApiKey} from '../../src/recall/client/api-key.js'

describe('readApiKey', () => {
  it('returns the key, trimmed', () => {
    expect(readApiKey('RECALL_API_KEY', {RECALL_API_KEY: ' abc123\n'})).toBe('abc123')
  })

  it('names the variable when it is unset', () => {
    expect(() => readApiKey('MY_KEY', {})).toThrow(MissingApiKeyError)
    expect(() => readApiKey('MY_KEY', {})).toThrow(/environment variable MY_KEY is not set/)
  })

  it('names the variable when it is empty', () => {
    expect(() => readApiKey('MY_KEY', {MY_KEY: '  '})).toThrow(/MY_KEY is empty/)
  })

  it.each([
    ['Token secret-value-1', /starts with "Token "/],
    ['secret value 2', /spaces, line breaks/],
    ['secret\nvalue3', /spaces, line breaks/],
  ])('refuses %j without showing the value', (value, message) => {
    let error: unknown
    try {
      readApiKey('MY_KEY', {MY_KEY: value})
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(MissingApiKeyError)
    expect((error as Error).message).toMatch(message)
    expect((error as Error).message).toContain('MY_KEY')
    expect((error as Error).message).not.toMatch(/secret|value/)
  })
})
