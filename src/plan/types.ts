import type {Diagnostic} from '../shared/diagnostics.js'

/** What recallctl will do for one bot. Only `start` and `restart` make a call. */
export type Action = 'start' | 'restart' | 'noop' | 'pending' | 'completed' | 'blocked' | 'missing' | 'unknown'

export const ACTIONS: readonly Action[] = ['start', 'restart', 'noop', 'pending', 'completed', 'blocked', 'missing', 'unknown']
export const CHANGE_ACTIONS: readonly Action[] = ['start', 'restart']

/** What refresh saw on the bot when the plan was made. Apply compares it to detect a stale plan. */
export interface ObservedState {
  /** Last `status_changes` code; null when the bot is missing. */
  status: string | null
  /** Id of the bot's newest recording, active or not (it feeds the idempotency key). */
  newest_recording_id: string | null
  /** Id of the active recording (processing or paused, bot in the call). */
  active_recording_id: string | null
  /** `recallctl_digest` on the active recording, when recallctl started it. */
  active_digest: string | null
  /** `recallctl_profile` on the active recording, when recallctl started it. */
  active_profile: string | null
}

export interface PlannedChange {
  bot_id: string
  profile: string
  /** Where the bot is assigned: `recordings/sales.yaml:12`. */
  assignment: string
  action: Action
  /** A sentence: why this action. */
  reason: string
  /** The running recording was not started by recallctl but matches the desired body. */
  adopted: boolean
  before: ObservedState
  after: {
    digest: string
    /** The complete explicit body, secrets redacted. Never sent as is: apply re-resolves it. */
    body: Record<string, unknown>
  }
  /** For restarts: top-level body fields that differ from the running recording's profile, when known. */
  fields_changed: string[]
  /** For restarts: the redacted body of the profile recorded on the running recording, when known. */
  previous_body?: Record<string, unknown> | null
  /**
   * For restarts whose previous body is known: what changes, field by field, nested (values redacted).
   * Not part of the plan digest (it follows from the two digests).
   */
  field_diff?: FieldDiff | null
}

/** One value of the body that changes, at a path such as `retention.hours` or `realtime_endpoints[1]`. */
export interface FieldChange {
  path: string
  kind: 'changed' | 'added' | 'removed'
  /** Redacted; absent when the value is added. */
  before?: unknown
  /** Redacted; absent when the value is removed. */
  after?: unknown
  /** True when the two sides differ only in what redaction hides (a secret or an `${env:}` reference). */
  redacted_difference?: boolean
}

/** A body compared with the one before it: the changed values, and how many values around them did not change. */
export interface FieldDiff {
  changes: FieldChange[]
  /** Values at the shown levels that are equal on both sides (shown as "N unchanged fields hidden"). */
  unchanged: number
}

export interface DriftEntry {
  bot_id: string
  recording_id: string
  reason: string
}

export type Summary = Record<Action, number>

/** The plan: computed once, rendered many ways, saved as JSON (format_version 1). */
export interface Plan {
  format_version: 1
  tool_version: string
  created_at: string
  /** `v1:` + hash over changes[] (bot, action, desired digest, observed state). */
  plan_digest: string
  workspace: {base_url: string}
  summary: Summary
  changes: PlannedChange[]
  drift: DriftEntry[]
  diagnostics: Diagnostic[]
  /** The --target/--exclude values the plan was made with; absent when it covers every assignment. */
  scope?: PlanScope
}

export interface PlanScope {
  targets: string[]
  excludes: string[]
}
