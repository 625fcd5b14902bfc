import {describe, expect, it} from 'vitest'
import {
  botsInCall,
  busiestWindow,
  isRetrieveBot,
  isStartRecording,
  runCli,
  stampedRecordingsOf,
  testProject,
  testSandbox,
} from '../support/e2e.js'

/**
 * Recall's documented limits (300 per window), with the minute scaled down to one second so a big apply
 * takes seconds. The CLI's window (RECALLCTL_RATE_WINDOW_MS) is set 30% longer than the sandbox's:
 * on a shared 2-core machine an event-loop stall of a couple of hundred ms can bunch arrivals at the
 * sandbox together, and the client's own margin (1% of the window, at least 50 ms) is sized for the
 * real 60 s window, not for a 1 s one. A limiter that bursts (a fixed window, no limiter, limits not
 * taken from the config) still puts far more than 300 requests into one sandbox second.
 */
const SANDBOX_WINDOW_MS = 1000
const CLI_WINDOW_MS = 1300
const LIMIT = 300
const BOTS = 1000

describe('apply at the rate limit (scaled window)', () => {
  it('applies 1,000 bots with no sandbox window over the limit and no 429, then plans no change', async () => {
    const sandbox = await testSandbox({
      rateWindowMs: SANDBOX_WINDOW_MS,
      rateLimits: {start_recording: LIMIT, retrieve_bot: LIMIT, list_bots: 60},
    })
    const seeds = botsInCall(BOTS)
    sandbox.seed(seeds)
    const project = testProject(
      sandbox,
      seeds.map((s) => s.id),
      {rateLimits: {start_recording: LIMIT, retrieve_bot: LIMIT}},
    )
    const env = {RECALLCTL_RATE_WINDOW_MS: String(CLI_WINDOW_MS)}

    const apply = await runCli(project, ['apply', '--auto-approve'], {env})
    expect(apply.stderr).not.toMatch(/bug in recallctl/)
    expect(apply.code).toBe(0)
    expect(apply.stdout).toContain(`Apply complete: ${BOTS} started, 0 restarted, 0 skipped as stale, 0 failed`)

    const applyLog = sandbox.requests()
    expect(applyLog.filter((e) => e.status === 429)).toEqual([])
    const starts = applyLog.filter(isStartRecording)
    const reads = applyLog.filter(isRetrieveBot)
    expect(starts).toHaveLength(BOTS)
    expect(reads).toHaveLength(BOTS)
    // The limit binds: each endpoint's requests fill more than one window.
    expect(busiestWindow(starts, SANDBOX_WINDOW_MS)).toBeLessThanOrEqual(LIMIT)
    expect(busiestWindow(reads, SANDBOX_WINDOW_MS)).toBeLessThanOrEqual(LIMIT)
    for (const seed of seeds) expect(stampedRecordingsOf(sandbox, seed.id)).toHaveLength(1)

    const lastSeq = applyLog.at(-1)!.seq
    const plan = await runCli(project, ['plan', '--detailed-exitcode'], {env})
    expect(plan.code).toBe(0)
    expect(plan.stdout).toContain(`${BOTS} unchanged`)
    const planLog = sandbox.requests(lastSeq)
    expect(planLog.filter(isStartRecording)).toEqual([])
    expect(planLog.filter((e) => e.status === 429)).toEqual([])
    expect(busiestWindow(planLog.filter(isRetrieveBot), SANDBOX_WINDOW_MS)).toBeLessThanOrEqual(LIMIT)
  })
})
