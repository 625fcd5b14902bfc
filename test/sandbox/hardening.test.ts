import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {jsonDepthExceeds, MAX_JSON_DEPTH, parseJsonSafely} from '../../src/http/safe-json.js'
import {botPath, botSeed, call, control, rawRequest, sandbox, startPath} from './helpers.js'

// Issue 11, item 8: hostile requests get Recall-shaped 4xx answers, pollute nothing, and leave the
// sandbox serving the next request as before, with no stack trace on its stderr.

const VALID_BODY = {metadata: {team: 'sales'}}

const prototypeNames = () =>
  [...Object.getOwnPropertyNames(Object.prototype), ...Object.getOwnPropertyNames(Object.prototype.toString)].sort()
const before = prototypeNames()

let warnings: string[] = []
const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`)
beforeEach(() => {
  warnings = []
  process.on('warning', onWarning)
})
afterEach(() => {
  process.off('warning', onWarning)
  expect(prototypeNames(), 'Object.prototype (or its toString) gained a property').toEqual(before)
  expect(({} as Record<string, unknown>)['non_field_errors']).toBeUndefined()
  expect(warnings, 'the sandbox printed a warning (a stack trace) for a client error').toEqual([])
})

/** A sandbox with one bot in the call, and a check that it still records a normal start afterwards. */
async function inCall() {
  const bot = botSeed('in_call_not_recording')
  const s = await sandbox({bots: [bot]})
  const stillWorks = async () => {
    const list = await call(s, '/api/v1/bot/')
    expect(list.status).toBe(200)
    const started = await call(s, startPath(bot.id), {body: VALID_BODY})
    expect(started.status).toBe(200)
    expect(started.body.recordings.at(-1).metadata).toEqual(VALID_BODY.metadata)
  }
  return {s, id: bot.id, stillWorks}
}

describe('keys that reach prototypes are refused, DRF-shaped', () => {
  it.each([
    // Expected trees are JSON text: in an object literal `__proto__:` would set a prototype, not a key.
    [
      'top-level __proto__',
      '{"__proto__": {"polluted": "yes"}, "metadata": {"team": "sales"}}',
      '{"__proto__": ["This field name is not allowed."]}',
    ],
    [
      '__proto__ in metadata',
      '{"metadata": {"__proto__": {"polluted": "yes"}}}',
      '{"metadata": {"__proto__": ["This field name is not allowed."]}}',
    ],
    [
      'constructor.prototype in metadata',
      '{"metadata": {"constructor": {"prototype": {"polluted": "yes"}}}}',
      '{"metadata": {"constructor": ["This field name is not allowed."]}}',
    ],
    [
      'prototype in a list item',
      '{"realtime_endpoints": [{"type": "webhook", "url": "https://h.example.com/x", "events": [], "prototype": 1}]}',
      '{"realtime_endpoints": [{"prototype": ["This field name is not allowed."]}]}',
    ],
  ])('%s: 400, nothing polluted, the next request works', async (_name, body, errors) => {
    const {s, id, stillWorks} = await inCall()
    const answer = await call(s, startPath(id), {body})
    expect(answer.status).toBe(400)
    expect(JSON.stringify(answer.body)).toBe(JSON.stringify(JSON.parse(errors)))
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
    await stillWorks()
  })

  it('on create bot and on the control API as well', async () => {
    const {s, stillWorks} = await inCall()
    const created = await call(s, '/api/v1/bot/', {
      body: '{"meeting_url": "https://zoom.us/j/123456789", "__proto__": {"polluted": 1}}',
    })
    expect(created.status).toBe(400)
    expect(Object.keys(created.body)).toEqual(['__proto__'])
    const seeded = await fetch(`${s.url}/_sandbox/bots`, {
      method: 'POST',
      headers: {authorization: `Bearer ${s.adminToken}`, 'content-type': 'application/json'},
      body: '{"bots": [{"id": "6e1f5adb-3340-4f50-900d-9aa2cdc53d6c", "status": "ready", "metadata": {"__proto__": {"polluted": 1}}}]}',
    })
    expect(seeded.status).toBe(400)
    expect(((await seeded.json()) as {detail: string}).detail).toContain('__proto__')
    await stillWorks()
  })

  it('a field named like an Object.prototype member is an ordinary field error', async () => {
    const {s, id, stillWorks} = await inCall()
    const answer = await call(s, startPath(id), {body: {metadata: {toString: 5, hasOwnProperty: 6}}})
    expect(answer.status).toBe(400)
    expect(Object.keys(answer.body.metadata).sort()).toEqual(['hasOwnProperty', 'toString'])
    expect(answer.body.metadata.toString).toEqual([expect.any(String)])
    await stillWorks()
  })
})

describe('malformed requests get 4xx, never a 500', () => {
  it.each([
    ['GET', '/api/v1/bot/%E0%A4%A/'],
    ['POST', '/api/v1/bot/%E0%A4%A/start_recording/'],
    ['GET', '/api/v1/bot/%/'],
  ])('%s %s (broken percent-encoding): 404 Not found', async (method, path) => {
    const {s, stillWorks} = await inCall()
    const answer = await call(s, path, {method, ...(method === 'POST' ? {body: VALID_BODY} : {})})
    expect(answer).toMatchObject({status: 404, body: {detail: 'Not found.'}})
    await stillWorks()
  })

  it('a broken control path: 404 with a sentence', async () => {
    const {s} = await inCall()
    const answer = await control(s, 'GET', 'bots/%E0%A4%A')
    expect(answer.status).toBe(404)
    expect(answer.body.detail).toMatch(/percent-encoding/)
  })

  it.each([
    ['arrays', '['.repeat(100_000) + ']'.repeat(100_000)],
    ['objects', '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000)],
    ['unclosed', '['.repeat(100_000)],
  ])('100k-deep JSON (%s): 400 JSON parse error', async (_kind, body) => {
    const {s, id, stillWorks} = await inCall()
    const answer = await call(s, startPath(id), {body})
    expect(answer.status).toBe(400)
    expect(answer.body.detail).toMatch(/^JSON parse error - .*deeper than 100 levels/)
    await stillWorks()
  })

  it('deep JSON on the control API: 400', async () => {
    const {s} = await inCall()
    const answer = await fetch(`${s.url}/_sandbox/faults`, {
      method: 'POST',
      headers: {authorization: `Bearer ${s.adminToken}`, 'content-type': 'application/json'},
      body: '['.repeat(100_000) + ']'.repeat(100_000),
    })
    expect(answer.status).toBe(400)
  })

  it('broken JSON, a wrong content type, a body on a GET, a huge body: 400, 415, 403, 413', async () => {
    const {s, id, stillWorks} = await inCall()
    expect((await call(s, startPath(id), {body: '{"metadata": '})).status).toBe(400)
    expect(
      (await call(s, startPath(id), {body: 'metadata=1', headers: {'content-type': 'application/x-www-form-urlencoded'}})).status,
    ).toBe(415)
    expect((await rawRequest(s, 'GET', botPath(id), '{}', {authorization: `Token ${s.apiKey}`})).status).toBe(403)
    const huge = await call(s, startPath(id), {body: JSON.stringify({metadata: {pad: 'x'.repeat(2 * 1024 * 1024)}})}).catch(
      () => ({status: 0}),
    )
    // The sandbox answers 413 and closes; a client still sending may see the connection close instead.
    expect([413, 0]).toContain(huge.status)
    await stillWorks()
  })
})

describe('parseJsonSafely', () => {
  it('gives null-prototype objects and keeps values', () => {
    const parsed = parseJsonSafely('{"a": [{"b": 1}, "x"], "c": null}')
    expect(parsed.ok).toBe(true)
    if (!parsed.ok) return
    const value = parsed.value as {a: [{b: number}, string]; c: null}
    expect(Object.getPrototypeOf(value)).toBeNull()
    expect(Object.getPrototypeOf(value.a[0])).toBeNull()
    expect(JSON.stringify(value)).toBe('{"a":[{"b":1},"x"],"c":null}')
  })

  it('names the first forbidden key and its path', () => {
    expect(parseJsonSafely('{"x": [0, {"y": {"constructor": 1}}]}')).toMatchObject({
      ok: false,
      reason: 'forbidden_key',
      key: 'constructor',
      path: ['x', 1, 'y'],
    })
  })

  it('counts depth outside strings only, escapes included', () => {
    const deepString = JSON.stringify({a: '[[[[{{{{\\"['.repeat(50)})
    expect(jsonDepthExceeds(deepString, 1)).toBe(false)
    expect(parseJsonSafely(deepString).ok).toBe(true)
    const atLimit = '['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH)
    expect(parseJsonSafely(atLimit).ok).toBe(true)
    expect(parseJsonSafely(`[${atLimit}]`)).toMatchObject({ok: false, reason: 'too_deep'})
  })

  it('reports broken JSON without throwing', () => {
    expect(parseJsonSafely('{"a": ')).toMatchObject({ok: false, reason: 'syntax'})
    expect(parseJsonSafely('')).toMatchObject({ok: false, reason: 'syntax'})
  })
})
