import {z} from 'zod'
import {ACTIONS} from '../plan/types.js'

/**
 * The saved plan file, format_version 1. Later recallctl versions may add fields within a format version,
 * so objects accept (and drop) keys they don't know; a renamed or removed field is a new format version.
 */

const count = z.int().nonnegative()
const nullableString = z.string().nullable()

const location = {file: z.string().optional(), line: z.int().positive().optional(), column: z.int().positive().optional()}

export const diagnosticSchema = z.object({
  severity: z.enum(['error', 'warning']),
  code: z.string(),
  message: z.string(),
  ...location,
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

export const plannedChangeSchema = z.object({
  bot_id: z.string().min(1),
  profile: z.string(),
  assignment: z.string(),
  action: z.enum(ACTIONS as [string, ...string[]]),
  reason: z.string(),
  adopted: z.boolean(),
  before: observedStateSchema,
  after: z.object({digest: z.string(), body}),
  fields_changed: z.array(z.string()),
  previous_body: body.nullable().optional(),
})

export const driftEntrySchema = z.object({bot_id: z.string(), recording_id: z.string(), reason: z.string()})

export const summarySchema = z.object(Object.fromEntries(ACTIONS.map((a) => [a, count])) as Record<(typeof ACTIONS)[number], typeof count>)

export const planSchema = z.object({
  format_version: z.literal(1),
  tool_version: z.string(),
  created_at: z.string(),
  plan_digest: z.string(),
  workspace: z.object({base_url: z.string()}),
  summary: summarySchema,
  changes: z.array(plannedChangeSchema),
  drift: z.array(driftEntrySchema),
  diagnostics: z.array(diagnosticSchema),
})
