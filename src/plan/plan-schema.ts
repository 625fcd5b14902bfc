import {z} from 'zod'
import type {DiagnosticCode} from '../shared/diagnostic-codes.js'

/**
 * The plan, format_version 1: one schema for the value diff builds, every renderer reads, and a saved
 * plan file is parsed with (its types in types.ts are inferred from it). Later recallctl versions may
 * add fields within a format version, so objects accept (and drop) keys they don't know; a renamed or
 * removed field is a new format version.
 */

/** What recallctl will do for one bot. Only `start` and `restart` make a call. */
export const actionSchema = z.enum(['start', 'restart', 'noop', 'pending', 'completed', 'blocked', 'missing', 'unknown'])

const count = z.int().nonnegative()
const nullableString = z.string().max(200).nullable()
/** A saved plan is untrusted input: ids and digests must look exactly like the ones recallctl writes. */
const botId = z
  .string()
  .regex(/^[0-9a-z][0-9a-z-]{0,63}$/, 'is not a bot id as recallctl writes it (lowercase letters, digits and dashes)')
const digest = z.string().regex(/^v[1-9][0-9]*:[0-9a-z]{1,64}$/, 'is not a digest as recallctl writes it (like v1:0123abcd…)')

const location = {file: z.string().optional(), line: z.int().positive().optional(), column: z.int().positive().optional()}

const position = z.object({line: z.int().positive(), column: z.int().positive()})

export const diagnosticSchema = z.object({
  severity: z.enum(['error', 'warning']),
  // A code another recallctl version wrote is kept as written: a saved plan's diagnostics are shown, not acted on.
  code: z.custom<DiagnosticCode>((value) => typeof value === 'string' && value.length <= 100, 'is not a diagnostic code'),
  message: z.string(),
  ...location,
  path: z
    .array(z.union([z.string(), z.number()]))
    .max(64)
    .readonly()
    .optional(),
  range: z.object({start: position, end: position}).optional(),
  snippet: z
    .object({
      line: z.int().positive(),
      text: z.string().max(1000),
      start_column: z.int().positive(),
      end_column: z.int().positive(),
    })
    .optional(),
  address: z.object({profile: z.string(), assignment: z.string(), bot: z.string()}).partial().optional(),
  related: z
    .array(z.object({file: z.string(), line: z.int().positive(), column: z.int().positive(), message: z.string()}))
    .optional(),
})

/** What refresh saw on the bot when the plan was made. Apply compares it to detect a stale plan. */
export const observedStateSchema = z.object({
  /** Last `status_changes` code; null when the bot is missing. */
  status: nullableString,
  /** Id of the bot's newest recording, active or not (it feeds the idempotency key). */
  newest_recording_id: nullableString,
  /** Id of the active recording (processing or paused, bot in the call). */
  active_recording_id: nullableString,
  /** `recallctl_digest` on the active recording, when recallctl started it. */
  active_digest: nullableString,
  /** `recallctl_profile` on the active recording, when recallctl started it. */
  active_profile: nullableString,
})

const body = z.record(z.string(), z.unknown())

/** One value of the body that changes, at a path such as `retention.hours` or `realtime_endpoints[1]`. */
export const fieldChangeSchema = z.object({
  path: z.string(),
  kind: z.enum(['changed', 'added', 'removed']),
  /** Redacted; absent when the value is added. */
  before: z.unknown().optional(),
  /** Redacted; absent when the value is removed. */
  after: z.unknown().optional(),
  /** True when the two sides differ only in what redaction hides (a secret or an `${env:}` reference). */
  redacted_difference: z.boolean().optional(),
})

/** A body compared with the one before it: the changed values, and how many values around them did not change. */
export const fieldDiffSchema = z.object({
  changes: z.array(fieldChangeSchema),
  /** Values at the shown levels that are equal on both sides (shown as "N unchanged fields hidden"). */
  unchanged: count,
})

/**
 * A change as written: `before.body` is the previous body (when known). In memory `before` is only what
 * refresh observed (the plan digest is over it), so the body moves to `previous_body`. A plan written
 * before field diffs existed has no `field_diff`: the reader fills it in (render/json.ts).
 */
export const plannedChangeSchema = z
  .object({
    bot_id: botId,
    profile: z.string().min(1).max(200),
    assignment: z.string(),
    action: actionSchema,
    reason: z.string(),
    adopted: z.boolean(),
    before: observedStateSchema.extend({body: body.nullable().optional()}),
    /** The complete explicit body, secrets redacted. Never sent as is: apply re-resolves it. */
    after: z.object({digest, body}),
    /** For restarts: top-level body fields that differ from the running recording's profile, when known. */
    fields_changed: z.array(z.string()),
    /**
     * For restarts whose previous body is known: what changes, field by field, nested (values redacted).
     * Not part of the plan digest (it follows from the two digests).
     */
    field_diff: fieldDiffSchema.nullable().optional(),
    /** For restarts: the redacted body of the profile recorded on the running recording, when known. */
    previous_body: body.nullable().optional(),
  })
  .transform(({before: {body: written, ...observed}, ...change}) => {
    const previous = change.previous_body ?? written ?? null
    return {...change, before: observed, ...(previous === null ? {} : {previous_body: previous})}
  })

export const driftEntrySchema = z.object({bot_id: z.string(), recording_id: z.string(), reason: z.string()})

export const summarySchema = z.object({
  start: count,
  restart: count,
  noop: count,
  pending: count,
  completed: count,
  blocked: count,
  missing: count,
  unknown: count,
})

/** The plan: computed once, rendered many ways, saved as JSON. */
export const planSchema = z.object({
  format_version: z.literal(1),
  tool_version: z.string(),
  created_at: z.string(),
  /** `v1:` + hash over changes[] (bot, action, desired digest, observed state). */
  plan_digest: digest,
  workspace: z.object({base_url: z.string()}),
  summary: summarySchema,
  changes: z.array(plannedChangeSchema),
  drift: z.array(driftEntrySchema),
  diagnostics: z.array(diagnosticSchema),
  /** The --target/--exclude the plan was made with (absent: every assignment); apply checks the file against it. */
  scope: z.object({targets: z.array(z.string().max(300)), excludes: z.array(z.string().max(300))}).optional(),
})
