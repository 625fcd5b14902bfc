import {afterEach, describe, expect, it} from 'vitest'
import {createRecallClient, type RecallClient} from '../../src/recall/client/client.js'
import {RecallApiError} from '../../src/recall/client/errors.js'
import {listBotsQuery} from '../../src/recall/client/list-bots-query.js'
import {API_KEY, bot, FAST_RETRY, sendJson, startFixture, type Fixture, type FixtureHandler} from './fixture-server.js'

const fixtures: Fixture[] = []
let client: RecallClient | undefined

async function fixtureWith(handler: FixtureHandler): Promise<Fixture> {
  const fixture = await startFixture(handler)
  fixtures.push(fixture)
  return fixture
}

afterEach(async () => {
  await client?.close()
  client = undefined
  await Promise.all(fixtures.splice(0).map((f) => f.close()))
})

/** Three pages of two bots; `next` is absolute, built from `nextOrigin(page)` (this server by default). */
function paged(origin: () => string, nextOrigin: (page: number) => string = origin): FixtureHandler {
  return (req, res) => {
    const url = new URL(req.url, origin())
    const page = Number(url.searchParams.get('page') ?? '1')
    const next = new URL(url.href)
    next.searchParams.set('page', String(page + 1))
    sendJson(res, 200, {
      count: 6,
      next: page < 3 ? `${nextOrigin(page)}${next.pathname}${next.search}` : null,
      previous: null,
      results: [bot(`bot-${page}a`), bot(`bot-${page}b`)],
    })
  }
}

describe('listBots', () => {
  it('follows next across 3 pages and returns every bot, in order', async () => {
    let url = ''
    const fixture = await fixtureWith(paged(() => url))
    url = fixture.url
    client = createRecallClient({baseUrl: url, apiKey: API_KEY})
    const pages: number[] = []
    const bots = await client.listBots({status: ['in_call_recording']}, {onPage: (p) => pages.push(p.number)})
    expect(bots.map((b) => b.id)).toEqual(['bot-1a', 'bot-1b', 'bot-2a', 'bot-2b', 'bot-3a', 'bot-3b'])
    expect(fixture.requests.map((r) => r.url)).toEqual([
      '/api/v1/bot/?status=in_call_recording',
      '/api/v1/bot/?status=in_call_recording&page=2',
      '/api/v1/bot/?status=in_call_recording&page=3',
    ])
    expect(fixture.requests.every((r) => r.headers.authorization === `Token ${API_KEY}`)).toBe(true)
    expect(pages).toEqual([1, 2, 3])
  })

  it('sends repeatable status and metadata__<key> filters', async () => {
    const fixture = await fixtureWith((_q, res) => sendJson(res, 200, {count: 0, next: null, previous: null, results: []}))
    client = createRecallClient({baseUrl: fixture.url, apiKey: API_KEY})
    await client.listBots({status: ['in_call_not_recording', 'in_call_recording'], metadata: {team: 'support', 'deal id': 'D&1'}})
    const url = new URL(fixture.requests[0]!.url, fixture.url)
    expect(url.pathname).toBe('/api/v1/bot/')
    expect(url.searchParams.getAll('status')).toEqual(['in_call_not_recording', 'in_call_recording'])
    expect(url.searchParams.get('metadata__team')).toBe('support')
    expect(url.searchParams.get('metadata__deal id')).toBe('D&1')
  })

  it('keeps each bot once when pages shift while listing', async () => {
    const fixture = await fixtureWith((req, res) =>
      req.url.includes('page=2')
        ? sendJson(res, 200, {count: 3, next: null, previous: null, results: [bot('b'), bot('c')]})
        : sendJson(res, 200, {count: 3, next: '/api/v1/bot/?page=2', previous: null, results: [bot('a'), bot('b')]}),
    )
    client = createRecallClient({baseUrl: fixture.url, apiKey: API_KEY})
    expect((await client.listBots()).map((b) => b.id)).toEqual(['a', 'b', 'c'])
  })

  it('retries a page that failed, without starting over', async () => {
    let url = ''
    let failed = false
    const pages = paged(() => url)
    const fixture = await fixtureWith((req, res, index) => {
      if (req.url.includes('page=2') && !failed) {
        failed = true
        sendJson(res, 503, {})
      } else pages(req, res, index)
    })
    url = fixture.url
    client = createRecallClient({baseUrl: url, apiKey: API_KEY, retry: FAST_RETRY})
    expect(await client.listBots()).toHaveLength(6)
    expect(fixture.requests.map((r) => new URL(r.url, url).searchParams.get('page'))).toEqual([null, '2', '2', '3'])
  })

  it('refuses a next link to another host, sending it nothing', async () => {
    const other = await fixtureWith((_q, res) => sendJson(res, 200, {count: 0, next: null, previous: null, results: []}))
    let url = ''
    const fixture = await fixtureWith(
      paged(
        () => url,
        () => other.url,
      ),
    )
    url = fixture.url
    client = createRecallClient({baseUrl: url, apiKey: API_KEY})
    const error = await client.listBots().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RecallApiError)
    expect(error).toMatchObject({kind: 'refused_url', endpoint: 'list_bots'})
    expect((error as Error).message).toContain(`points to ${other.url}, not to ${url}`)
    expect(other.requests).toHaveLength(0)
    expect(fixture.requests).toHaveLength(1)
  })

  it('refuses a next link to another host name, even one that reaches the same server', async () => {
    let url = ''
    const fixture = await fixtureWith(
      paged(
        () => url,
        () => url.replace('127.0.0.1', 'localhost'),
      ),
    )
    url = fixture.url
    client = createRecallClient({baseUrl: url, apiKey: API_KEY})
    await expect(client.listBots()).rejects.toMatchObject({kind: 'refused_url'})
    expect(fixture.requests).toHaveLength(1)
  })

  it('refuses a next link carrying credentials', async () => {
    let url = ''
    const fixture = await fixtureWith(
      paged(
        () => url,
        () => url.replace('http://', 'http://user:pw@'),
      ),
    )
    url = fixture.url
    client = createRecallClient({baseUrl: url, apiKey: API_KEY})
    await expect(client.listBots()).rejects.toMatchObject({kind: 'refused_url'})
    expect(fixture.requests).toHaveLength(1)
  })

  it('follows a same-host next link with the other scheme over its own (Django behind a TLS proxy)', async () => {
    let url = ''
    const fixture = await fixtureWith(
      paged(
        () => url,
        () => url.replace('http://', 'https://'),
      ),
    )
    url = fixture.url
    client = createRecallClient({baseUrl: url, apiKey: API_KEY})
    expect(await client.listBots()).toHaveLength(6)
    expect(fixture.requests).toHaveLength(3)
  })

  it('stops on a next link that loops back', async () => {
    const fixture = await fixtureWith((_q, res) =>
      sendJson(res, 200, {count: 9, next: '/api/v1/bot/?page=2', previous: null, results: [bot('a')]}),
    )
    client = createRecallClient({baseUrl: fixture.url, apiKey: API_KEY})
    await expect(client.listBots()).rejects.toMatchObject({
      kind: 'invalid_response',
      message: expect.stringContaining('points back'),
    })
    expect(fixture.requests).toHaveLength(2)
  })

  it('an answer without results is an invalid_response error, not an empty list', async () => {
    const fixture = await fixtureWith((_q, res) => sendJson(res, 200, {detail: 'ok'}))
    client = createRecallClient({baseUrl: fixture.url, apiKey: API_KEY})
    await expect(client.listBots()).rejects.toMatchObject({kind: 'invalid_response'})
  })
})

describe('listBotsQuery', () => {
  it('is empty without filters', () => {
    expect(listBotsQuery()).toBe('')
    expect(listBotsQuery({status: [], metadata: {}})).toBe('')
  })

  it('sorts metadata keys so the same filters give the same URL', () => {
    expect(listBotsQuery({metadata: {b: '2', a: '1'}})).toBe('?metadata__a=1&metadata__b=2')
  })

  it('carries every documented filter', () => {
    expect(
      listBotsQuery({
        status: ['ready'],
        platform: ['zoom', 'google_meet'],
        join_at_after: '2026-01-01T00:00:00Z',
        join_at_before: '2026-02-01T00:00:00Z',
        meeting_url: 'https://zoom.us/j/1',
      }),
    ).toBe(
      '?status=ready&platform=zoom&platform=google_meet&join_at_after=2026-01-01T00%3A00%3A00Z&join_at_before=2026-02-01T00%3A00%3A00Z&meeting_url=https%3A%2F%2Fzoom.us%2Fj%2F1',
    )
  })
})
