import type {z} from 'zod'
import {
  actionSchema,
  type driftEntrySchema,
  type fieldChangeSchema,
  type fieldDiffSchema,
  type observedStateSchema,
  type planSchema,
  type plannedChangeSchema,
  type summarySchema,
} from './plan-schema.js'

/**
 * The plan's types, inferred from its one schema (plan-schema.ts): what diff builds is what a saved plan
 * file parses to, field for field.
 */

/** What recallctl will do for one bot. Only `start` and `restart` make a call. */
export type Action = z.output<typeof actionSchema>

export const ACTIONS: readonly Action[] = actionSchema.options
export const CHANGE_ACTIONS: readonly Action[] = ['start', 'restart']

/** What refresh saw on the bot when the plan was made. Apply compares it to detect a stale plan. */
export type ObservedState = z.output<typeof observedStateSchema>

export type PlannedChange = z.output<typeof plannedChangeSchema>

/** One value of the body that changes, at a path such as `retention.hours` or `realtime_endpoints[1]`. */
export type FieldChange = z.output<typeof fieldChangeSchema>

/** A body compared with the one before it: the changed values, and how many values around them did not change. */
export type FieldDiff = z.output<typeof fieldDiffSchema>

export type DriftEntry = z.output<typeof driftEntrySchema>

export type Summary = z.output<typeof summarySchema>

/** The plan: computed once, rendered many ways, saved as JSON (format_version 1). */
export type Plan = z.output<typeof planSchema>
