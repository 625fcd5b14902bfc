import {ACTIONS, type Plan, type PlannedChange, type DriftEntry, type Summary} from '../plan/types.js'
import {missingSnapshot, type BotSnapshot} from '../refresh/snapshot.js'
import type {DesiredBot} from '../resolve/types.js'
import {sortDiagnostics, type Diagnostic} from '../shared/diagnostics.js'
import {valueDigest} from '../shared/digest.js'
import {diffBot, type DiffContext} from './diff-bot.js'

export interface PlanInput {
  desired: readonly DesiredBot[]
  /** Snapshots by bot id; a desired bot without one is treated as missing. */
  snapshots: ReadonlyMap<string, BotSnapshot>
  context: DiffContext
  diagnostics: readonly Diagnostic[]
  /** Missing bots are warnings instead of errors. */
  ignoreMissing: boolean
  base_url: string
  created_at: string
  tool_version: string
}

/** desired vs snapshots → the Plan value (pure; inputs are not mutated). */
export function buildPlan(input: PlanInput): Plan {
  const changes: PlannedChange[] = []
  const drift: DriftEntry[] = []
  const diagnostics: Diagnostic[] = [...input.diagnostics]
  for (const desired of input.desired) {
    const snapshot = input.snapshots.get(desired.bot_id) ?? missingSnapshot(desired.bot_id)
    const result = diffBot(desired, snapshot, input.context)
    changes.push(result.change)
    if (result.drift) drift.push(result.drift)
    if (result.change.action === 'missing')
      diagnostics.push({
        severity: input.ignoreMissing ? 'warning' : 'error',
        code: 'bot_missing',
        message: `bot ${desired.bot_id} (assignment ${desired.assignment}) does not exist in this workspace and region (404). Check the id and api.region${input.ignoreMissing ? '' : ', remove it from the assignment, or pass --ignore-missing'}.`,
        ...desired.location,
        address: {profile: desired.profile, assignment: desired.assignment, bot: desired.bot_id},
      })
    // A bot refresh could not read already has its error; only a status we do not know needs a word.
    if (result.change.action === 'unknown' && snapshot.status !== null)
      diagnostics.push({
        severity: 'warning',
        code: 'unknown_status',
        message: `bot ${desired.bot_id} has status "${snapshot.status}", which this version of recallctl does not know: it is left alone. A newer recallctl may handle it.`,
        ...desired.location,
        address: {profile: desired.profile, assignment: desired.assignment, bot: desired.bot_id},
      })
  }
  changes.sort((a, b) => a.profile.localeCompare(b.profile) || a.bot_id.localeCompare(b.bot_id))
  drift.sort((a, b) => a.bot_id.localeCompare(b.bot_id))
  return {
    format_version: 1,
    tool_version: input.tool_version,
    created_at: input.created_at,
    plan_digest: planDigest(changes),
    workspace: {base_url: input.base_url},
    summary: summarize(changes),
    changes,
    drift,
    diagnostics: sortDiagnostics(diagnostics),
  }
}

export function summarize(changes: readonly PlannedChange[]): Summary {
  const summary = Object.fromEntries(ACTIONS.map((action) => [action, 0])) as Summary
  for (const change of changes) summary[change.action] += 1
  return summary
}

/** Over what apply must reproduce exactly: each bot's action, desired digest and observed state. */
export function planDigest(changes: readonly PlannedChange[]): string {
  return valueDigest(changes.map((c) => ({bot_id: c.bot_id, action: c.action, digest: c.after.digest, before: c.before})))
}
