import {describe, expect, it} from 'vitest'
import {
  botOfStart,
  botsInCall,
  isStartRecording,
  ndjson,
  recordingsOf,
  runCli,
  stampedRecordingsOf,
  testProject,
  testSandbox,
  until,
  type CliResult,
} from '../support/e2e.js'

const BOTS = 100
/** A slow apply: 30 start_recording calls per 1.3 s window, so a kill lands in the middle. */
const env = {RECALLCTL_RATE_WINDOW_MS: '1300'}

describe('apply killed in the middle', () => {
  it('leaves nothing a re-run cannot finish: every bot ends with one recording, none restarted', async () => {
    const sandbox = await testSandbox({rateWindowMs: 1000})
    const seeds = botsInCall(BOTS)
    const ids = seeds.map((s) => s.id)
    sandbox.seed(seeds)
    // Calls 41-48 are slow: they are in flight at the sandbox when the CLI dies, and the sandbox still
    // performs them, possibly after the re-run has read those bots (its call then meets the same
    // Idempotency-Key: 409 while in flight, then the replay).
    const slow = sandbox.injectFault({
      kind: 'latency',
      latency_ms: 1500,
      method: 'POST',
      path: '/api/v1/bot/*/start_recording/',
      after: 40,
      count: 8,
    })
    const project = testProject(sandbox, ids, {rateLimits: {start_recording: 30}})

    let killed: Promise<CliResult> | undefined
    const first = runCli(project, ['apply', '--auto-approve'], {
      env,
      onSpawn: (child) => {
        killed = until(() => (sandbox.core.faults.list().find((f) => f.id === slow.id)?.applied ?? 0) >= 4, 30_000).then(() => {
          child.kill('SIGKILL')
          return first
        })
      },
    })
    const dead = await killed!
    expect(dead.signal).toBe('SIGKILL')
    // The kill landed midway: some bots were started, others not yet.
    const startedBeforeKill = new Set(sandbox.requests().filter(isStartRecording).map(botOfStart))
    expect(startedBeforeKill.size).toBeGreaterThan(0)
    expect(ids.filter((id) => recordingsOf(sandbox, id).length === 0).length).toBeGreaterThan(BOTS / 3)

    // Re-run as a pipeline would: no plan file, auto-approved. A 409 retried out (exit 3) is run again.
    const reruns: CliResult[] = []
    do reruns.push(await runCli(project, ['apply', '--auto-approve'], {env}))
    while (reruns.at(-1)!.code === 3 && reruns.length < 3)
    for (const run of reruns) {
      expect(run.stderr).not.toMatch(/bug in recallctl/)
      expect(run.stdout).toMatch(/0 to restart/)
      expect(run.stdout).not.toMatch(/will restart/)
    }
    expect(reruns.at(-1)!.code).toBe(0)

    for (const id of ids) {
      expect(recordingsOf(sandbox, id), `bot ${id}`).toHaveLength(1)
      expect(stampedRecordingsOf(sandbox, id), `bot ${id}`).toHaveLength(1)
    }
    // Every call ever made for a bot carried the same key: nothing was started under a second key.
    const keys = new Map<string, Set<string | null>>()
    for (const entry of sandbox.requests().filter(isStartRecording))
      keys.set(botOfStart(entry)!, (keys.get(botOfStart(entry)!) ?? new Set()).add(entry.idempotency_key))
    for (const [bot, set] of keys) expect(set.size, `bot ${bot}`).toBe(1)

    const plan = await runCli(project, ['plan', '--detailed-exitcode'], {env})
    expect(plan.code).toBe(0)
  })

  it('stops taking new calls on SIGINT, finishes the calls in flight, reports them, and exits 3', async () => {
    const sandbox = await testSandbox({rateWindowMs: 1000})
    const seeds = botsInCall(60)
    const ids = seeds.map((s) => s.id)
    sandbox.seed(seeds)
    const project = testProject(sandbox, ids, {rateLimits: {start_recording: 20}})
    const recorded = () => ids.filter((id) => recordingsOf(sandbox, id).length > 0).length

    let stopped: Promise<CliResult> | undefined
    const run = runCli(project, ['apply', '--auto-approve', '--json'], {
      env,
      onSpawn: (child) => {
        stopped = until(() => recorded() >= 10, 30_000).then(() => {
          child.kill('SIGINT')
          return run
        })
      },
    })
    const interrupted = await stopped!
    expect(interrupted.code).toBe(3)
    expect(interrupted.stderr).toMatch(/Stopping: calls not yet sent are cancelled/)
    const complete = ndjson(interrupted.stdout).at(-1) as {
      type: string
      summary: {started: number; interrupted: number}
      results: Array<{bot_id: string; outcome: string}>
    }
    expect(complete.type).toBe('apply_complete')
    expect(complete.summary.interrupted).toBeGreaterThan(0)
    expect(complete.summary.started + complete.summary.interrupted).toBe(ids.length)
    // What it reports is what happened: every call it started was finished before it exited.
    for (const result of complete.results)
      expect(recordingsOf(sandbox, result.bot_id), `bot ${result.bot_id}`).toHaveLength(result.outcome === 'started' ? 1 : 0)

    const rerun = await runCli(project, ['apply', '--auto-approve'], {env})
    expect(rerun.code).toBe(0)
    expect(rerun.stdout).toContain(`Apply complete: ${complete.summary.interrupted} started, 0 restarted`)
    for (const id of ids) expect(stampedRecordingsOf(sandbox, id), `bot ${id}`).toHaveLength(1)
  })

  it('on SIGINT, cancels the calls waiting in the limiter at once: no request follows, and a re-run finishes the rest', async () => {
    const sandbox = await testSandbox({rateWindowMs: 1000})
    const seeds = botsInCall(30)
    const ids = seeds.map((s) => s.id)
    sandbox.seed(seeds)
    // 10 writes per 10-minute window: after the first 10, every other call waits in the limiter.
    const project = testProject(sandbox, ids, {rateLimits: {start_recording: 10}})
    const slowWindow = {RECALLCTL_RATE_WINDOW_MS: '600000'}
    let stopped: Promise<CliResult> | undefined
    let requestsAtSigint = 0
    const run = runCli(project, ['apply', '--auto-approve'], {
      env: slowWindow,
      onSpawn: (child) => {
        stopped = until(() => sandbox.requests().filter(isStartRecording).length >= 10, 30_000).then(async () => {
          // The window's 10 calls are answered; the other 20 wait for a slot 10 minutes away.
          await until(() => ids.filter((id) => recordingsOf(sandbox, id).length > 0).length >= 10, 30_000)
          requestsAtSigint = sandbox.requests().length
          child.kill('SIGINT')
          return run
        })
      },
    })
    const interrupted = await stopped!
    expect(interrupted.code).toBe(3)
    expect(interrupted.stderr).not.toMatch(/bug in recallctl/)
    expect(interrupted.stdout).toMatch(/^Interrupted: 10 of 30 calls made/m)
    expect(interrupted.stdout).toContain('20 not made')
    expect(interrupted.stdout).toMatch(/run the same apply again/)
    // Nothing was sent after Ctrl-C.
    expect(sandbox.requests().length).toBe(requestsAtSigint)
    expect(sandbox.requests().filter(isStartRecording)).toHaveLength(10)

    const rerun = await runCli(project, ['apply', '--auto-approve'], {env: {RECALLCTL_RATE_WINDOW_MS: '1000'}})
    expect(rerun.code).toBe(0)
    expect(rerun.stdout).toContain('Apply complete: 20 started, 0 restarted')
    for (const id of ids) expect(stampedRecordingsOf(sandbox, id), `bot ${id}`).toHaveLength(1)
  })
})
