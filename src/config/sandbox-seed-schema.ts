/** The schema of `sandbox.bots` in recall.config.yaml: bots the sandbox starts with. The sandbox imports it from here, so config never imports the sandbox. */
import {z} from 'zod'
import {BOT_STATUSES} from './bot-status.js'
import {startRecordingBodySchema} from '../recall/body-schema.js'

/** Platforms whose meeting URL the sandbox can describe the way Recall does (the spec's `MeetingUrl`). */
export const SANDBOX_PLATFORMS = [
  'zoom',
  'google_meet',
  'microsoft_teams',
  'microsoft_teams_live',
  'webex',
  'goto_meeting',
] as const
export type SandboxPlatform = (typeof SANDBOX_PLATFORMS)[number]

export const RECORDING_STATUSES = ['processing', 'paused', 'done', 'failed', 'deleted'] as const
export type RecordingStatusCode = (typeof RECORDING_STATUSES)[number]

const metadataSchema = z.record(z.string(), z.string()).describe('String keys to string values.')

export const sandboxRecordingSeedSchema = z
  .object({
    id: z.uuid().optional().describe('Recording id; a random one when absent.'),
    status: z.enum(RECORDING_STATUSES).describe('The recording status code.'),
    metadata: metadataSchema.optional().describe("The recording's metadata (what start_recording was given)."),
  })
  .strict()

/**
 * One bot the sandbox starts with. `status` is the bot's current status; its history is one entry.
 * A bot seeded as `in_call_recording` without a `recordings` key gets one `processing` recording, as a
 * bot that started recording on its own at join time from `recording_config` would (its metadata is
 * `recording_config.metadata`). `recordings: []` means none.
 */
export const sandboxBotSeedSchema = z
  .object({
    id: z.uuid().describe('The bot id (a UUID).'),
    status: z.enum(BOT_STATUSES).describe("The bot's current status code."),
    metadata: metadataSchema.optional().describe("The bot's own metadata (List Bots filters on it)."),
    platform: z
      .enum(SANDBOX_PLATFORMS)
      .optional()
      .describe('Meeting platform; taken from meeting_url when absent (default zoom).'),
    meeting_url: z.string().min(1).optional().describe('Meeting URL; a made-up one for the platform when absent.'),
    join_at: z.iso.datetime({offset: true}).optional().describe('Scheduled join time (ISO 8601).'),
    recording_config: startRecordingBodySchema
      .optional()
      .describe('The create-time recording_config (a start_recording body), returned on the bot as written.'),
    recordings: z.array(sandboxRecordingSeedSchema).optional().describe('Recordings, oldest first.'),
  })
  .strict()

export type SandboxBotSeed = z.infer<typeof sandboxBotSeedSchema>
export type SandboxRecordingSeed = z.infer<typeof sandboxRecordingSeedSchema>
