import {randomUUID} from 'node:crypto'
import {afterEach, describe, expect, it} from 'vitest'
import {loadProject} from '../../src/app/load-project.js'
import {createRecallClient, type RecallClient} from '../../src/recall/client/client.js'
import type {RunningSandbox, SandboxBotSeed} from '../../src/sandbox/index.js'
import {createLogger} from '../../src/watch/logger.js'
import {EXPLICIT_GET_LIMIT} from '../../src/refresh/poll-scope.js'
import {Reconciler, type WatchProject} from '../../src/app/watch/reconcile.js'
import {isRetrieveBot, isStartRecording, stampedRecordingsOf, testProject, testSandbox} from '../support/e2e.js'

// The reconcile pass in-process, against the sandbox: what it reads, what it calls, what it leaves.

const clients: RecallClient[] = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()))
})

const isListBots = (e: {method: string; path: string}) => e.method === 'GET' && e.path.split('?')[0] === '/api/v1/bot/'

async function setup(sandbox: RunningSandbox, recordings: string, options: {allowRestartFlag?: boolean} = {}) {
  const project = testProject(sandbox, [], {recordings})
  const run = await loadProject(project.dir, 'error', project.env)
  if (!run.resolved.config) throw new Error('the test config does not load')
  expect(run.resolved.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
  const watchProject: WatchProject = {resolved: run.resolved, config: run.resolved.config, loadedAt: new Date()}
  const client = createRecallClient({baseUrl: sandbox.url, apiKey: sandbox.apiKey})
  clients.push(client)
  const logs: Array<Record<string, unknown>> = []
  const log = createLogger({format: 'json', write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>), debug: true})
  const reconciler = new Reconciler(watchProject, {
    connection: {client, baseUrl: sandbox.url},
    env: project.env,
    log,
    allowRestartFlag: options.allowRestartFlag ?? false,
    toolVersion: 'test',
    stop: new AbortController().signal,
  })
  return {reconciler, logs, project: watchProject}
}

const explicit = (ids: readonly string[], profile = 'e2e') =>
  [`  - profile: ${profile}`, '    bots:', ...ids.map((id) => `      - ${id}`)].join('\n')
const recordingsFile = (...assignments: string[]) =>
  [
    'profiles:',
    '  e2e:',
    '    retention: { type: timed, hours: 24 }',
    '    metadata: { team: e2e }',
    'assignments:',
    ...assignments,
    '',
  ].join('\n')
const seeds = (count: number, status: SandboxBotSeed['status'], extra: Partial<SandboxBotSeed> = {}): SandboxBotSeed[] =>
  Array.from({length: count}, () => ({id: randomUUID(), status, recordings: [], ...extra}))

describe('a polling pass', () => {
  it(`with more than ${EXPLICIT_GET_LIMIT} explicit bots: one List Bots, no per-bot read but the one before each call`, async () => {
    const sandbox = await testSandbox()
    const inCall = seeds(8, 'in_call_not_recording')
    const joining = seeds(6, 'joining_call')
    const unassigned = seeds(3, 'in_call_not_recording')
    sandbox.seed([...inCall, ...joining, ...unassigned])
    const {reconciler} = await setup(sandbox, recordingsFile(explicit([...inCall, ...joining].map((s) => s.id))))

    const outcome = await reconciler.pass()
    expect(outcome).toMatchObject({planned: 8, made: 8, inCall: 8, error: null})
    const log = sandbox.requests()
    expect(log.filter(isListBots)).toHaveLength(1)
    expect(log.filter(isListBots)[0]!.path).toMatch(/status=in_call_not_recording/)
    expect(log.filter(isRetrieveBot)).toHaveLength(8) // the stale check right before each call
    expect(
      log
        .filter(isStartRecording)
        .map((e) => e.path.split('/')[4])
        .sort(),
    ).toEqual(inCall.map((s) => s.id).sort())
    for (const s of unassigned) expect(stampedRecordingsOf(sandbox, s.id)).toEqual([])

    const before = log.at(-1)!.seq
    expect(await reconciler.pass()).toMatchObject({planned: 0, made: 0, inCall: 8})
    expect(sandbox.requests(before).filter((e) => !isListBots(e))).toEqual([])
  })

  it(`with ${EXPLICIT_GET_LIMIT} or fewer explicit bots: one GET each, and finished or missing bots are not read again`, async () => {
    const sandbox = await testSandbox()
    const [live, done] = [seeds(1, 'joining_call')[0]!, seeds(1, 'done')[0]!]
    const missing = randomUUID()
    sandbox.seed([live, done])
    const {reconciler, logs} = await setup(sandbox, recordingsFile(explicit([live.id, done.id, missing])))

    await reconciler.pass()
    expect(sandbox.requests().filter(isRetrieveBot)).toHaveLength(3)
    expect(sandbox.requests().filter(isListBots)).toHaveLength(0)
    expect(logs.filter((l) => l['event'] === 'bot_missing')).toEqual([expect.objectContaining({level: 'warn', bot_id: missing})])

    const before = sandbox.requests().at(-1)!.seq
    await reconciler.pass()
    expect(sandbox.requests(before).map((e) => e.path)).toEqual([`/api/v1/bot/${live.id}/`])
    expect(logs.filter((l) => l['event'] === 'bot_missing')).toHaveLength(1)
  })

  it('match selectors: one listing per distinct filter, in-call statuses only, checked locally too', async () => {
    const sandbox = await testSandbox()
    const sales = seeds(2, 'in_call_not_recording', {metadata: {team: 'sales'}})
    const salesJoining = seeds(1, 'joining_call', {metadata: {team: 'sales'}})
    const support = seeds(1, 'in_call_not_recording', {metadata: {team: 'support'}})
    sandbox.seed([...sales, ...salesJoining, ...support])
    const {reconciler, logs} = await setup(
      sandbox,
      recordingsFile(
        '  - profile: e2e\n    match: { metadata: { team: sales } }',
        '  - profile: e2e\n    match: { metadata: { team: sales }, status: [in_call_not_recording, in_call_recording] }',
        '  - profile: e2e\n    match: { metadata: { team: support }, status: [joining_call] }',
      ),
    )
    expect(logs.filter((l) => l['event'] === 'selector_never_in_call')).toHaveLength(1)
    const outcome = await reconciler.pass()
    const lists = sandbox.requests().filter(isListBots)
    expect(lists).toHaveLength(2)
    for (const list of lists) {
      expect(list.path).toContain('metadata__team=sales')
      expect(list.path).not.toContain('joining_call')
    }
    // Both sales selectors claim the sales bots: a conflict, so nothing is called, and it is said once.
    expect(outcome).toMatchObject({made: 0, planned: 2})
    expect(sandbox.requests().filter(isStartRecording)).toEqual([])
    expect(
      logs
        .filter((l) => l['event'] === 'bot_conflict')
        .map((l) => l['bot_id'])
        .sort(),
    ).toEqual(sales.map((s) => s.id).sort())
    await reconciler.pass()
    expect(logs.filter((l) => l['event'] === 'bot_conflict')).toHaveLength(2)
  })

  it('a restart is left alone without allow_restart (said once) and made with it; starts go ahead either way', async () => {
    const sandbox = await testSandbox()
    const drifted = seeds(1, 'in_call_recording', {recordings: undefined, recording_config: {metadata: {team: 'other'}}})[0]!
    const fresh = seeds(1, 'in_call_not_recording')[0]!
    sandbox.seed([drifted, fresh])
    const recordings = recordingsFile(explicit([drifted.id, fresh.id]))

    const refused = await setup(sandbox, recordings)
    expect(await refused.reconciler.pass()).toMatchObject({planned: 2, made: 1})
    await refused.reconciler.pass()
    expect(refused.logs.filter((l) => l['event'] === 'restart_not_allowed')).toEqual([
      expect.objectContaining({level: 'warn', bot_id: drifted.id}),
    ])
    expect(
      sandbox
        .requests()
        .filter(isStartRecording)
        .map((e) => e.path),
    ).toEqual([`/api/v1/bot/${fresh.id}/start_recording/`])

    const allowed = await setup(sandbox, recordings, {allowRestartFlag: true})
    expect(await allowed.reconciler.pass()).toMatchObject({planned: 1, made: 1})
    expect(stampedRecordingsOf(sandbox, drifted.id)).toHaveLength(1)
  })

  it('a bot whose state moves between the listing and its call is skipped as stale, not restarted', async () => {
    const sandbox = await testSandbox()
    const bot = seeds(1, 'in_call_not_recording')[0]!
    const others = seeds(EXPLICIT_GET_LIMIT, 'joining_call')
    sandbox.seed([bot, ...others])
    const {reconciler, logs} = await setup(sandbox, recordingsFile(explicit([bot.id, ...others.map((s) => s.id)])))
    // The bot starts recording by itself just after the listing that found it idle was answered.
    const log = sandbox.core.log
    const add = log.add.bind(log)
    log.add = (entry) => {
      const logged = add(entry)
      if (isListBots(logged)) sandbox.core.move(bot.id, {code: 'in_call_recording'})
      return logged
    }
    const outcome = await reconciler.pass()
    expect(outcome.results).toEqual([expect.objectContaining({bot_id: bot.id, outcome: 'stale'})])
    expect(outcome).toMatchObject({planned: 1, made: 0})
    expect(logs.filter((l) => l['event'] === 'call_stale')).toEqual([expect.objectContaining({bot_id: bot.id})])
    expect(sandbox.requests().filter(isStartRecording)).toEqual([])
  })
})
