import {z} from 'zod'
import {startRecordingBodySchema} from '../recall/body-schema.js'
import {BOT_STATUSES} from './bot-status.js'

/** Profile names: also used as `profile:NAME` targets on the command line. */
export const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/

/** A Recall bot id: a UUID. */
export const BOT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const PROFILE_NAME_RULE = 'is not a profile name: start with a letter or digit, then letters, digits, ".", "_" or "-"'

const metadataMap = z.record(z.string(), z.string().nullable())

/**
 * A profile as written: any start_recording field (checked for types, enums and unknown keys on its
 * own lines; required keys are checked on the merged result) plus `extends`. In `metadata`, `null`
 * removes an inherited key.
 */
export const profileSchema = startRecordingBodySchema
  .extend({
    extends: z
      .string()
      .regex(PROFILE_NAME, PROFILE_NAME_RULE)
      .optional()
      .describe("Name of the parent profile. Its fields apply first; this profile's fields override them."),
    metadata: metadataMap.optional().describe('Recording metadata (strings). A key set to null removes an inherited key.'),
  })
  .strict()

export const assignmentSchema = z
  .object({
    profile: z.string().regex(PROFILE_NAME, PROFILE_NAME_RULE).describe('The profile these bots record with.'),
    bots: z
      .array(z.string().regex(BOT_ID, 'is not a bot id: Recall bot ids are UUIDs like 6e1f5adb-3340-4f50-900d-9aa2cdc53d6c'))
      .min(1)
      .optional()
      .describe('Explicit bot ids (UUIDs). Exactly one of bots or match.'),
    match: z
      .object({
        metadata: z
          .record(z.string(), z.string())
          .optional()
          .describe('Bot metadata pairs that must all match (List Bots metadata__<key>=<value>).'),
        status: z
          .array(z.enum(BOT_STATUSES))
          .min(1)
          .optional()
          .describe('Only bots in these statuses (keeps List Bots short). Any status when absent.'),
      })
      .strict()
      .optional()
      .describe('Select bots by metadata and status. Exactly one of bots or match.'),
    metadata: metadataMap.optional().describe("Recording metadata added for these bots, merged over the profile's."),
  })
  .strict()

export const recordingsFileSchema = z
  .object({
    profiles: z.record(z.string().regex(PROFILE_NAME, PROFILE_NAME_RULE), profileSchema).optional(),
    assignments: z.array(assignmentSchema).optional(),
  })
  .strict()
