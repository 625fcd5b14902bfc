// API calls per reconciled bot, counted in the sandbox's request log, and the naive script a user
// would write instead of recallctl, side by side.
import path from 'node:path'
import {botId, distUrl, tallyRequests} from './lib.mjs'
import {RECALL_LIMITS} from './rate-limits.mjs'
import {applyJson, cliEnv, inCallSeeds, planToFile, resolvedProfile, writeSandboxProject} from './sandbox-project.mjs'

const NO_LIMITS = {retrieve_bot: false, start_recording: false, list_bots: false, shared_bot: false}
/** Counts do not depend on timing: the sandbox's limits are off and recallctl's window is short. */
const FAST_CLIENT_WINDOW_MS = 100

const perBot = (tally, bots) => ({
  reads: tally.retrieve_bot / bots,
  writes: tally.start_recording / bots,
  lists: tally.list_bots,
  total: tally.retrieve_bot + tally.start_recording + tally.list_bots + tally.other,
})

/** plan, apply of the saved plan, apply without a plan file, and a re-plan once converged. */
export async function callsPerBot(sandbox, {bots = 300} = {}) {
  const env = cliEnv(sandbox, FAST_CLIENT_WINDOW_MS)
  await sandbox.control.reset([...inCallSeeds('e0000000', bots), ...inCallSeeds('e1000000', bots)])
  await sandbox.control.setRateLimits({limits: NO_LIMITS})
  const saved = await writeSandboxProject({url: sandbox.url, bots: Array.from({length: bots}, (_, i) => botId('e0000000', i))})
  await sandbox.control.clearRequests()
  await planToFile(saved, env)
  const plan = perBot(tallyRequests(await sandbox.control.requests()), bots)

  await sandbox.control.clearRequests()
  const savedApply = await applyJson(saved, env, path.join(saved, 'plan.json'))
  const applySaved = perBot(tallyRequests(await sandbox.control.requests()), bots)

  const direct = await writeSandboxProject({url: sandbox.url, bots: Array.from({length: bots}, (_, i) => botId('e1000000', i))})
  await sandbox.control.clearRequests()
  const directApply = await applyJson(direct, env)
  const applyDirect = perBot(tallyRequests(await sandbox.control.requests()), bots)

  await sandbox.control.clearRequests()
  const {plan: again} = await planToFile(direct, env)
  const replan = perBot(tallyRequests(await sandbox.control.requests()), bots)

  return {
    bots,
    plan,
    applySaved,
    applyDirect,
    replan,
    replanChanges: again.summary.start + again.summary.restart,
    started: savedApply.summary.started + directApply.summary.started,
  }
}

/** Plan for `bots` bots assigned by one `match` selector, among `others` that it must not select. */
export async function matchPlan(sandbox, {bots = 5000, others = 500, pageSize}) {
  const env = cliEnv(sandbox, FAST_CLIENT_WINDOW_MS)
  await sandbox.control.reset([
    ...inCallSeeds('f0000000', bots, {team: 'bench-match'}),
    ...inCallSeeds('f1000000', others, {team: 'other'}),
  ])
  await sandbox.control.setRateLimits({limits: NO_LIMITS})
  const dir = await writeSandboxProject({
    url: sandbox.url,
    match: {metadata: {team: 'bench-match'}, status: ['in_call_not_recording', 'in_call_recording']},
  })
  await sandbox.control.clearRequests()
  const {plan, ms} = await planToFile(dir, env)
  const tally = tallyRequests(await sandbox.control.requests())
  return {
    bots,
    pageSize,
    pagesNeeded: Math.ceil(bots / pageSize),
    listCalls: tally.list_bots,
    reads: tally.retrieve_bot,
    planned: plan.changes.length,
    ms,
  }
}

/**
 * The script a user writes instead: start_recording for every bot at once (Promise.all) with a
 * partial body, no limiter, no retry. Then, per bot, what it is recording with: the body it sent
 * completed with the endpoint's defaults (start_recording does not fall back to the bot's config),
 * compared field by field with the complete body the profile asks for.
 */
export async function naiveScript(sandbox, {bots, windowMs, partialBody}) {
  const {withEndpointDefaults} = await import(distUrl('recall/body-defaults.js'))
  const {canonicalJson} = await import(distUrl('shared/canonical-json.js'))
  const ids = Array.from({length: bots}, (_, i) => botId('d0000000', i))
  await sandbox.control.reset(inCallSeeds('d0000000', bots))
  await sandbox.control.setRateLimits({window_ms: windowMs, shared_bucket: false, limits: RECALL_LIMITS})
  await sandbox.control.clearRequests()
  const dir = await writeSandboxProject({url: sandbox.url, bots: ids})
  const desired = (await resolvedProfile(dir, 'bench')).body

  const headers = {authorization: `Token ${sandbox.apiKey}`, 'content-type': 'application/json'}
  const started = performance.now()
  const statuses = await Promise.all(
    ids.map(async (id) => {
      try {
        const response = await fetch(`${sandbox.url}/api/v1/bot/${id}/start_recording/`, {
          method: 'POST',
          headers,
          body: JSON.stringify(partialBody),
        })
        await response.arrayBuffer()
        return response.status
      } catch {
        return 'error'
      }
    }),
  )
  const ms = performance.now() - started

  const userFields = (body) => ({
    ...body,
    metadata: Object.fromEntries(Object.entries(body.metadata ?? {}).filter(([key]) => !key.startsWith('recallctl_'))),
  })
  const wanted = userFields(desired)
  const fellBack = new Map()
  let started200 = 0
  let onDefaults = 0
  let asDesired = 0
  for (const entry of await sandbox.control.requests()) {
    if (entry.status !== 200) continue
    started200++
    const effective = userFields(withEndpointDefaults(entry.body ?? {}))
    const differing = Object.keys(wanted).filter((field) => canonicalJson(effective[field]) !== canonicalJson(wanted[field]))
    if (differing.length === 0) asDesired++
    else onDefaults++
    for (const field of differing) fellBack.set(field, (fellBack.get(field) ?? 0) + 1)
  }
  const count = (status) => statuses.filter((s) => s === status).length
  return {
    bots,
    ms,
    status429: count(429),
    errors: statuses.filter((s) => s !== 200 && s !== 429).length,
    started: started200,
    onDefaults,
    asDesired,
    notStarted: bots - started200,
    fieldsOnDefaults: [...fellBack.keys()],
  }
}
