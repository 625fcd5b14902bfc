// Apply of a saved plan at Recall's rate limits against a standalone sandbox: per-endpoint limits,
// one shared bucket, and a second client using part of the budget. Drives the real CLI.
import path from 'node:path'
import {botId, seconds, sleep, tallyRequests} from './lib.mjs'
import {applyJson, cliEnv, inCallSeeds, planToFile, writeSandboxProject} from './sandbox-project.mjs'

export const RECALL_LIMITS = {retrieve_bot: 300, start_recording: 300, list_bots: 60, shared_bot: 300}
const NO_LIMITS = {retrieve_bot: false, start_recording: false, list_bots: false, shared_bot: false}
/** recallctl's limiter during the untimed plan step (the sandbox's limits are off then). */
const FAST_CLIENT_WINDOW_MS = 100

/** The time a run of `calls` calls on one endpoint limited to `limit` per `windowMs` cannot beat. */
export const boundMs = (calls, limit, windowMs) => (Math.ceil(calls / limit) - 1) * windowMs

const groupOf = (entry) =>
  entry.method === 'POST' && entry.path.endsWith('/start_recording/')
    ? 'start_recording'
    : entry.method === 'GET' && /^\/api\/v1\/bot\/[^/?]+\/$/.test(entry.path)
      ? 'retrieve_bot'
      : 'list_bots'

/**
 * Checks from the sandbox's request log that every 429 recallctl received was waited out: the next
 * attempt of the same call came no sooner than the Retry-After the sandbox sent. Retry-After is
 * rebuilt from the log the way the sandbox computes it (whole seconds until the oldest admitted
 * request in the window leaves it).
 */
export function retryAfterCheck(log, {windowMs, limits, sharedBucket, ours}) {
  const bucketOf = (group) => (sharedBucket && group !== 'list_bots' ? 'shared_bot' : group)
  const admitted = new Map()
  for (const entry of log) {
    if (entry.status === 429 || entry.status === null) continue
    const bucket = bucketOf(groupOf(entry))
    if (!admitted.has(bucket)) admitted.set(bucket, [])
    admitted.get(bucket).push(Date.parse(entry.time))
  }
  let checked = 0
  let early = 0
  let unknown = 0
  let minSlackMs = Infinity
  for (const [index, entry] of log.entries()) {
    if (entry.status !== 429 || !ours(entry)) continue
    const at = Date.parse(entry.time)
    const bucket = bucketOf(groupOf(entry))
    const limit = limits[bucket]
    const inWindow = (admitted.get(bucket) ?? []).filter((t) => t > at - windowMs && t <= at)
    const next = log.slice(index + 1).find((e) => e.method === entry.method && e.path === entry.path)
    if (inWindow.length < limit || next === undefined) {
      unknown++
      continue
    }
    const retryAfterMs = Math.max(1, Math.ceil((inWindow[0] + windowMs - at) / 1000)) * 1000
    const slack = Date.parse(next.time) - at - retryAfterMs
    checked++
    minSlackMs = Math.min(minSlackMs, slack)
    if (slack < -50) early++
  }
  return {checked, early, unknown, minSlackMs: checked ? minSlackMs : null}
}

/** Every planned bot's newest recording carries the digest the plan wanted. */
async function converged(sandbox, plan) {
  const byId = new Map((await sandbox.control.bots()).map((bot) => [bot.id, bot]))
  let ok = 0
  for (const change of plan.changes) {
    const newest = byId.get(change.bot_id)?.recordings?.at(-1)
    if (newest?.metadata?.recallctl_digest === change.after.digest) ok++
  }
  return ok
}

/**
 * A client that is not recallctl, using `perWindow` requests per window on each of retrieve_bot and
 * start_recording, evenly spaced, on its own bots. It does not retry: a 429 is its loss.
 */
function backgroundClient(sandbox, {perWindow, windowMs, bots}) {
  let stopped = false
  const statuses = {}
  const headers = {authorization: `Token ${sandbox.apiKey}`}
  const body = JSON.stringify({transcript: null})
  const loop = async (call) => {
    const every = windowMs / perWindow
    const started = performance.now()
    for (let n = 0; !stopped; n++) {
      const wait = started + n * every - performance.now()
      if (wait > 0) await sleep(wait)
      if (stopped) break
      call(n)
        .then((response) => {
          statuses[response.status] = (statuses[response.status] ?? 0) + 1
          return response.arrayBuffer()
        })
        .catch(() => (statuses.error = (statuses.error ?? 0) + 1))
    }
  }
  const id = (n) => bots[n % bots.length]
  const loops = [
    loop((n) => fetch(`${sandbox.url}/api/v1/bot/${id(n)}/`, {headers})),
    loop((n) =>
      fetch(`${sandbox.url}/api/v1/bot/${id(n)}/start_recording/`, {
        method: 'POST',
        headers: {...headers, 'content-type': 'application/json'},
        body,
      }),
    ),
  ]
  return {
    statuses,
    async stop() {
      stopped = true
      await Promise.all(loops)
    },
  }
}

/**
 * One scenario: seed `bots` bots in the call, plan them with the sandbox's limits off (not timed),
 * then apply the saved plan at the limits and measure.
 */
export async function applySavedPlan(
  sandbox,
  {bots, windowMs, sharedBucket = false, clientLimits = RECALL_LIMITS, sandboxLimits = RECALL_LIMITS, background, log = () => {}},
) {
  const ids = Array.from({length: bots}, (_, i) => botId('a0000000', i))
  const otherBots = background ? Array.from({length: 100}, (_, i) => botId('c0000000', i)) : []
  await sandbox.control.reset([
    ...inCallSeeds('a0000000', bots),
    ...(background ? inCallSeeds('c0000000', 100, {team: 'other'}) : []),
  ])
  const dir = await writeSandboxProject({
    url: sandbox.url,
    rateLimits: {
      start_recording: clientLimits.start_recording,
      retrieve_bot: clientLimits.retrieve_bot,
      list_bots: clientLimits.list_bots,
    },
    bots: ids,
  })
  await sandbox.control.setRateLimits({limits: NO_LIMITS})
  const {plan} = await planToFile(dir, cliEnv(sandbox, FAST_CLIENT_WINDOW_MS))
  if (plan.summary.start !== bots) throw new Error(`the plan should start ${bots} bots; it says ${JSON.stringify(plan.summary)}`)

  // Real limits from an empty window; the log from here on is the apply's.
  await sandbox.control.setRateLimits({window_ms: windowMs, shared_bucket: sharedBucket, limits: sandboxLimits})
  await sandbox.control.clearRequests()
  let other
  if (background) {
    other = backgroundClient(sandbox, {perWindow: background.perWindow, windowMs, bots: otherBots})
    // The other client is already running when the apply starts, as in a live workspace.
    await sleep(background.leadMs ?? 0)
  }
  log(
    `apply of ${bots} bots: window ${seconds(windowMs)}${sharedBucket ? ', shared bucket' : ''}${background ? `, another client at ${background.perWindow}/window` : ''}...`,
  )
  const applied = await applyJson(dir, cliEnv(sandbox, windowMs === 60_000 ? undefined : windowMs), path.join(dir, 'plan.json'))
  await other?.stop()
  const requests = await sandbox.control.requests()
  const mine = new Set(ids)
  const ours = (entry) => mine.has(entry.path.split('/')[4])
  const tally = tallyRequests(requests.filter(ours))
  const retries = applied.rateLimitedEvents.length + applied.retryEvents.length
  return {
    ms: applied.ms,
    summary: applied.summary,
    tally,
    retries,
    converged: await converged(sandbox, plan),
    retryAfter: retryAfterCheck(requests, {windowMs, limits: sandboxLimits, sharedBucket, ours}),
    background: other ? {statuses: other.statuses, requests: requests.length - requests.filter(ours).length} : undefined,
    dir,
  }
}
