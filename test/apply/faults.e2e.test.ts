import {describe, expect, it} from 'vitest'
import type {FaultRuleInput, RunningSandbox} from '../../src/sandbox/index.js'
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
  type CliResult,
  type TestProject,
} from '../support/e2e.js'

const START = '/api/v1/bot/*/start_recording/'
const RETRIEVE = '/api/v1/bot/*/'
const env = {RECALLCTL_RATE_WINDOW_MS: '1300'}

/**
 * A deterministic schedule: of the matching requests, the first `after` pass, the next `count` get the
 * fault. `reset_after` is the hard one: the sandbox performs start_recording, then drops the connection,
 * so the client cannot know and retries; only the Idempotency-Key keeps it from recording twice.
 */
const startFaults: FaultRuleInput[] = [
  {kind: 'status', status: 503, method: 'POST', path: START, after: 0, count: 2},
  {kind: 'reset_after', method: 'POST', path: START, after: 3, count: 4},
  {kind: 'rate_limit', retry_after: 1, method: 'POST', path: START, after: 9, count: 2},
  {kind: 'latency', latency_ms: 300, method: 'POST', path: START, after: 12, count: 3},
  {kind: 'status', status: 502, method: 'POST', path: START, after: 16, count: 1},
  {kind: 'reset_after', method: 'POST', path: START, after: 20, count: 2},
]
const readFaults: FaultRuleInput[] = [
  {kind: 'status', status: 504, method: 'GET', path: RETRIEVE, after: 2, count: 2},
  {kind: 'reset_before', method: 'GET', path: RETRIEVE, after: 8, count: 1},
  {kind: 'reset_after', method: 'GET', path: RETRIEVE, after: 12, count: 1},
  {kind: 'latency', latency_ms: 200, method: 'GET', path: RETRIEVE, after: 16, count: 2},
]

/** Applies; a partly applied run (exit 3: retries ran out on a bot) is run again, as a user would. */
async function applyUntilDone(project: TestProject, first: readonly string[]): Promise<CliResult[]> {
  const runs = [await runCli(project, first, {env})]
  while (runs.at(-1)!.code === 3 && runs.length < 4) runs.push(await runCli(project, ['apply', '--auto-approve'], {env}))
  return runs
}

function expectEachBotRecordedOnce(sandbox: RunningSandbox, ids: readonly string[]): void {
  for (const id of ids) {
    expect(recordingsOf(sandbox, id), `bot ${id}`).toHaveLength(1)
    expect(stampedRecordingsOf(sandbox, id), `bot ${id}`).toHaveLength(1)
  }
}

function expectEveryFaultApplied(sandbox: RunningSandbox): void {
  for (const fault of sandbox.core.faults.list()) expect(fault, `fault ${fault.id} (${fault.kind})`).toMatchObject({remaining: 0})
}

describe('apply under faults (the sandbox fault schedule)', () => {
  it('records every bot exactly once through 5xx, dropped connections, 429 bursts and latency', async () => {
    const sandbox = await testSandbox({rateWindowMs: 1000})
    const seeds = botsInCall(30)
    const ids = seeds.map((s) => s.id)
    sandbox.seed(seeds)
    for (const rule of [...startFaults, ...readFaults]) sandbox.injectFault(rule)
    const project = testProject(sandbox, ids)

    const runs = await applyUntilDone(project, ['apply', '--auto-approve', '--json'])
    for (const run of runs) expect(run.stderr).not.toMatch(/bug in recallctl/)
    expect(runs[0]!.code === 0 || runs[0]!.code === 3).toBe(true)
    expect(runs.at(-1)!.code).toBe(0)
    expectEveryFaultApplied(sandbox)
    expectEachBotRecordedOnce(sandbox, ids)

    // Every attempt for one bot carried the same key: the retries after a dropped answer were replays.
    const keysByBot = new Map<string, Set<string | null>>()
    for (const entry of sandbox.requests().filter(isStartRecording)) {
      const bot = botOfStart(entry)!
      keysByBot.set(bot, (keysByBot.get(bot) ?? new Set()).add(entry.idempotency_key))
    }
    for (const [bot, keys] of keysByBot) {
      expect(keys.size, `bot ${bot}`).toBe(1)
      expect([...keys][0]).toMatch(/\S/)
    }
    expect(sandbox.requests().some((e) => isStartRecording(e) && e.replayed)).toBe(true)

    // The NDJSON stream reported the waits.
    const events = ndjson(runs[0]!.stdout)
    const rateLimited = events.filter((e) => e['type'] === 'rate_limited')
    expect(rateLimited.length).toBeGreaterThanOrEqual(1)
    for (const event of rateLimited) expect(event).toMatchObject({endpoint: 'start_recording', wait_ms: expect.any(Number)})
    expect(events.some((e) => e['type'] === 'retry')).toBe(true)

    const plan = await runCli(project, ['plan', '--detailed-exitcode'], {env})
    expect(plan.code).toBe(0)
  })

  it('records every bot exactly once when applying a saved plan under faults (re-read before each call)', async () => {
    const sandbox = await testSandbox({rateWindowMs: 1000})
    const seeds = botsInCall(24)
    const ids = seeds.map((s) => s.id)
    sandbox.seed(seeds)
    const project = testProject(sandbox, ids)
    const plan = await runCli(project, ['plan', '--out', 'plan.json'], {env})
    expect(plan.code).toBe(0)
    for (const rule of [...startFaults, ...readFaults]) sandbox.injectFault(rule)

    const runs = await applyUntilDone(project, ['apply', 'plan.json', '--auto-approve'])
    for (const run of runs) expect(run.stderr).not.toMatch(/bug in recallctl/)
    expect(runs[0]!.code === 0 || runs[0]!.code === 3).toBe(true)
    expect(runs.at(-1)!.code).toBe(0)
    // A saved plan is never stale because of a call it made itself.
    expect(runs[0]!.stdout).toMatch(/0 skipped as stale/)
    expectEveryFaultApplied(sandbox)
    expectEachBotRecordedOnce(sandbox, ids)
    expect((await runCli(project, ['plan', '--detailed-exitcode'], {env})).code).toBe(0)
  })

  it('reports a bot whose call Recall refuses (final 4xx) and still applies the others', async () => {
    const sandbox = await testSandbox({rateWindowMs: 1000})
    const seeds = botsInCall(6)
    const ids = seeds.map((s) => s.id)
    sandbox.seed(seeds)
    const refused = ids[2]!
    sandbox.injectFault({
      kind: 'status',
      status: 400,
      method: 'POST',
      path: `/api/v1/bot/${refused}/start_recording/`,
      count: null,
      body: {code: 'cannot_command_completed_bot', detail: 'Cannot start recording a bot that has finished.'},
    })
    const project = testProject(sandbox, ids)

    const apply = await runCli(project, ['apply', '--auto-approve'], {env})
    expect(apply.code).toBe(3)
    expect(apply.stdout).toMatch(/5 started, 0 restarted, 0 skipped as stale, 1 failed/)
    expect(apply.stdout).toContain(refused)
    expect(apply.stdout).toContain('cannot_command_completed_bot')
    expect(sandbox.requests().filter((e) => isStartRecording(e) && botOfStart(e) === refused)).toHaveLength(1)
    for (const id of ids) expect(stampedRecordingsOf(sandbox, id)).toHaveLength(id === refused ? 0 : 1)
  })
})
