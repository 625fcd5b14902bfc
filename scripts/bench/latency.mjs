// Issue 12: apply of a saved plan and plan's reads against a sandbox answering with a latency fault, as a
// ratio to the physical bound, for this build and for the build before issue 12 (today's figures).
//
//   apply of a saved plan: (N/R − 1) × 60 s + 2L   (the (R+1)-th call waits for the window; a read then a write)
//   plan's reads:          (N/R − 1) × 60 s + L
// A saved plan is verified (issue 11): every bot is read before the first write, so the reads and the writes
// are two phases: 2 × (N/R − 1) × 60 s + 2L. This build is judged against that bound, timed from the start
// of the verification; the build before issue 12 (no verification) against the first.
import path from 'node:path'
import {botId, cli, check, seconds, tallyRequests} from './lib.mjs'
import {applyJson, cliEnv, inCallSeeds, planToFile, writeSandboxProject} from './sandbox-project.mjs'

const NO_LIMITS = {retrieve_bot: false, start_recording: false, list_bots: false, shared_bot: false}
const REAL_LIMITS = {retrieve_bot: 300, start_recording: 300, list_bots: 60, shared_bot: 300}
/** recallctl's window during the untimed plan step (the sandbox's limits are off then). */
const FAST_CLIENT_WINDOW_MS = 100

/** Windows that must open after the first: ⌈N/R⌉ − 1 (none when every call fits in one window). */
const laterWindows = (bots, limit) => Math.max(0, Math.ceil(bots / limit) - 1)
export const applyBoundMs = (bots, limit, windowMs, latencyMs) => laterWindows(bots, limit) * windowMs + 2 * latencyMs
export const verifiedApplyBoundMs = (bots, limit, windowMs, latencyMs) => 2 * laterWindows(bots, limit) * windowMs + 2 * latencyMs
export const planBoundMs = (bots, limit, windowMs, latencyMs) => laterWindows(bots, limit) * windowMs + latencyMs

/** Runs `fn` with the CLI of another build (`root` holds its bin/ and dist/). */
async function withBuild(root, fn) {
  const before = process.env.RECALLCTL_BENCH_BUILD
  if (root) process.env.RECALLCTL_BENCH_BUILD = root
  try {
    return await fn()
  } finally {
    if (before === undefined) delete process.env.RECALLCTL_BENCH_BUILD
    else process.env.RECALLCTL_BENCH_BUILD = before
  }
}

/** `bots` bots in the call at the sandbox, and a project assigning them by id (rate_limits 150 + 150 when `shared`). */
async function seededProject(sandbox, {bots, shared, prefix}) {
  const ids = Array.from({length: bots}, (_, i) => botId(prefix, i))
  await sandbox.control.reset(inCallSeeds(prefix, bots))
  const limit = shared ? 150 : 300
  const dir = await writeSandboxProject({
    url: sandbox.url,
    rateLimits: {start_recording: limit, retrieve_bot: limit, list_bots: 60},
    bots: ids,
  })
  return {ids, limit, dir}
}

async function withLatency(sandbox, latencyMs) {
  await sandbox.control.clearFaults()
  if (latencyMs > 0) await sandbox.control.addFault({kind: 'latency', latency_ms: latencyMs, path: '/api/**', count: null})
}

/** Bots whose recordings number exactly one (they were seeded with none). */
async function oneRecordingEach(sandbox, ids) {
  const byId = new Map((await sandbox.control.bots()).map((bot) => [bot.id, bot]))
  return ids.filter((id) => (byId.get(id)?.recordings?.length ?? 0) === 1).length
}

/**
 * Apply of a saved plan of `bots` bots in the call: planned with the sandbox's limits off (not timed),
 * then applied at the limits with every API answer delayed by `latencyMs`. `shared`: one bucket of 300
 * for bot/{id} calls at the sandbox, and rate_limits 150 + 150 in the config (what a user sets then).
 */
export async function applyWithLatency(
  sandbox,
  {bots, latencyMs, windowMs = 60_000, shared = false, build, before = false, prefix = 'b1000000'},
) {
  return withBuild(build, async () => {
    const {ids, limit, dir} = await seededProject(sandbox, {bots, shared, prefix})
    await sandbox.control.setRateLimits({limits: NO_LIMITS})
    await withLatency(sandbox, 0)
    const {plan} = await planToFile(dir, cliEnv(sandbox, FAST_CLIENT_WINDOW_MS))
    if (plan.summary.start !== bots)
      throw new Error(`the plan should start ${bots} bots; it says ${JSON.stringify(plan.summary)}`)
    await sandbox.control.setRateLimits({window_ms: windowMs, shared_bucket: shared, limits: REAL_LIMITS})
    await withLatency(sandbox, latencyMs)
    await sandbox.control.clearRequests()
    const applied = await applyJson(dir, cliEnv(sandbox, windowMs === 60_000 ? undefined : windowMs), path.join(dir, 'plan.json'))
    await withLatency(sandbox, 0)
    const tally = tallyRequests(await sandbox.control.requests())
    const issueBound = applyBoundMs(bots, limit, windowMs, latencyMs)
    const bound = before ? issueBound : verifiedApplyBoundMs(bots, limit, windowMs, latencyMs)
    return {
      kind: 'apply',
      bots,
      latencyMs,
      shared,
      limit,
      bound,
      issueBound,
      // As the summary says: from the start of the verification (this build) or apply_start (before issue 12)
      // to apply_complete; the process adds its start.
      ms: applied.summary.elapsed_ms,
      processMs: applied.ms,
      tally,
      oneRecording: await oneRecordingEach(sandbox, ids),
      started: applied.summary.started,
    }
  })
}

/** plan --out for `bots` bots assigned by id, every read answered after `latencyMs`. Timed as a process. */
export async function planWithLatency(sandbox, {bots, latencyMs, windowMs = 60_000, shared = false, build, prefix = 'b2000000'}) {
  return withBuild(build, async () => {
    const {limit, dir} = await seededProject(sandbox, {bots, shared, prefix})
    await sandbox.control.setRateLimits({window_ms: windowMs, shared_bucket: shared, limits: REAL_LIMITS})
    await withLatency(sandbox, latencyMs)
    await sandbox.control.clearRequests()
    const env = cliEnv(sandbox, windowMs === 60_000 ? undefined : windowMs)
    const result = check(
      await cli(['plan', '--dir', dir, '--out', path.join(dir, 'plan.json'), '--json'], {env}),
      'recallctl plan',
    )
    await withLatency(sandbox, 0)
    const requests = await sandbox.control.requests()
    const tally = tallyRequests(requests)
    // The reads themselves: first arrival to the last answer (the process adds its start, ~0.3 s).
    const times = requests.map((r) => Date.parse(r.time))
    const readsMs = requests.length
      ? Math.max(...requests.map((r) => Date.parse(r.time) + (r.duration_ms ?? 0))) - Math.min(...times)
      : 0
    return {
      kind: 'plan',
      bots,
      latencyMs,
      shared,
      limit,
      bound: planBoundMs(bots, limit, windowMs, latencyMs),
      ms: result.ms,
      readsMs,
      tally,
    }
  })
}

/** `63.2 s (1.04× of 61.6 s)` */
export const ratioText = (ms, bound) => `${seconds(ms)} (${(ms / bound).toFixed(3)}× of ${seconds(bound)})`

/**
 * The build of an earlier commit (today's figures before a change): `git archive` of `ref` into a temp
 * dir, node_modules linked, built there. Returns its root, or throws with what the build said.
 */
export async function buildOfRef(ref, {root, tempDir, run}) {
  const dir = await tempDir('recallctl-bench-old-')
  const archive = await run('sh', ['-c', `git -C "${root}" archive "${ref}" | tar -x -C "${dir}"`])
  if (archive.code !== 0) throw new Error(`git archive ${ref} failed: ${archive.stderr}`)
  // Its own dependencies when its lock file differs from this tree's (a dependency added or removed since).
  const sameLock = await run('sh', ['-c', `cmp -s "${dir}/package-lock.json" "${root}/package-lock.json"`])
  if (sameLock.code === 0) await run('ln', ['-s', path.join(root, 'node_modules'), path.join(dir, 'node_modules')])
  else {
    const installed = await run('npm', ['ci', '--include=dev', '--ignore-scripts', '--no-audit', '--no-fund'], {cwd: dir})
    if (installed.code !== 0) throw new Error(`npm ci for ${ref} failed: ${installed.stderr.slice(-2000)}`)
  }
  const built = await run(process.execPath, ['scripts/build.mjs'], {cwd: dir})
  if (built.code !== 0) throw new Error(`building ${ref} failed: ${built.stderr.slice(-2000)}`)
  return dir
}
