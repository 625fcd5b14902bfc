import {randomUUID} from 'node:crypto'
import {describe, expect, it} from 'vitest'
import {stampedRecordingsOf, testSandbox, until} from '../support/e2e.js'
import {botEvent, postWebhook, SANDBOX_WINDOW_MS, signedHeaders, startWatch, watchProject} from './support.js'

// watch as a service: /metrics (Prometheus text), /healthz, /readyz, scraped from the built CLI.

/** Prometheus text → `name{labels}` → value (labels as written, in the order prom-client writes them). */
function parseMetrics(text: string): Map<string, number> {
  const samples = new Map<string, number>()
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const at = line.lastIndexOf(' ')
    samples.set(line.slice(0, at), Number(line.slice(at + 1)))
  }
  return samples
}

async function scrape(port: number): Promise<{contentType: string | null; samples: Map<string, number>}> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`)
  expect(response.status).toBe(200)
  return {contentType: response.headers.get('content-type'), samples: parseMetrics(await response.text())}
}

/** Scrapes until `check` holds (the counters move), or fails after ~20 s. */
async function scrapeUntil(port: number, check: (samples: Map<string, number>) => boolean): Promise<Map<string, number>> {
  for (let tries = 0; ; tries++) {
    const {samples} = await scrape(port)
    if (check(samples)) return samples
    if (tries > 200) throw new Error(`the metrics never got there:\n${[...samples].map(([k, v]) => `${k} ${v}`).join('\n')}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

const value = (samples: Map<string, number>, name: string) => samples.get(name) ?? 0

describe('watch --listen serves /metrics, /healthz and /readyz', () => {
  it('counts passes, Recall requests by endpoint and outcome, 429s, webhooks by verdict and bots by action', async () => {
    const sandbox = await testSandbox({rateWindowMs: SANDBOX_WINDOW_MS})
    const bot = randomUUID()
    sandbox.seed([{id: bot, status: 'joining_call'}])
    const watch = startWatch(watchProject(sandbox, [bot]), ['--interval', '300ms', '--listen', '127.0.0.1:0'])
    const port = await watch.port()
    await watch.waitFor((l) => l.event === 'pass_complete')

    const before = await scrape(port)
    expect(before.contentType).toMatch(/^text\/plain; version=0\.0\.4/)
    expect(value(before.samples, 'recallctl_watch_passes_total{outcome="ok"}')).toBeGreaterThanOrEqual(1)
    expect(value(before.samples, 'recallctl_watch_last_success_timestamp_seconds')).toBeGreaterThan(Date.now() / 1000 - 60)
    expect(value(before.samples, 'recallctl_watch_pass_duration_seconds_count')).toBeGreaterThanOrEqual(1)
    expect(
      value(before.samples, 'recallctl_recall_requests_total{endpoint="retrieve_bot",kind="read",outcome="ok"}'),
    ).toBeGreaterThanOrEqual(1)
    expect(value(before.samples, 'recallctl_watch_bots_total{action="started"}')).toBe(0)
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200)
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200)

    // A 429 burst on the next read, a forged webhook, then the bot joins and a signed webhook names it.
    sandbox.injectFault({kind: 'rate_limit', path: '/api/v1/bot/*/', count: 1, retry_after: 1})
    const body = botEvent(bot, 'in_call_not_recording')
    expect(
      (await postWebhook(port, body, {...signedHeaders(body, {id: 'msg_forged'}), 'webhook-signature': 'v1,AAAA'})).status,
    ).toBe(401)
    sandbox.setStatus(bot, 'in_call_not_recording')
    expect((await postWebhook(port, body, signedHeaders(body, {id: 'msg_ok'}))).status).toBe(200)
    await until(() => stampedRecordingsOf(sandbox, bot).length === 1)
    const passesBefore = value(before.samples, 'recallctl_watch_passes_total{outcome="ok"}')
    const after = await scrapeUntil(
      port,
      (s) =>
        value(s, 'recallctl_watch_bots_total{action="started"}') === 1 &&
        value(s, 'recallctl_watch_passes_total{outcome="ok"}') > passesBefore,
    )
    expect(value(after, 'recallctl_recall_requests_total{endpoint="start_recording",kind="write",outcome="ok"}')).toBe(1)
    expect(value(after, 'recallctl_recall_requests_total{endpoint="retrieve_bot",kind="read",outcome="rate_limited"}')).toBe(1)
    expect(value(after, 'recallctl_recall_rate_limited_total{endpoint="retrieve_bot"}')).toBe(1)
    expect(value(after, 'recallctl_recall_rate_limit_wait_seconds_total{endpoint="retrieve_bot"}')).toBeGreaterThanOrEqual(1)
    expect(value(after, 'recallctl_watch_webhooks_total{verdict="accepted"}')).toBe(1)
    expect(value(after, 'recallctl_watch_webhooks_total{verdict="rejected"}')).toBe(1)
    expect(after.has('recallctl_limiter_wait_seconds_total')).toBe(true)
    expect([...after.keys()].join('\n')).not.toContain(sandbox.apiKey)

    expect((await watch.stop('SIGTERM')).code).toBe(0)
  })

  it('/readyz answers 503 while no pass has succeeded; /healthz still 200', async () => {
    const sandbox = await testSandbox({rateWindowMs: SANDBOX_WINDOW_MS})
    const bot = randomUUID()
    sandbox.seed([{id: bot, status: 'in_call_not_recording'}])
    sandbox.injectFault({kind: 'status', path: '/api/v1/bot/*/', status: 400, count: null})
    const watch = startWatch(watchProject(sandbox, [bot]), ['--interval', '300ms', '--listen', '127.0.0.1:0'])
    const port = await watch.port()
    await watch.waitFor((l) => l.event === 'pass_complete')
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`)
    expect(ready.status).toBe(503)
    expect(await ready.json()).toMatchObject({status: 'not_ready', last_success_at: null})
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200)
    const {samples} = await scrape(port)
    expect(value(samples, 'recallctl_watch_passes_total{outcome="error"}')).toBeGreaterThanOrEqual(1)
    expect(value(samples, 'recallctl_watch_passes_total{outcome="ok"}')).toBe(0)
    expect(value(samples, 'recallctl_watch_last_success_timestamp_seconds')).toBe(0)
    expect((await watch.stop('SIGTERM')).code).toBe(0)
  })
})
