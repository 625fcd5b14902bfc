import {readFileSync} from 'node:fs'
import path from 'node:path'
import type {ServerResponse} from 'node:http'
import {afterEach, describe, expect, it} from 'vitest'
import {startFixture, type Fixture} from '../client/fixture-server.js'
import {expectSafe, hostileProject, type HostileProject} from './support/hostile.js'

// Issue 11, items 5 (network side) and 8: bounded flags, capped answers, Retry-After over the cap, and a
// sandbox that hostile requests neither crash nor change.

const MB = 1024 * 1024
const fixtures: Fixture[] = []
afterEach(async () => {
  await Promise.all(fixtures.splice(0).map((f) => f.close()))
})

/** Points the project at `url` instead of its sandbox. */
function pointAt(h: HostileProject, url: string): void {
  const config = readFileSync(path.join(h.project.dir, 'recall.config.yaml'), 'utf8')
  h.write('recall.config.yaml', config.replace(h.sandbox.url, url))
}

/** A server answering every request with a JSON body of `total` bytes, sent 1 MB at a time as the client reads. */
async function hugeAnswers(total: number, declared?: number): Promise<Fixture> {
  const fixture = await startFixture(async (_req, res: ServerResponse) => {
    res.writeHead(200, {'content-type': 'application/json', ...(declared === undefined ? {} : {'content-length': declared})})
    res.write('{"id":"x","padding":"')
    const chunk = Buffer.alloc(MB, 'a')
    for (let written = 0; written < total && !res.destroyed; written += MB) {
      if (!res.write(chunk))
        await new Promise<void>((resolve) => {
          const go = () => {
            res.off('drain', go)
            res.off('close', go)
            resolve()
          }
          res.on('drain', go)
          res.on('close', go)
        })
    }
    if (!res.destroyed) res.end('"}')
  })
  fixtures.push(fixture)
  return fixture
}

/** A raw call to the project's sandbox API. */
async function send(h: HostileProject, method: string, target: string, body?: string): Promise<number> {
  const headers: Record<string, string> = {authorization: `Token ${h.sandbox.apiKey}`}
  if (body !== undefined) headers['content-type'] = 'application/json'
  const response = await fetch(`${h.sandbox.url}${target}`, {method, headers, body})
  await response.arrayBuffer()
  return response.status
}

const prototypeClean = () => {
  expect(
    Object.getOwnPropertyNames(Object.prototype).filter(
      (k) =>
        !k.startsWith('__') &&
        ![
          'constructor',
          'hasOwnProperty',
          'isPrototypeOf',
          'propertyIsEnumerable',
          'toLocaleString',
          'toString',
          'valueOf',
        ].includes(k),
    ),
  ).toEqual([])
}

describe('hostile: watch --interval out of range', () => {
  it.each([
    [['--interval', '1000h'], {}, '1000h'],
    [['--interval', '0.5s'], {}, '0.5s'],
    [['--interval', '99999999999999999999999h'], {}, '99999999999999999999999h'],
    [[], {RECALLCTL_WATCH_INTERVAL: '25h'}, '25h'],
  ])('watch %j %j: exit 1, one sentence naming the value and the range, no request', async (args, env, value) => {
    const h = await hostileProject()
    const result = await h.run(['watch', '--once', ...args], {env})
    expectSafe(result, h, {
      exitCode: 1,
      requests: 'none',
      says: new RegExp(`--interval ${value.replace(/\./g, '\\.')} is out of range: use a duration from 1s to 24h`),
    })
  })
})

describe('hostile: Retry-After over the 5 min cap', () => {
  it('apply: Recall asks to wait 15 min on every start: each bot fails once, at once, with the wait and the cap', async () => {
    const h = await hostileProject()
    h.sandbox.injectFault({kind: 'rate_limit', path: '/api/v1/bot/*/start_recording/', retry_after: 900, count: null})
    const result = await h.run(['apply', '--auto-approve'])
    expectSafe(result, h, {exitCode: 1, says: /Recall asked to wait 15 min \(over the 5 min cap\); run apply again later/})
    const starts = h.sandbox.requests().filter((r) => r.method === 'POST')
    expect(starts).toHaveLength(h.ids.length)
  })

  it('plan: a read answered 429 with Retry-After of an hour fails without waiting', async () => {
    const h = await hostileProject()
    h.sandbox.injectFault({kind: 'rate_limit', path: '/api/v1/bot/*/', method: 'GET', retry_after: 3600, count: null})
    const result = await h.run(['plan'])
    expectSafe(result, h, {
      exitCode: 1,
      requests: 'reads',
      says: /Recall asked to wait 60 min \(over the 5 min cap\); run again later/,
    })
    expect(h.sandbox.requests().length).toBeLessThanOrEqual(h.ids.length)
  })
})

describe('hostile: error bodies whose keys name prototype members', () => {
  it('a 400 keyed __proto__, constructor, toString: apply reports the fields, no crash', async () => {
    const h = await hostileProject()
    const body = JSON.parse(
      '{"__proto__": ["bad top"], "metadata": {"constructor": ["bad ctor"], "toString": ["bad str"]}}',
    ) as unknown
    h.sandbox.injectFault({kind: 'status', status: 400, path: '/api/v1/bot/*/start_recording/', body, count: null})
    const result = await h.run(['apply', '--auto-approve'])
    expectSafe(result, h, {
      exitCode: 1,
      says: [/__proto__: bad top/, /metadata\.constructor: bad ctor/, /metadata\.toString: bad str/],
    })
    prototypeClean()
  })
})

describe('hostile: answers over the 20 MB cap', () => {
  it('plan against a server streaming 200 MB per answer: exit 1, the read stops at 20 MB, no retry', async () => {
    const h = await hostileProject()
    const fixture = await hugeAnswers(200 * MB)
    pointAt(h, fixture.url)
    const result = await h.run(['plan'])
    expectSafe(result, h, {exitCode: 1, requests: 'none', says: /larger than 20 MB/})
    expect(fixture.requests.length).toBeLessThanOrEqual(h.ids.length)
  })

  it('plan against a server declaring a 1 GB answer: exit 1 without reading it', async () => {
    const h = await hostileProject()
    const fixture = await hugeAnswers(1024 * MB, 1024 * MB + 23)
    pointAt(h, fixture.url)
    const result = await h.run(['plan'])
    expectSafe(result, h, {exitCode: 1, requests: 'none', says: /larger than 20 MB/})
  })
})

describe('hostile: requests that used to break the sandbox', () => {
  it('a __proto__ body is a 400; the sandbox still applies a plan and Object.prototype is clean', async () => {
    const h = await hostileProject()
    expect(
      await send(
        h,
        'POST',
        `/api/v1/bot/${h.ids[0]}/start_recording/`,
        '{"__proto__": {"polluted": "yes"}, "metadata": {"__proto__": {"x": 1}}}',
      ),
    ).toBe(400)
    prototypeClean()
    const result = await h.run(['apply', '--auto-approve'])
    expectSafe(result, h, {exitCode: 0})
    expect(h.sandbox.requests().filter((r) => r.method === 'POST' && r.status === 200)).toHaveLength(h.ids.length)
  })

  it("constructor.prototype in a created bot's metadata is a 400; plan still works", async () => {
    const h = await hostileProject()
    const body = JSON.stringify({meeting_url: 'https://zoom.us/j/12345678901'}).replace(
      '}',
      ', "metadata": {"constructor": {"prototype": {"polluted": "yes"}}}}',
    )
    expect(await send(h, 'POST', '/api/v1/bot/', body)).toBe(400)
    prototypeClean()
    expectSafe(await h.run(['plan']), h, {exitCode: 0})
  })

  it('paths with broken percent-encoding are 404s; plan still works', async () => {
    const h = await hostileProject()
    for (const target of ['/api/v1/bot/%E0%A4%A/', '/api/v1/bot/%/', '/api/v1/bot/%E0%A4%A/start_recording/'])
      expect(
        await send(h, target.endsWith('recording/') ? 'POST' : 'GET', target, target.endsWith('recording/') ? '{}' : undefined),
      ).toBe(404)
    expectSafe(await h.run(['plan']), h, {exitCode: 0})
  })

  it('100k-deep JSON is a 400; apply still works', async () => {
    const h = await hostileProject()
    expect(await send(h, 'POST', `/api/v1/bot/${h.ids[0]}/start_recording/`, '['.repeat(100_000) + ']'.repeat(100_000))).toBe(400)
    expect(
      await send(h, 'POST', `/api/v1/bot/${h.ids[0]}/start_recording/`, '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000)),
    ).toBe(400)
    expectSafe(await h.run(['apply', '--auto-approve']), h, {exitCode: 0})
  })

  it('recallctl sandbox (standalone) answers a barrage of hostile requests with 4xx and prints no stack', async () => {
    const h = await hostileProject()
    const statuses: number[] = []
    let failure: unknown
    const result = await h.run(['sandbox', '--port', '0', '--json'], {
      onSpawn: (child) => {
        let out = ''
        child.stdout!.on('data', (chunk: string) => {
          out += chunk
          const line = out.split('\n').find((l) => l.startsWith('{'))
          if (line === undefined || statuses.length > 0) return
          statuses.push(-1)
          const info = JSON.parse(line) as {url: string; api_key: string}
          const call = async (method: string, target: string, body?: string, type = 'application/json') => {
            const answer = await fetch(`${info.url}${target}`, {
              method,
              headers: {authorization: `Token ${info.api_key}`, 'content-type': type},
              body,
            })
            await answer.arrayBuffer()
            statuses.push(answer.status)
          }
          const bot = '6e1f5adb-3340-4f50-900d-9aa2cdc53d6c'
          void (async () => {
            await call('POST', '/api/v1/bot/', '{"__proto__": {"x": 1}, "meeting_url": "https://zoom.us/j/12345678901"}')
            await call('GET', '/api/v1/bot/%E0%A4%A/')
            await call('POST', `/api/v1/bot/${bot}/start_recording/`, '{"__proto__": 1}')
            await call('POST', '/api/v1/bot/', '['.repeat(100_000) + ']'.repeat(100_000))
            await call('POST', '/api/v1/bot/', '{"meeting_url": ')
            await call('POST', '/api/v1/bot/', 'meeting_url=x', 'text/plain')
            await call('POST', '/api/v1/bot/', JSON.stringify({meeting_url: 'x'.repeat(2 * 1024 * 1024)})).catch(() =>
              statuses.push(413),
            )
            await call('GET', '/api/v1/bot/')
          })()
            .catch((error: unknown) => (failure = error))
            .finally(() => child.kill('SIGTERM'))
        })
      },
    })
    expect(failure).toBeUndefined()
    expect(statuses.slice(1)).toEqual([400, 404, 404, 400, 400, 415, 413, 200])
    expectSafe(result, h, {exitCode: 0})
    expect(result.stderr).not.toMatch(/Warning|Error/)
  })
})
