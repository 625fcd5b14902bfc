import type {ObservedState, Plan, PlannedChange} from '../plan/types.js'
import type {ResolvedAssignment, ResolvedProject} from '../resolve/types.js'
import type {CompleteStartRecordingBody} from '../recall/body-schema.js'

/** One start_recording call apply will make (the body is the template: `${env:}` as written). */
export interface PlannedCall {
  bot_id: string
  action: 'start' | 'restart'
  profile: string
  assignment: string
  digest: string
  body: CompleteStartRecordingBody
  before: ObservedState
  /** Set when verifying a saved plan found the bot moved since the plan: why it is skipped as stale. */
  stale?: string
  /** Set when it moved into exactly the planned state (it records the planned digest): no call is needed. */
  already_applied?: string
  /**
   * When verifying a saved plan read the bot in the state `before` describes (ms since the epoch). A read
   * this recent stands in for execute's re-read (see ExecuteOptions.freshForMs).
   */
  read_at?: number
}

export interface ApplyGuards {
  allowRestart: boolean
  ignoreMissing: boolean
  /** `--expect-digest`: the plan digest that was reviewed. */
  expectDigest?: string | undefined
}

export type Refusal = {code: string; message: string; bots: string[]}

/**
 * The calls of a plan, checked against the config as it resolves now (pure). Everything that makes
 * apply refuse is decided here, before any call: the reviewed digest, a config that changed since
 * the plan, errors in the plan (a missing bot, a bot claimed twice), and restarts not allowed.
 */
export function callsFromPlan(
  plan: Plan,
  resolved: ResolvedProject,
  guards: ApplyGuards,
): {calls: PlannedCall[]; refusals: Refusal[]} {
  const refusals: Refusal[] = []
  if (guards.expectDigest !== undefined && guards.expectDigest !== plan.plan_digest)
    refusals.push({
      code: 'digest_mismatch',
      message: `the plan's digest is ${plan.plan_digest}, not the reviewed ${guards.expectDigest}: apply only what was reviewed. Make and review the plan again.`,
      bots: [],
    })

  const changed: string[] = []
  const calls: PlannedCall[] = []
  for (const change of plan.changes) {
    const assignment = currentAssignment(change, resolved.assignments)
    if (!assignment) {
      changed.push(change.bot_id)
      continue
    }
    if (change.action === 'start' || change.action === 'restart')
      calls.push({
        bot_id: change.bot_id,
        action: change.action,
        profile: change.profile,
        assignment: change.assignment,
        digest: change.after.digest,
        body: assignment.body,
        before: change.before,
      })
  }
  if (changed.length > 0)
    refusals.push({
      code: 'config_changed',
      message: `the config changed since the plan was made: ${listBots(changed)} no longer resolve to the planned digest. Make the plan again.`,
      bots: changed,
    })

  const missing = plan.changes.filter((c) => c.action === 'missing').map((c) => c.bot_id)
  if (missing.length > 0 && !guards.ignoreMissing)
    refusals.push({
      code: 'bot_missing',
      message: `${listBots(missing)} do not exist in this workspace (404). Fix the assignments, or pass --ignore-missing to skip them.`,
      bots: missing,
    })
  const blocking = plan.diagnostics.filter((d) => d.severity === 'error' && d.code !== 'bot_missing')
  for (const d of blocking) refusals.push({code: d.code, message: d.message, bots: []})

  const restarts = calls.filter((c) => c.action === 'restart').map((c) => c.bot_id)
  if (restarts.length > 0 && !guards.allowRestart)
    refusals.push({
      code: 'restart_not_allowed',
      message: `the plan restarts the running recording of ${listBots(restarts)}, which splits each meeting's media in two. Pass --allow-restart (or set apply.allow_restart: true), or leave them out with --exclude.`,
      bots: restarts,
    })
  return {calls, refusals}
}

/** The assignment that, as the config is now, gives this bot the planned digest. */
function currentAssignment(change: PlannedChange, assignments: readonly ResolvedAssignment[]): ResolvedAssignment | undefined {
  return assignments.find((a) => {
    if (a.digest !== change.after.digest || a.profile !== change.profile) return false
    const selector = a.selector
    return selector.kind === 'match' || selector.bots.includes(change.bot_id)
  })
}

function listBots(ids: readonly string[]): string {
  const shown = ids.slice(0, 10).join(', ')
  return ids.length > 10 ? `bots ${shown} and ${ids.length - 10} more` : ids.length === 1 ? `bot ${shown}` : `bots ${shown}`
}

/** A call the guards keep from being made, with why (watch judges each bot on its own). */
export interface GuardedCall {
  call: PlannedCall
  code: 'restart_not_allowed'
}

/**
 * The per-bot guards (pure): where apply refuses a whole plan that restarts without permission, watch
 * makes the calls that are allowed and leaves each refused bot alone.
 */
export function guardEach(
  calls: readonly PlannedCall[],
  guards: Pick<ApplyGuards, 'allowRestart'>,
): {allowed: PlannedCall[]; refused: GuardedCall[]} {
  const allowed: PlannedCall[] = []
  const refused: GuardedCall[] = []
  for (const call of calls) {
    if (call.action === 'restart' && !guards.allowRestart) refused.push({call, code: 'restart_not_allowed'})
    else allowed.push(call)
  }
  return {allowed, refused}
}
