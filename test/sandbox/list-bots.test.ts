import {describe, expect, it} from 'vitest'
import {botSeed, call, sandbox, type Reply} from './helpers.js'
import type {SandboxBotSeed} from '../../src/sandbox/index.js'

/** 25 bots: statuses cycle, every third bot is on the sales team, platforms alternate. */
function fleet(): SandboxBotSeed[] {
  const statuses = ['in_call_recording', 'in_call_not_recording', 'ready', 'done', 'joining_call'] as const
  return Array.from({length: 25}, (_, i) =>
    botSeed(statuses[i % statuses.length]!, {
      metadata: {team: i % 3 === 0 ? 'sales' : 'support', index: String(i)},
      platform: i % 2 === 0 ? 'zoom' : 'google_meet',
      join_at: new Date(Date.UTC(2030, 0, 1, i)).toISOString(),
    }),
  )
}

async function collect(s: Awaited<ReturnType<typeof sandbox>>, firstPath: string) {
  const pages: any[] = []
  let next: string | null = `${s.url}${firstPath}`
  while (next !== null) {
    expect(next.startsWith(s.url)).toBe(true)
    const reply: Reply = await call(s, next.slice(s.url.length))
    expect(reply.status).toBe(200)
    pages.push(reply.body)
    next = reply.body.next
  }
  return pages
}

describe('List Bots', () => {
  it('paginates by page number with absolute next/previous URLs, oldest first', async () => {
    const seeds = fleet()
    const s = await sandbox({bots: seeds, pageSize: 10})
    const pages = await collect(s, '/api/v1/bot/')
    expect(pages.map((p) => p.results.length)).toEqual([10, 10, 5])
    expect(pages.every((p) => p.count === 25)).toBe(true)
    expect(pages.flatMap((p) => p.results.map((b: any) => b.id))).toEqual(seeds.map((b) => b.id))
    expect(pages[0].previous).toBeNull()
    expect(pages[1].previous).toBe(`${s.url}/api/v1/bot/`)
    expect(pages[2].previous).toBe(`${s.url}/api/v1/bot/?page=2`)
    expect(pages[2].next).toBeNull()
  })

  it('filters by repeated status, metadata pairs and platform across several pages, keeping the filters in next', async () => {
    const seeds = fleet()
    const s = await sandbox({bots: seeds, pageSize: 2})
    const query = '/api/v1/bot/?status=in_call_recording&status=in_call_not_recording&metadata__team=sales'
    const pages = await collect(s, query)
    const expected = seeds
      .filter((b, i) => ['in_call_recording', 'in_call_not_recording'].includes(b.status) && i % 3 === 0)
      .map((b) => b.id)
    expect(expected.length).toBeGreaterThan(2)
    expect(pages.length).toBe(Math.ceil(expected.length / 2))
    expect(pages.flatMap((p) => p.results.map((b: any) => b.id))).toEqual(expected)
    expect(pages[0].next).toContain('metadata__team=sales')
    expect(new URL(pages[0].next).searchParams.getAll('status')).toEqual(['in_call_recording', 'in_call_not_recording'])

    const zoomSales = await collect(s, '/api/v1/bot/?platform=zoom&metadata__team=sales&metadata__index=6')
    expect(zoomSales.flatMap((p) => p.results.map((b: any) => b.metadata.index))).toEqual(['6'])
  })

  it('filters by join_at window and meeting_url', async () => {
    const seeds = fleet()
    const s = await sandbox({bots: seeds})
    const window = await call(
      s,
      `/api/v1/bot/?join_at_after=${encodeURIComponent('2030-01-01T03:00:00Z')}&join_at_before=${encodeURIComponent('2030-01-01T05:00:00Z')}`,
    )
    // Bots 3..5 by join_at; bots that have joined still match (the filter reads the stored time).
    expect(window.body.results.map((b: any) => b.metadata.index)).toEqual(['3', '4', '5'])
    const target = s.core.bots.get(seeds[7]!.id)!
    const byUrl = await call(s, `/api/v1/bot/?meeting_url=${encodeURIComponent(target.meeting_url)}`)
    expect(byUrl.body.results.map((b: any) => b.id)).toEqual([seeds[7]!.id])
  })

  it('answers 404 "Invalid page." past the last page, and 400 for an unknown status', async () => {
    const s = await sandbox({bots: fleet(), pageSize: 10})
    for (const page of ['4', '0', 'x']) {
      const reply = await call(s, `/api/v1/bot/?page=${page}`)
      expect(reply.status).toBe(404)
      expect(reply.body).toEqual({detail: 'Invalid page.'})
    }
    expect((await call(s, '/api/v1/bot/?page=last')).body.results).toHaveLength(5)
    const bad = await call(s, '/api/v1/bot/?status=recording')
    expect(bad.status).toBe(400)
    expect(bad.body.status[0]).toContain('recording')
  })

  it('an empty result is one page', async () => {
    const s = await sandbox()
    expect((await call(s, '/api/v1/bot/')).body).toEqual({count: 0, next: null, previous: null, results: []})
  })
})
