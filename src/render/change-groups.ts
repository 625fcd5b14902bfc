import type {DriftEntry, FieldDiff, Plan, PlannedChange} from '../plan/types.js'

/**
 * The changes of a plan grouped by (action, profile, previous digest → desired digest): bots in one group
 * get the same call with the same body, so a renderer shows the body or the field diff once, then the
 * bots. Restarts come first (they need a reviewer's attention), then starts, each in plan order.
 */
export interface ChangeGroup {
  action: 'start' | 'restart'
  profile: string
  /** The digest on the running recording: null for a start, or a recording recallctl did not start. */
  previousDigest: string | null
  digest: string
  /** The desired body, redacted (what every bot of the group is sent, secrets substituted then). */
  body: Record<string, unknown>
  /** Field by field against the previous body; null when that body is unknown. */
  fieldDiff: FieldDiff | null
  /** When the previous body is unknown: the top-level fields diff still saw differ (e.g. `metadata`). */
  fieldsChanged: string[]
  /** The running recordings were not started by recallctl. */
  drift: boolean
  /** The group's reason when every bot has the same one, else a sentence for them all. */
  reason: string
  changes: PlannedChange[]
}

/** Starts and restarts, grouped. Other actions are listed per bot by the renderers. */
export function changeGroups(plan: Plan): ChangeGroup[] {
  const drifted = new Set(plan.drift.map((d) => d.bot_id))
  const groups = new Map<string, ChangeGroup>()
  for (const action of ['restart', 'start'] as const)
    for (const change of plan.changes) {
      if (change.action !== action) continue
      const drift = drifted.has(change.bot_id)
      const fieldDiff = change.field_diff ?? null
      const previousDigest = action === 'start' ? null : change.before.active_digest
      // Bots whose previous body is unknown may still differ in what diff could see (metadata): say it per group.
      const unknownFields = fieldDiff === null ? change.fields_changed.join(',') : ''
      const key = JSON.stringify([action, change.profile, previousDigest, drift, change.after.digest, unknownFields])
      let group = groups.get(key)
      if (group === undefined) {
        group = {
          action,
          profile: change.profile,
          previousDigest,
          digest: change.after.digest,
          body: change.after.body,
          fieldDiff,
          fieldsChanged: fieldDiff === null ? [...change.fields_changed] : [],
          drift,
          reason: change.reason,
          changes: [],
        }
        groups.set(key, group)
      } else if (group.reason !== change.reason) group.reason = sharedReason(group)
      group.changes.push(change)
    }
  return [...groups.values()]
}

function sharedReason(group: ChangeGroup): string {
  if (group.action === 'start') return 'the bots are in the call and not recording'
  if (group.drift) return 'the running recordings were started outside recallctl and do not match the desired body'
  return `the running recordings were started with digest ${group.previousDigest ?? 'unknown'}; the desired body differs`
}

/** Drift entries whose bot is not already shown in a restart group (listed once, not twice). */
export function driftNotInGroups(plan: Plan, groups: readonly ChangeGroup[]): DriftEntry[] {
  const shown = new Set(groups.filter((g) => g.drift).flatMap((g) => g.changes.map((c) => c.bot_id)))
  return plan.drift.filter((d) => !shown.has(d.bot_id))
}

/** How many bots a group lists by id before it collapses the rest. */
export const MAX_LISTED_GROUP_BOTS = 20
