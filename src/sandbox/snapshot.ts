import {z} from 'zod'
import type {BotState} from './bot-state.js'
import type {StoredResponseEntry} from './idempotency.js'

export const SANDBOX_STATE_FORMAT = 'recallctl-sandbox-state'
export const SANDBOX_STATE_VERSION = 1

/** Everything that outlives a sandbox run: the bots and the replayable idempotency entries. */
export interface SandboxStateSnapshot {
  format: typeof SANDBOX_STATE_FORMAT
  version: typeof SANDBOX_STATE_VERSION
  saved_at: string
  bots: BotState[]
  idempotency: StoredResponseEntry[]
}

const nullableMetadata = z.record(z.string(), z.string().nullable())

const statusChangeSchema = z.object({
  code: z.string(),
  sub_code: z.string().nullable(),
  message: z.string(),
  created_at: z.string(),
})

const recordingSchema = z.object({
  id: z.string(),
  created_at: z.string(),
  started_at: z.string().nullable(),
  completed_at: z.string().nullable(),
  expires_at: z.string().nullable(),
  status: z.enum(['processing', 'paused', 'done', 'failed', 'deleted']),
  status_updated_at: z.string(),
  metadata: nullableMetadata,
  retention: z.union([z.object({type: z.literal('timed'), hours: z.number()}), z.object({type: z.literal('forever')}), z.null()]),
})

const botSchema = z.object({
  id: z.string(),
  bot_name: z.string(),
  meeting_url: z.string(),
  platform: z.enum(['zoom', 'google_meet', 'microsoft_teams', 'microsoft_teams_live', 'webex', 'goto_meeting']),
  join_at: z.string().nullable(),
  metadata: nullableMetadata,
  recording_config: z.record(z.string(), z.unknown()).nullable(),
  status_changes: z.array(statusChangeSchema).min(1),
  recordings: z.array(recordingSchema),
  created_at: z.string(),
})

/** Reads a state file's content; the schema guards against hand edits and files from another version. */
export const sandboxStateSnapshotSchema = z.object({
  format: z.literal(SANDBOX_STATE_FORMAT),
  version: z.literal(SANDBOX_STATE_VERSION),
  saved_at: z.string(),
  bots: z.array(botSchema),
  idempotency: z.array(z.object({scope: z.string(), status: z.number().int(), body: z.string(), completedAt: z.number()})),
})
