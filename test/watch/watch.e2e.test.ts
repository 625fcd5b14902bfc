import {randomUUID} from 'node:crypto'
import {describe, expect, it} from 'vitest'
import {
  botOfStart,
  busiestWindow,
  isStartRecording,
  recordingsOf,
  runCli,
  stampedRecordingsOf,
  testSandbox,
  until,
} from '../support/e2e.js'
import {
  botEvent,
  morePasses,
  postWebhook,
  recordingsFor,
  requestsFor,
  SANDBOX_WINDOW_MS,
  signedHeaders,
  startWatch,
  WEBHOOK_SECRET,
  watchConfig,
  watchProject,
} from './support.js'

// The built CLI (`node bin/run.js watch`, NODE_ENV=production) against a sandbox in this process.

const startsOf = (sandbox: Awaited<ReturnType<typeof testSandbox>>, botId: string) =>
  sandbox.requests().filter((e) => isStartRecording(e) && botOfStart(e) === botId)

describe('watch: polling', () => {
  it('starts a bot once it joins the call, exactly once, then stops on SIGTERM with exit 0', async () => {
    const sandbox = await testSandbox({rateWindowMs: SANDBOX_WINDOW_MS})
    const [explicitBot, matchedBot, otherTeam] = [randomUUID(), randomUUID(), randomUUID()]
    sandbox.seed([
      {id: explicitBot, status: 'joining_call'},
      {id: matchedBot, status: 'joining_call', metadata: {team: 'sales'}},
      {id: otherTeam, status: 'joining_call', metadata: {team: 'support'}},
    ])
    const project = watchProject(sandbox, [explicitBot], {
      recordings: `${recordingsFor([explicitBot])}  - profile: e2e\n    match: { metadata: { team: sales } }\n`,
    })
    const watch = startWatch(project, ['--interval', '200ms'])
    await watch.waitFor((l) => l.event === 'pass_complete')
    expect(sandbox.requests().filter(isStartRecording)).toEqual([])

    for (const id of [explicitBot, matchedBot, otherTeam]) sandbox.setStatus(id, 'in_call_not_recording')
    await until(
      () => stampedRecordingsOf(sandbox, explicitBot).length === 1 && stampedRecordingsOf(sandbox, matchedBot).length === 1,
    )
    await morePasses(watch, 3)

    for (const id of [explicitBot, matchedBot]) {
      expect(startsOf(sandbox, id)).toHaveLength(1)
      expect(recordingsOf(sandbox, id)).toHaveLength(1)
      expect(recordingsOf(sandbox, id)[0]!.metadata).toMatchObject({team: 'e2e', recallctl_profile: 'e2e'})
    }
    expect(startsOf(sandbox, otherTeam)).toEqual([])
    expect(
      watch
        .events('call_done')
        .map((l) => l['bot_id'])
        .sort(),
    ).toEqual([explicitBot, matchedBot].sort())

    const exit = await watch.stop('SIGTERM')
    expect(exit.code).toBe(0)
    expect(watch.events('stopped')).toHaveLength(1)
    expect(watch.malformed).toEqual([])
    expect(watch.stdout()).not.toContain(sandbox.apiKey)
    expect(watch.stdout()).not.toContain(WEBHOOK_SECRET.slice('whsec_'.length))
  })

  it('SIGTERM during a call lets it finish, then exits 0', async () => {
    const sandbox = await testSandbox()
    const bot = randomUUID()
    sandbox.seed([{id: bot, status: 'joining_call'}])
    const watch = startWatch(watchProject(sandbox, [bot]), ['--interval', '100ms'])
    await watch.waitFor((l) => l.event === 'pass_complete')
    sandbox.injectFault({kind: 'latency', path: '/api/v1/bot/*/start_recording/', latency_ms: 1_500})
    // The signal goes out once the start_recording request has reached the sandbox and is held there.
    const store = sandbox.core.idempotency
    const begin = store.begin.bind(store)
    store.begin = (scope, now) => {
      watch.child.kill('SIGTERM')
      return begin(scope, now)
    }
    sandbox.setStatus(bot, 'in_call_not_recording')
    expect((await watch.exited).code).toBe(0)
    expect(stampedRecordingsOf(sandbox, bot)).toHaveLength(1)
    const order = watch.lines.map((l) => l.event).filter((e) => ['signal', 'call_done', 'stopped'].includes(e))
    expect(order).toEqual(['signal', 'call_done', 'stopped'])
  })

  it('stays within rate_limits.list_bots however short the interval', async () => {
    const LIMIT = 4
    const sandbox = await testSandbox({rateWindowMs: SANDBOX_WINDOW_MS, rateLimits: {list_bots: LIMIT}})
    sandbox.seed([{id: randomUUID(), status: 'in_call_recording', metadata: {team: 'sales'}}])
    const project = watchProject(sandbox, [], {
      recordings:
        'profiles:\n  e2e:\n    metadata: { team: sales }\nassignments:\n  - profile: e2e\n    match: { metadata: { team: sales } }\n',
      rateLimits: {list_bots: LIMIT},
    })
    const watch = startWatch(project, ['--interval', '100ms'])
    await morePasses(watch, 3 * LIMIT)
    expect((await watch.stop('SIGTERM')).code).toBe(0)
    const lists = sandbox.requests().filter((e) => e.path.startsWith('/api/v1/bot/?'))
    expect(lists.length).toBeGreaterThanOrEqual(3 * LIMIT)
    expect(lists.filter((e) => e.status === 429)).toEqual([])
    expect(busiestWindow(lists, SANDBOX_WINDOW_MS)).toBeLessThanOrEqual(LIMIT)
  })

  it('SIGHUP with a broken config keeps the old one; a good one is taken', async () => {
    const sandbox = await testSandbox({rateWindowMs: SANDBOX_WINDOW_MS})
    const [first, second] = [randomUUID(), randomUUID()]
    sandbox.seed([
      {id: first, status: 'joining_call'},
      {id: second, status: 'joining_call'},
    ])
    const project = watchProject(sandbox, [first, second])
    const watch = startWatch(project, ['--interval', '200ms'])
    await watch.waitFor((l) => l.event === 'pass_complete')

    // Broken: an unknown key, and the profile renamed; none of it may be used.
    project.write('recordings/e2e.yaml', recordingsFor([first, second], 'renamed').replace('retention:', 'retension:'))
    watch.child.kill('SIGHUP')
    const refused = await watch.waitFor((l) => l.event === 'config_reload_refused')
    expect(refused.level).toBe('error')
    expect(
      watch
        .events('config_diagnostic')
        .some((l) => l.level === 'error' && /retension/.test(String(l['message'])) && l['file'] === 'recordings/e2e.yaml'),
    ).toBe(true)

    sandbox.setStatus(first, 'in_call_not_recording')
    await until(() => stampedRecordingsOf(sandbox, first).length === 1)
    expect(stampedRecordingsOf(sandbox, first)[0]!.metadata['recallctl_profile']).toBe('e2e')

    project.write('recordings/e2e.yaml', recordingsFor([first, second], 'renamed', 'renamed-team'))
    watch.child.kill('SIGHUP')
    await watch.waitFor((l) => l.event === 'config_reloaded')
    sandbox.setStatus(second, 'in_call_not_recording')
    await until(() => stampedRecordingsOf(sandbox, second).length === 1)
    expect(stampedRecordingsOf(sandbox, second)[0]!.metadata).toMatchObject({recallctl_profile: 'renamed', team: 'renamed-team'})
    // The reload does not restart what runs (allow_restart is off): the first bot keeps its recording.
    await morePasses(watch, 2)
    expect(startsOf(sandbox, first)).toHaveLength(1)
    expect(watch.events('restart_not_allowed').map((l) => l['bot_id'])).toEqual([first])

    expect((await watch.stop('SIGTERM')).code).toBe(0)
  })

  it('two watchers on one workspace make exactly one recording per bot', async () => {
    const sandbox = await testSandbox({rateWindowMs: SANDBOX_WINDOW_MS})
    const bots = Array.from({length: 6}, () => randomUUID())
    sandbox.seed(bots.map((id) => ({id, status: 'joining_call' as const})))
    // Slow starts: both watchers' calls for a bot are in flight together, not one after the other.
    sandbox.injectFault({kind: 'latency', path: '/api/v1/bot/*/start_recording/', latency_ms: 1_000, count: null})
    const project = watchProject(sandbox, bots)
    const watchers = [
      startWatch(project, ['--interval', '150ms', '--listen', '127.0.0.1:0']),
      startWatch(project, ['--interval', '150ms', '--listen', '127.0.0.1:0']),
    ]
    for (const watch of watchers) {
      sandbox.addWebhook({url: `http://127.0.0.1:${await watch.port()}/`, secret: WEBHOOK_SECRET})
      await watch.waitFor((l) => l.event === 'pass_complete')
    }

    for (const id of bots) sandbox.setStatus(id, 'in_call_not_recording')
    await until(() => bots.every((id) => stampedRecordingsOf(sandbox, id).length >= 1), 30_000)
    for (const watch of watchers) await morePasses(watch, 3)

    for (const id of bots) {
      expect(recordingsOf(sandbox, id), id).toHaveLength(1)
      const performed = startsOf(sandbox, id).filter((e) => e.status === 200 && !e.replayed)
      expect(performed, id).toHaveLength(1)
    }
    for (const watch of watchers) expect((await watch.stop('SIGTERM')).code).toBe(0)
  })
})

describe('watch: webhooks', () => {
  it('a signed webhook from the sandbox starts the bot it names; /healthz answers', async () => {
    const sandbox = await testSandbox({rateWindowMs: SANDBOX_WINDOW_MS})
    const bot = randomUUID()
    sandbox.seed([{id: bot, status: 'joining_call'}])
    const project = watchProject(sandbox, [bot])
    const watch = startWatch(project, ['--interval', '1h', '--listen', '127.0.0.1:0'])
    const port = await watch.port()
    await watch.waitFor((l) => l.event === 'pass_complete')
    sandbox.addWebhook({url: `http://127.0.0.1:${port}/recall`, secret: WEBHOOK_SECRET})

    sandbox.setStatus(bot, 'in_call_not_recording')
    await until(() => stampedRecordingsOf(sandbox, bot).length === 1)
    expect(watch.events('webhook_received').map((l) => [l['webhook_event'], l['bot_id']])).toContainEqual([
      'bot.in_call_not_recording',
      bot,
    ])
    expect(watch.events('pass_complete')).toHaveLength(1) // polling did not do it
    await until(() => sandbox.webhookDeliveries().length >= 2) // in_call_not_recording, then in_call_recording
    expect(sandbox.webhookDeliveries().map((d) => d.status)).toEqual([200, 200])
    expect(startsOf(sandbox, bot)).toHaveLength(1)

    const health = await fetch(`http://127.0.0.1:${port}/healthz`)
    expect(health.status).toBe(200)
    expect(await health.json()).toMatchObject({status: 'ok', passes: 1})
    expect((await fetch(`http://127.0.0.1:${port}/recall`)).status).toBe(405)

    expect((await watch.stop('SIGINT')).code).toBe(0)
    expect(watch.malformed).toEqual([])
  })

  it('answers a webhook before the reconcile it causes has finished', async () => {
    const sandbox = await testSandbox()
    const bot = randomUUID()
    sandbox.seed([{id: bot, status: 'joining_call'}])
    const watch = startWatch(watchProject(sandbox, [bot]), ['--interval', '1h', '--listen', '127.0.0.1:0'])
    const port = await watch.port()
    await watch.waitFor((l) => l.event === 'pass_complete')
    sandbox.setStatus(bot, 'in_call_not_recording')
    sandbox.injectFault({kind: 'latency', path: '/api/v1/bot/*/start_recording/', latency_ms: 3_000})
    const body = botEvent(bot, 'in_call_not_recording')
    expect(await postWebhook(port, body, signedHeaders(body, {id: 'msg_slow'}))).toEqual({
      status: 200,
      body: {status: 'accepted'},
    })
    expect(stampedRecordingsOf(sandbox, bot)).toEqual([])
    await until(() => stampedRecordingsOf(sandbox, bot).length === 1)
    expect((await watch.stop('SIGTERM')).code).toBe(0)
  })

  it('unsigned, forged, stale and replayed webhooks cause no call; a fresh signed one does', async () => {
    const sandbox = await testSandbox({rateWindowMs: SANDBOX_WINDOW_MS})
    const bot = randomUUID()
    sandbox.seed([{id: bot, status: 'joining_call'}])
    const project = watchProject(sandbox, [bot])
    const watch = startWatch(project, ['--interval', '1h', '--listen', '127.0.0.1:0'])
    const port = await watch.port()
    await watch.waitFor((l) => l.event === 'pass_complete')
    sandbox.setStatus(bot, 'in_call_not_recording') // no webhook registered: only the test's requests arrive
    const mark = sandbox.requests().at(-1)?.seq ?? 0

    const body = botEvent(bot, 'in_call_not_recording')
    const now = Math.floor(Date.now() / 1000)
    const attempts = {
      unsigned: await postWebhook(port, body, {'content-type': 'application/json'}),
      forged: await postWebhook(
        port,
        body,
        signedHeaders(body, {id: 'msg_forged', secret: 'whsec_Zm9yZ2VkIGtleSBmb3JnZWQga2V5IDEyMzQ='}),
      ),
      tampered: await postWebhook(
        port,
        body.replace('in_call_not_recording', 'in_call_recording'),
        signedHeaders(body, {id: 'msg_tampered'}),
      ),
      stale: await postWebhook(port, body, signedHeaders(body, {id: 'msg_stale', timestamp: now - 6 * 60})),
      future: await postWebhook(port, body, signedHeaders(body, {id: 'msg_future', timestamp: now + 6 * 60})),
    }
    for (const [what, answer] of Object.entries(attempts)) expect(answer.status, what).toBe(401)
    // The first refusal is logged in full; the others are counted (summed up at the end of the window).
    expect(watch.events('webhook_rejected')).toHaveLength(1)
    // Generous: a reconcile the rejected requests had caused would have read the bot within this time.
    await new Promise((r) => setTimeout(r, 1_000))
    expect(requestsFor(sandbox, bot, mark)).toEqual([])

    const valid = signedHeaders(body, {id: 'msg_first'})
    expect(await postWebhook(port, body, valid)).toEqual({status: 200, body: {status: 'accepted'}})
    await until(() => stampedRecordingsOf(sandbox, bot).length === 1)

    // The bot stops recording: a new event would start it again, but a replay of the old one must not.
    const stop = await fetch(`${sandbox.url}/api/v1/bot/${bot}/stop_recording/`, {
      method: 'POST',
      headers: {authorization: `Token ${sandbox.apiKey}`},
    })
    expect(stop.status).toBe(200)
    const afterStop = sandbox.requests().at(-1)!.seq
    expect(await postWebhook(port, body, valid)).toEqual({status: 200, body: {status: 'duplicate'}})
    await new Promise((r) => setTimeout(r, 1_000))
    expect(requestsFor(sandbox, bot, afterStop)).toEqual([])

    expect((await postWebhook(port, body, signedHeaders(body, {id: 'msg_second'}))).status).toBe(200)
    await until(() => stampedRecordingsOf(sandbox, bot).length === 2)
    expect(startsOf(sandbox, bot)).toHaveLength(2)

    expect((await watch.stop('SIGTERM')).code).toBe(0)
    expect(watch.events('webhooks_refused')).toEqual([
      expect.objectContaining({
        count: 6,
        by_reason: {missing_headers: 1, no_valid_signature: 2, timestamp_too_old: 1, timestamp_too_new: 1, replayed: 1},
      }),
    ])
    expect(watch.stdout()).not.toContain(WEBHOOK_SECRET.slice('whsec_'.length))
  })

  it('an oversized body is refused with 413 before anything else', async () => {
    const sandbox = await testSandbox()
    const project = watchProject(sandbox, [randomUUID()])
    const watch = startWatch(project, ['--interval', '1h', '--listen', '127.0.0.1:0'])
    const port = await watch.port()
    const body = JSON.stringify({event: 'bot.done', padding: 'x'.repeat(300 * 1024)})
    const answer = await fetch(`http://127.0.0.1:${port}/`, {method: 'POST', headers: signedHeaders(body, {id: 'msg_big'}), body})
    expect(answer.status).toBe(413)
    expect(watch.events('webhook_rejected')).toEqual([expect.objectContaining({reason: 'body_too_large'})])
    expect((await watch.stop('SIGTERM')).code).toBe(0)
  })
})

describe('watch: one pass and the command line', () => {
  it('--once (also as RECALLCTL_WATCH_ONCE) exits 0 when every needed call was made', async () => {
    const sandbox = await testSandbox()
    const [inCall, joining] = [randomUUID(), randomUUID()]
    sandbox.seed([
      {id: inCall, status: 'in_call_not_recording', recordings: []},
      {id: joining, status: 'joining_call'},
    ])
    const project = watchProject(sandbox, [inCall, joining])
    const result = await runCli(project, ['watch'], {env: {RECALLCTL_WATCH_ONCE: 'true', RECALLCTL_WATCH_LOG_FORMAT: 'json'}})
    expect(result.code).toBe(0)
    expect(stampedRecordingsOf(sandbox, inCall)).toHaveLength(1)
    expect(startsOf(sandbox, joining)).toEqual([])
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(lines.map((l) => l['event'])).toEqual(expect.arrayContaining(['watch_started', 'call_done', 'pass_complete']))
    for (const line of lines) expect(Object.keys(line).slice(0, 3)).toEqual(['time', 'level', 'event'])
  })

  it('--once exits 3 when some calls failed and 1 when none was made', async () => {
    const sandbox = await testSandbox()
    const [good, bad] = [randomUUID(), randomUUID()]
    sandbox.seed([
      {id: good, status: 'in_call_not_recording', recordings: []},
      {id: bad, status: 'in_call_not_recording', recordings: []},
    ])
    sandbox.injectFault({kind: 'status', status: 400, path: `/api/v1/bot/${bad}/start_recording/`, count: null})
    const partial = await runCli(watchProject(sandbox, [good, bad]), ['watch', '--once', '--log-format', 'text'])
    expect(partial.code).toBe(3)
    expect(partial.stdout).toMatch(new RegExp(`ERROR call_failed: .* bot_id=${bad}`))
    expect(
      partial.stdout
        .split('\n')
        .filter(Boolean)
        .every((l) => /^\d{4}-\d\d-\d\dT\S+Z (INFO |WARN |ERROR|DEBUG) \S/.test(l)),
    ).toBe(true)

    const none = await runCli(watchProject(sandbox, [bad]), ['watch', '--once'])
    expect(none.code).toBe(1)
  })

  it('restarts a drifted recording only with --allow-restart', async () => {
    const sandbox = await testSandbox()
    const bot = randomUUID()
    sandbox.seed([{id: bot, status: 'in_call_recording', recording_config: {metadata: {team: 'someone-else'}}}])
    const project = watchProject(sandbox, [bot])
    const refused = await runCli(project, ['watch', '--once', '--log-format', 'json'])
    expect(refused.code).toBe(1)
    expect(refused.stdout).toContain('"event":"restart_not_allowed"')
    expect(startsOf(sandbox, bot)).toEqual([])

    const allowed = await runCli(project, ['watch', '--once', '--allow-restart'])
    expect(allowed.code).toBe(0)
    expect(stampedRecordingsOf(sandbox, bot)).toHaveLength(1)
    expect(recordingsOf(sandbox, bot).map((r) => r.status.code)).toEqual(['done', 'processing'])
  })

  it('refuses to start, exit 1, on a bad flag or config, without a stack trace', async () => {
    const sandbox = await testSandbox()
    const bot = randomUUID()
    const project = watchProject(sandbox, [bot])
    const cases: Array<[string[], NodeJS.ProcessEnv, RegExp]> = [
      [['watch', '--interval', 'soon'], {}, /--interval "soon" is not a duration/],
      [['watch', '--listen', '8080'], {}, /--listen "8080" is not HOST:PORT/],
      [['watch', '--listen', '127.0.0.1:0', '--once'], {}, /cannot also be provided|--once/],
      [
        ['watch', '--listen', '127.0.0.1:0'],
        {E2E_WEBHOOK_SECRET: 'not-a-secret'},
        /E2E_WEBHOOK_SECRET does not hold a webhook signing secret/,
      ],
      [['watch', '--listen', '127.0.0.1:0'], {E2E_WEBHOOK_SECRET: ''}, /E2E_WEBHOOK_SECRET is not set/],
    ]
    for (const [args, env, message] of cases) {
      const result = await runCli(project, args, {env})
      expect(result.code, args.join(' ')).toBe(1)
      expect(result.stderr, args.join(' ')).toMatch(message)
      expect(result.stderr).not.toContain('    at ')
      expect(result.stderr).not.toContain('not-a-secret')
    }

    project.write('recall.config.yaml', watchConfig(sandbox, {webhookSecretEnv: false}))
    const noSecretEnv = await runCli(project, ['watch', '--listen', '127.0.0.1:0'])
    expect(noSecretEnv.code).toBe(1)
    expect(noSecretEnv.stderr).toMatch(/--listen needs api.webhook_secret_env/)

    project.write('recall.config.yaml', 'version: 2\n')
    const broken = await runCli(project, ['watch', '--log-format', 'json'])
    expect(broken.code).toBe(1)
    const lines = broken.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(lines.at(-1)).toMatchObject({level: 'error', event: 'watch_failed'})
    expect(lines.some((l) => l['event'] === 'config_diagnostic' && l['level'] === 'error')).toBe(true)
  })
})
