import {planDigest, summarize} from '../diff/build-plan.js'
import {diffBot, observedStateOf, type DiffContext} from '../diff/diff-bot.js'
import {matchesSelector} from '../refresh/claim.js'
import {CHANGE_ACTIONS, ACTIONS, type ObservedState, type Plan, type PlannedChange} from '../plan/types.js'
import {scopeOfTargets, unassignedExcludes, type ReadScope} from '../refresh/scope.js'
import {missingSnapshot, type BotSnapshot} from '../refresh/snapshot.js'
import type {ResolvedAssignment, ResolvedProject} from '../resolve/types.js'
import type {Diagnostic} from '../shared/diagnostics.js'
import {callsFromPlan, type ApplyGuards, type PlannedCall, type Refusal} from './plan-to-calls.js'
import {alreadyAppliedReason, staleReason} from './stale.js'

/**
 * A saved plan file is untrusted input (pure checks; the caller does the reads). Anyone who can edit the
 * file can change an action, add a bot or delete an error, and `plan_digest` is a hash anyone can
 * recompute. So apply trusts nothing in it that it can work out again:
 *
 * 1. before any read (`checkSavedPlan`): the digest is recomputed from the changes (and is what
 *    `--expect-digest` is compared with), the summary is recounted, each bot appears once, the file's
 *    bots are the ones the config assigns within the file's scope (every explicit id, none other), and
 *    each bot's profile and desired digest are what the config resolves to now;
 * 2. after re-reading every bot (`checkSavedPlanAgainstBots`): match selectors are evaluated on the bot
 *    as read, conflicts are found again, and each bot's action is recomputed with the same diff stage
 *    plan uses. A bot whose observed state did not change must get exactly the file's action; one whose
 *    state moved is stale (skipped), as the execute stage would find it.
 *
 * Any mismatch refuses the whole file before the first write, naming each bot and field.
 */

/** Refusals of one kind listed bot by bot, up to this many; the rest are counted. */
const MAX_LISTED_PER_CODE = 10

export interface SavedPlanCheck {
  calls: PlannedCall[]
  refusals: Refusal[]
  /** The bots to re-read before the second check (every bot of the file, and excluded ids to confirm). */
  readIds: string[]
}

/** The checks that need no read. */
export function checkSavedPlan(plan: Plan, resolved: ResolvedProject, guards: ApplyGuards): SavedPlanCheck {
  // The reviewed digest is compared with the recomputed one below, not with the file's claim.
  const base = callsFromPlan(plan, resolved, {...guards, expectDigest: undefined})
  // callsFromPlan's coarse "config changed" is replaced by the per-bot, per-field findings below.
  const refusals: Refusal[] = base.refusals.filter((r) => r.code !== 'config_changed')

  const recomputed = planDigest(plan.changes)
  if (recomputed !== plan.plan_digest)
    refusals.push({
      code: 'plan_digest_mismatch',
      message: `plan_digest: the file says ${plan.plan_digest}, but its changes digest to ${recomputed}, so the file was edited after \`recallctl plan\` wrote it. Make the plan again.`,
      bots: [],
    })
  if (guards.expectDigest !== undefined && guards.expectDigest !== recomputed)
    refusals.push({
      code: 'digest_mismatch',
      message: `--expect-digest: the plan file's changes digest to ${recomputed}, not the reviewed ${guards.expectDigest} (the digest is recomputed from the file, never taken from it). Apply only what was reviewed, or make and review the plan again.`,
      bots: [],
    })

  const counted = summarize(plan.changes)
  const wrongCounts = ACTIONS.filter((action) => plan.summary[action] !== counted[action])
  if (wrongCounts.length > 0)
    refusals.push({
      code: 'summary_mismatch',
      message: `summary: ${wrongCounts.map((a) => `${a} is ${plan.summary[a]} in the file, but its changes hold ${counted[a]}`).join('; ')}. The file was edited: make the plan again.`,
      bots: [],
    })

  const seen = new Set<string>()
  for (const change of plan.changes) {
    if (seen.has(change.bot_id))
      refusals.push({
        code: 'duplicate_bot',
        message: `bot ${change.bot_id}: the file has more than one change for it. The file was edited: make the plan again.`,
        bots: [change.bot_id],
      })
    seen.add(change.bot_id)
  }

  const {scope, index, diagnostics} = fileScope(plan, resolved)
  for (const d of diagnostics)
    if (d.severity === 'error') refusals.push({code: d.code, message: `the plan's scope: ${d.message}`, bots: []})

  // Every bot the config lists explicitly (within the plan's scope) has a change in the file.
  for (const [id, assignment] of index.owners)
    if (!seen.has(id))
      refusals.push({
        code: 'bot_not_in_file',
        message: `bot ${id}: the config assigns it (${assignment.label}, profile "${assignment.profile}"), but the plan file has no change for it. Make the plan again.`,
        bots: [id],
      })
  for (const id of scope.probeIds)
    if (!seen.has(id))
      refusals.push({
        code: 'bot_not_in_file',
        message: `bot ${id}: the plan was made with --target ${id}, but the file has no change for it. Make the plan again.`,
        bots: [id],
      })

  // Every bot of the file is one the config assigns, with the profile and desired digest it resolves to now.
  for (const change of plan.changes) {
    // The explicit owner, and the selectors that could also claim the bot (which one does, and whether
    // two do, is settled once the bot is read again).
    const owner = index.owners.get(change.bot_id)
    const candidates = [...(owner ? [owner] : []), ...index.selectorsFor(change.bot_id)]
    const first = candidates[0]
    if (!first)
      refusals.push({
        code: 'bot_not_assigned',
        message: `bot ${change.bot_id}: the config does not assign it (no assignment${plan.scope ? " in the plan's scope" : ''} lists it and no match selector could claim it), yet the plan file has a change for it. The file was edited: make the plan again.`,
        bots: [change.bot_id],
      })
    else if (!candidates.some((a) => fieldsThatDiffer(change, a) === undefined))
      refusals.push({
        code: 'config_changed',
        message: `bot ${change.bot_id}: the config changed since the plan was made (or the file was edited): ${fieldsThatDiffer(change, first)}. Make the plan again.`,
        bots: [change.bot_id],
      })
  }

  return {
    calls: base.calls,
    refusals: capped(refusals),
    readIds: [...new Set([...plan.changes.map((c) => c.bot_id), ...scope.excludeProbeIds])],
  }
}

export interface BotsReadAgain {
  /** Every bot of `readIds`, as read now (a 404 is a missing snapshot). */
  snapshots: ReadonlyMap<string, BotSnapshot>
  /** Problems reading them (the refresh stage's diagnostics). */
  diagnostics: readonly Diagnostic[]
}

/**
 * The checks on the bots as read at apply time. `stale` holds the planned calls to skip, with why;
 * `alreadyApplied` those whose bot moved into exactly the planned state (no call is needed).
 */
export function checkSavedPlanAgainstBots(
  plan: Plan,
  resolved: ResolvedProject,
  read: BotsReadAgain,
  context: DiffContext,
): {refusals: Refusal[]; stale: Map<string, string>; alreadyApplied: Map<string, string>} {
  const refusals: Refusal[] = []
  const stale = new Map<string, string>()
  const alreadyApplied = new Map<string, string>()
  for (const d of read.diagnostics)
    if (d.severity === 'error')
      refusals.push({code: d.code, message: `a bot could not be read again to verify the plan file: ${d.message}`, bots: []})

  const {scope, index} = fileScope(plan, resolved)
  for (const d of unassignedExcludes(scope.excludeProbeIds, resolved.assignments, read.snapshots))
    refusals.push({code: d.code, message: `the plan's scope: ${d.message}`, bots: []})

  for (const change of plan.changes) {
    const snapshot = read.snapshots.get(change.bot_id) ?? missingSnapshot(change.bot_id)
    const now = observedStateOf(snapshot)
    const moved = movedFields(change.before, now)
    const isCall = CHANGE_ACTIONS.includes(change.action)
    const claimants = index.claimants(change.bot_id, snapshot)

    if (claimants.length > 1) {
      const [first, second] = claimants as [ResolvedAssignment, ResolvedAssignment]
      refusals.push({
        code: 'bot_conflict',
        message: `bot ${change.bot_id} is claimed by two assignments: ${first.label} (profile "${first.profile}") and ${second.label} (profile "${second.profile}"). Apply refuses until only one of them selects it.`,
        bots: [change.bot_id],
      })
      continue
    }
    const claimant = claimants[0]
    if (!claimant) {
      if (moved.length > 0) {
        if (isCall)
          stale.set(
            change.bot_id,
            `${movedReason(change.before, now, moved)} since the plan was made, and no assignment selects it any more`,
          )
        continue
      }
      refusals.push({
        code: 'bot_not_claimed',
        message: `bot ${change.bot_id}: no assignment claims it (no match selector matches the bot as read now), and the bot has not changed since the plan: the file was edited. Make the plan again.`,
        bots: [change.bot_id],
      })
      continue
    }
    const differs = fieldsThatDiffer(change, claimant)
    if (differs) {
      refusals.push({
        code: 'config_changed',
        message: `bot ${change.bot_id}: the config changed since the plan was made (or the file was edited): ${differs}. Make the plan again.`,
        bots: [change.bot_id],
      })
      continue
    }

    const desired = {
      bot_id: change.bot_id,
      profile: claimant.profile,
      assignment: claimant.label,
      location: claimant.location,
      body: claimant.body,
      digest: claimant.digest,
    }
    const recomputed = diffBot(desired, snapshot, context).change
    // A bot that moved is never called on the plan's facts, even when its action came out the same: that
    // read may stand in for execute's re-read (execute.ts), and the call's idempotency key is built from
    // the newest recording the plan saw.
    if (moved.length > 0) {
      // Started since the plan with the planned body (an earlier run of this apply): done, not stale.
      if (isCall && recomputed.action === 'noop' && now.active_digest === change.after.digest)
        alreadyApplied.set(change.bot_id, alreadyAppliedReason(change.after.digest))
      else if (isCall)
        stale.set(
          change.bot_id,
          `${movedReason(change.before, now, moved)} since the plan was made (its action is now ${recomputed.action})`,
        )
      continue
    }
    if (recomputed.action === change.action) continue
    refusals.push({
      code: 'action_mismatch',
      message: `bot ${change.bot_id}: action is "${change.action}" in the file, but the config and the bot as read now give "${recomputed.action}" (${recomputed.reason}), and the bot has not changed since the plan: the file was edited. Make the plan again.`,
      bots: [change.bot_id],
    })
  }
  return {refusals: capped(refusals), stale, alreadyApplied}
}

/** The scope the plan was made with, against the config as it is now, indexed for lookups by bot. */
function fileScope(plan: Plan, resolved: ResolvedProject): {scope: ReadScope; index: ScopeIndex; diagnostics: Diagnostic[]} {
  const {scope, diagnostics} = scopeOfTargets(
    resolved.profiles.map((p) => p.name),
    resolved.assignments,
    {targets: plan.scope?.targets ?? [], excludes: plan.scope?.excludes ?? []},
  )
  return {scope, index: indexScope(scope), diagnostics}
}

interface ScopeIndex {
  /** Each explicitly listed bot in scope, with the first assignment (in file order) that lists it. */
  owners: Map<string, ResolvedAssignment>
  /** The match assignments that could claim this bot in this scope (listed, or probed for a targeted id). */
  selectorsFor(botId: string): ResolvedAssignment[]
  /** Every assignment that claims the bot as read now, in file order (the first one wins, as in plan). */
  claimants(botId: string, snapshot: BotSnapshot): ResolvedAssignment[]
}

function indexScope(scope: ReadScope): ScopeIndex {
  const owners = new Map<string, ResolvedAssignment>()
  const order = new Map<ResolvedAssignment, number>()
  scope.assignments.forEach((assignment, i) => {
    order.set(assignment, i)
    const selector = assignment.selector
    if (selector.kind === 'bots') for (const id of selector.bots) if (!owners.has(id)) owners.set(id, assignment)
  })
  const listed = new Set(scope.listed)
  const probed = new Set(scope.probed)
  const probeIds = new Set(scope.probeIds)
  const selectors = scope.assignments.filter((a) => a.selector.kind === 'match')
  const selectorsFor = (botId: string) =>
    selectors.filter((a) => !scope.excluded(botId, a.profile) && (listed.has(a) || (probed.has(a) && probeIds.has(botId))))
  return {
    owners,
    selectorsFor,
    claimants(botId, snapshot) {
      const matching = selectorsFor(botId).filter(
        (a) => a.selector.kind === 'match' && snapshot.found && matchesSelector(snapshot, a.selector),
      )
      const owner = owners.get(botId)
      return [...(owner ? [owner] : []), ...matching].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0))
    },
  }
}

/** The profile and desired digest the file gives a bot, against the assignment that claims it now. */
function fieldsThatDiffer(change: PlannedChange, assignment: ResolvedAssignment): string | undefined {
  const where = `${assignment.label}`
  const parts: string[] = []
  if (change.profile !== assignment.profile)
    parts.push(`profile is "${change.profile}" in the file, but "${assignment.profile}" in the config (${where})`)
  if (change.after.digest !== assignment.digest)
    parts.push(`after.digest is ${change.after.digest} in the file, but the config (${where}) resolves to ${assignment.digest}`)
  return parts.length > 0 ? parts.join('; ') : undefined
}

const STATE_FIELDS = ['status', 'newest_recording_id', 'active_recording_id', 'active_digest', 'active_profile'] as const

/** The observed-state fields that changed since the plan, as `field a → b`. */
function movedFields(planned: ObservedState, now: ObservedState): string[] {
  return STATE_FIELDS.filter((field) => planned[field] !== now[field]).map(
    (field) => `${field} ${planned[field] ?? 'none'} → ${now[field] ?? 'none'}`,
  )
}

/** Why a bot counts as moved, in the words the execute stage's stale check uses when it has some. */
function movedReason(planned: ObservedState, now: ObservedState, moved: readonly string[]): string {
  return staleReason(planned, now) ?? `its state changed (${moved.join(', ')})`
}

/** At most MAX_LISTED_PER_CODE refusals of each kind, then one line counting the rest. */
function capped(refusals: readonly Refusal[]): Refusal[] {
  const byCode = new Map<string, Refusal[]>()
  for (const refusal of refusals) {
    const list = byCode.get(refusal.code)
    if (list) list.push(refusal)
    else byCode.set(refusal.code, [refusal])
  }
  return [...byCode.entries()].flatMap(([code, list]) => {
    if (list.length <= MAX_LISTED_PER_CODE) return list
    const rest = list.slice(MAX_LISTED_PER_CODE)
    return [
      ...list.slice(0, MAX_LISTED_PER_CODE),
      {code, message: `…and ${rest.length} more like the above (${code}).`, bots: rest.flatMap((r) => r.bots)},
    ]
  })
}
