// Runs load → validate → resolve → claimBots → buildPlan on a project directory with synthetic
// snapshots (what refresh would read), in its own process so that its peak RSS is its own.
// Prints one JSON line: per-stage milliseconds, the total, the plan summary and maxRSS.
// Usage: node scripts/bench/pipeline-child.mjs DIR
import {distUrl} from './lib.mjs'

const dir = process.argv[2]
const importStarted = performance.now()
const [{readProject}, {validateProject}, {resolveProject}, {claimBots}, {buildPlan}, {knownBodies}] = await Promise.all([
  import(distUrl('load/read-project.js')),
  import(distUrl('validate/validate-project.js')),
  import(distUrl('resolve/resolve-project.js')),
  import(distUrl('refresh/claim.js')),
  import(distUrl('diff/build-plan.js')),
  import(distUrl('app/make-plan.js')),
])
const importMs = performance.now() - importStarted
const env = {HOOK_TOKEN: 'bench-hook-token-0123456789'}

/**
 * What refresh would have read: a mix of every action. 40% in the call and not recording (start),
 * 25% recording with the desired digest (noop), 10% recording another profile's body (restart with
 * a field diff), 5% recording started outside recallctl at join (adoption check, then restart),
 * 10% joining (pending), 5% call over (completed), 5% missing.
 */
function snapshotsFor(desired, otherDigest) {
  const snapshots = new Map()
  desired.forEach((bot, i) => {
    const slot = i % 20
    const base = {
      bot_id: bot.bot_id,
      found: true,
      metadata: {team: 'bench'},
      newest_recording_id: null,
      active: null,
      recordings_count: 0,
      recording_config: null,
    }
    const recording = (digest, profile) => ({
      id: `rec-${i}`,
      status: 'processing',
      digest,
      profile,
      metadata: digest ? {recallctl_digest: digest, recallctl_profile: profile} : {team: 'bench'},
    })
    let snapshot
    if (slot < 8) snapshot = {...base, status: 'in_call_not_recording'}
    else if (slot < 13)
      snapshot = {
        ...base,
        status: 'in_call_recording',
        newest_recording_id: `rec-${i}`,
        active: recording(bot.digest, bot.profile),
        recordings_count: 1,
      }
    else if (slot < 15) {
      const other = otherDigest(bot.digest)
      snapshot = {
        ...base,
        status: 'in_call_recording',
        newest_recording_id: `rec-${i}`,
        active: recording(other.digest, other.profile),
        recordings_count: 2,
      }
    } else if (slot === 15)
      snapshot = {
        ...base,
        status: 'in_call_recording',
        newest_recording_id: `rec-${i}`,
        active: recording(null, null),
        recordings_count: 1,
        recording_config: {transcript: null, metadata: {team: 'bench'}},
      }
    else if (slot < 18) snapshot = {...base, status: 'joining_call'}
    else if (slot === 18) snapshot = {...base, status: 'call_ended'}
    else snapshot = {...base, found: false, status: null, metadata: {}}
    snapshots.set(bot.bot_id, snapshot)
  })
  return snapshots
}

const stages = {}
const time = async (name, fn) => {
  const started = performance.now()
  const value = await fn()
  stages[name] = performance.now() - started
  return value
}

const cpuBefore = process.cpuUsage()
const loaded = await time('load', () => readProject(dir))
const validated = await time('validate', () => validateProject(loaded, {env, unset: 'error'}))
const resolved = await time('resolve', () => resolveProject(validated))
const claimed = await time('claim', () => claimBots(resolved.assignments, new Map()))
// Synthetic refresh output, not timed (it stands in for the network).
const profiles = resolved.profiles
const byDigest = new Map(resolved.assignments.map((a) => [a.digest, a]))
const otherDigest = (digest) => {
  const mine = byDigest.get(digest)
  const other = profiles[(profiles.findIndex((p) => p.name === mine?.profile) + 1) % profiles.length]
  return {digest: other.digest, profile: other.name}
}
const snapshots = snapshotsFor(claimed.desired, otherDigest)
const plan = await time('diff', () =>
  buildPlan({
    desired: claimed.desired,
    snapshots,
    context: {bodiesByDigest: knownBodies(resolved), env},
    diagnostics: [...resolved.diagnostics, ...claimed.diagnostics],
    ignoreMissing: true,
    base_url: 'https://us-east-1.recall.ai',
    created_at: new Date(0).toISOString(),
    tool_version: 'bench',
  }),
)
const cpu = process.cpuUsage(cpuBefore)
const totalMs = Object.values(stages).reduce((a, b) => a + b, 0)
const errors = resolved.diagnostics.filter((d) => d.severity === 'error')
process.stdout.write(
  `${JSON.stringify({
    stages,
    totalMs,
    /** User + system CPU of the whole process over the stages (GC threads included; snapshot building too). */
    cpuMs: (cpu.user + cpu.system) / 1000,
    importMs,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    profiles: resolved.profiles.length,
    assignments: resolved.assignments.length,
    desired: claimed.desired.length,
    summary: plan.summary,
    errors: errors.slice(0, 5).map((d) => `${d.file}:${d.line} ${d.message}`),
    errorCount: errors.length,
  })}\n`,
)
