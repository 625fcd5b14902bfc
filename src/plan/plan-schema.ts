import {z} from 'zod'
import {fieldDiff} from '../diff/field-diff.js'
import {ACTIONS} from '../plan/types.js'

/**
 * The saved plan file, format_version 1. Later recallctl versions may add fields within a format version,
 * so objects accept (and drop) keys they don't know; a renamed or removed field is a new format version.
 */

const count = z.int().nonnegative()
const nullableString = z.string().max(200).nullable()
/** A saved plan is untrusted input: ids and digests must look exactly like the ones recallctl writes. */
const botId = z.string().regex(/^[0-9a-z][0-9a-z-]{0,63}$/, 'is not a bot id as recallctl writes it (lowercase letters, digits and dashes)')
const digest = z.string().regex(/^v[1-9][0-9]*:[0-9a-z]{1,64}$/, 'is not a digest as recallctl writes it (like v1:0123abcd…)')

const location = {file: z.string().optional(), line: z.int().positive().optional(), column: z.int().positive().optional()}

const position = z.object({line: z.int().positive(), column: z.int().positive()})

export const diagnosticSchema = z.object({
  severity: z.enum(['error', 'warning']),
  code: z.string(),
  message: z.string(),
  ...location,
  path: z.array(z.union([z.string(), z.number()])).max(64).optional(),
  range: z.object({start: position, end: position}).optional(),
  snippet: z.object({line: z.int().positive(), text: z.string().max(1000), start_column: z.int().positive(), end_column: z.int().positive()}).optional(),
  address: z.object({profile: z.string(), assignment: z.string(), bot: z.string()}).partial().optional(),
  related: z
    .array(z.object({file: z.string(), line: z.int().positive(), column: z.int().positive(), message: z.string()}))
    .optional(),
})

export const observedStateSchema = z.object({
  status: nullableString,
  newest_recording_id: nullableString,
  active_recording_id: nullableString,
  active_digest: nullableString,
  active_profile: nullableString,
})

const body = z.record(z.string(), z.unknown())

export const fieldDiffSchema = z.object({
  changes: z.array(
    z.object({
      path: z.string(),
      kind: z.enum(['changed', 'added', 'removed']),
      before: z.unknown().optional(),
      after: z.unknown().optional(),
      redacted_difference: z.boolean().optional(),
    }),
  ),
  unchanged: count,
})

/**
 * A change as written: `before.body` is the previous body (when known). In memory `before` is only what
 * refresh observed (the plan digest is over it), so the body moves to `previous_body`.
 */
export const plannedChangeSchema = z
  .object({
    bot_id: botId,
    profile: z.string().min(1).max(200),
    assignment: z.string(),
    action: z.enum(ACTIONS as [string, ...string[]]),
    reason: z.string(),
    adopted: z.boolean(),
    before: observedStateSchema.extend({body: body.nullable().optional()}),
    after: z.object({digest, body}),
    fields_changed: z.array(z.string()),
    field_diff: fieldDiffSchema.nullable().optional(),
    previous_body: body.nullable().optional(),
  })
  .transform(({before: {body: written, ...observed}, ...change}) => {
    const previous = change.previous_body ?? written ?? null
    // A plan written before field diffs existed still shows one: the same diff, over its redacted bodies.
    const diff = change.field_diff === undefined && previous !== null && change.action === 'restart' ? {field_diff: fieldDiff(previous, change.after.body, previous, change.after.body)} : {}
    return {...change, before: observed, ...(previous === null ? {} : {previous_body: previous}), ...diff}
  })

export const driftEntrySchema = z.object({bot_id: z.string(), recording_id: z.string(), reason: z.string()})

export const summarySchema = z.object(Object.fromEntries(ACTIONS.map((a) => [a, count])) as Record<(typeof ACTIONS)[number], typeof count>)

export const planSchema = z.object({
  format_version: z.literal(1),
  tool_version: z.string(),
  created_at: z.string(),
  plan_digest: digest,
  workspace: z.object({base_url: z.string()}),
  summary: summarySchema,
  changes: z.array(plannedChangeSchema),
  drift: z.array(driftEntrySchema),
  diagnostics: z.array(diagnosticSchema),
  /** The --target/--exclude the plan was made with (absent: every assignment); apply checks the file against it. */
  scope: z.object({targets: z.array(z.string().max(300)), excludes: z.array(z.string().max(300))}).optional(),
})
