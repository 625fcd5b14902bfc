import {describe, expect, it} from 'vitest'
import {isKeyAllowedFor, isLoopbackHost, resolveBaseUrl, RECALL_REGIONS} from '../../src/recall/base-url.js'

describe('resolveBaseUrl: regions', () => {
  it.each(RECALL_REGIONS)('region %s gives https://<region>.recall.ai', (region) => {
    expect(resolveBaseUrl({region})).toEqual({ok: true, kind: 'recall', url: `https://${region}.recall.ai`})
  })

  it('refuses an unknown region, lists the regions and suggests the nearest', () => {
    const result = resolveBaseUrl({region: 'us-east-2'})
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.message).toContain('"us-east-2" is not a Recall region')
    expect(result.message).toContain('us-west-2, us-east-1, eu-central-1, ap-northeast-1')
    expect(result.message).toMatch(/Did you mean us-(east-1|west-2)\?/)
  })

  it('refuses region and base_url together', () => {
    const result = resolveBaseUrl({region: 'us-east-1', base_url: 'http://127.0.0.1:4010'})
    expect(result).toMatchObject({ok: false})
    if (!result.ok) expect(result.message).toContain('keep only one')
  })

  it('refuses neither, saying what to write', () => {
    const result = resolveBaseUrl({})
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.message).toMatch(/api\.region .*api\.base_url: sandbox/)
  })
})

describe('resolveBaseUrl: base_url', () => {
  it('returns the reserved word sandbox for the caller to start', () => {
    expect(resolveBaseUrl({base_url: 'sandbox'})).toEqual({ok: true, kind: 'sandbox'})
  })

  it.each([
    ['http://localhost:4010', 'http://localhost:4010'],
    ['http://127.0.0.1:4010/', 'http://127.0.0.1:4010'],
    ['http://127.9.8.7', 'http://127.9.8.7'],
    ['http://[::1]:8080/recall/', 'http://[::1]:8080/recall'],
    ['https://localhost:8443', 'https://localhost:8443'],
  ])('accepts loopback %s', (input, url) => {
    expect(resolveBaseUrl({base_url: input})).toEqual({ok: true, kind: 'loopback', url})
  })

  it.each(['https://us-east-1.recall.ai', 'https://api.recall.ai/', 'https://eu-central-1.recall.ai'])(
    'accepts Recall host %s without allow_custom_base_url',
    (input) => {
      expect(resolveBaseUrl({base_url: input})).toMatchObject({ok: true, kind: 'recall'})
    },
  )

  it('refuses another host unless allowed, saying how to allow it', () => {
    const refused = resolveBaseUrl({base_url: 'https://proxy.example.com/recall'})
    expect(refused.ok).toBe(false)
    if (!refused.ok) expect(refused.message).toContain('allow_custom_base_url: true')
    expect(resolveBaseUrl({base_url: 'https://proxy.example.com/recall', allow_custom_base_url: true})).toEqual({
      ok: true,
      kind: 'custom',
      url: 'https://proxy.example.com/recall',
    })
  })

  it('names a misspelt Recall region host', () => {
    const result = resolveBaseUrl({base_url: 'https://us-east-2.recall.ai'})
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.message).toContain('There is no Recall region "us-east-2"')
  })

  it('refuses plain http off loopback even when custom hosts are allowed', () => {
    const result = resolveBaseUrl({base_url: 'http://proxy.example.com', allow_custom_base_url: true})
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.message).toContain('unencrypted')
    expect(resolveBaseUrl({base_url: 'http://us-east-1.recall.ai'}).ok).toBe(false)
  })

  it('refuses a URL with credentials without echoing them', () => {
    const result = resolveBaseUrl({base_url: 'http://admin:hunter2@127.0.0.1:4010'})
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.message).not.toContain('hunter2')
      expect(result.message).toContain('user name or password')
    }
  })

  it('refuses a query string without echoing its values', () => {
    const result = resolveBaseUrl({base_url: 'http://127.0.0.1:4010/?token=abc123'})
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.message).not.toContain('abc123')
  })

  it.each(['not a url', 'ftp://127.0.0.1', 'localhost:4010'])('refuses %s as not an http(s) URL', (input) => {
    expect(resolveBaseUrl({base_url: input}).ok).toBe(false)
  })
})

describe('isKeyAllowedFor', () => {
  it.each([
    ['https://us-west-2.recall.ai', false, true],
    ['https://api.recall.ai/api/v1/bot/', false, true],
    ['https://ap-northeast-1.recall.ai', false, true],
    ['http://127.0.0.1:9', false, true],
    ['http://localhost', false, true],
    ['http://[::1]:1234', false, true],
    ['https://us-east-2.recall.ai', false, false],
    ['https://us-east-1.recall.ai.evil.example', false, false],
    ['https://us-east-1.recall.ai:8443', false, false],
    ['http://us-east-1.recall.ai', false, false],
    ['https://evil.example', false, false],
    ['https://evil.example', true, true],
    ['http://evil.example', true, false],
    ['http://user:pw@127.0.0.1', false, false],
    ['http://128.0.0.1', false, false],
    ['file:///etc/passwd', true, false],
  ] as const)('%s (custom allowed: %s) → %s', (url, allowCustom, allowed) => {
    expect(isKeyAllowedFor(url, allowCustom)).toBe(allowed)
  })

  it('loopback is localhost, 127.0.0.0/8 and ::1 only', () => {
    expect(isLoopbackHost('127.255.255.254')).toBe(true)
    expect(isLoopbackHost('127.0.0.256')).toBe(false)
    expect(isLoopbackHost('localhost.example.com')).toBe(false)
    expect(isLoopbackHost('10.0.0.1')).toBe(false)
  })
})
