/**
 * The parts of Recall's `Bot` (GET /api/v1/bot/{id}/, List Bots, and every in-call command's answer)
 * that recallctl reads. Parsing is tolerant on purpose: Recall adds fields and status codes over
 * time, and neither may break a plan. Unknown keys are kept (loose objects), status codes are plain
 * strings (`isKnownBotStatus` tells the known ones apart), and fields the spec marks required but the
 * live service has been seen to send as null (`sub_code`) are accepted as null.
 * Only what recallctl cannot work without is required: the bot's `id`, `status_changes` and `recordings`.
 */
import {z} from 'zod'

import {startRecordingBodySchema, type StartRecordingBody} from './body-schema.js'
import {BOT_STATUS_CODES, type BotStatusCode} from './bot-status-codes.js'

export {BOT_STATUS_CODES, type BotStatusCode}

export const RECORDING_STATUS_CODES = ['processing', 'paused', 'done', 'failed', 'deleted'] as const
export type RecordingStatusCode = (typeof RECORDING_STATUS_CODES)[number]

export const isKnownBotStatus = (code: string): code is BotStatusCode => (BOT_STATUS_CODES as readonly string[]).includes(code)
export const isKnownRecordingStatus = (code: string): code is RecordingStatusCode =>
  (RECORDING_STATUS_CODES as readonly string[]).includes(code)

/** Recall's metadata map (values may be null); some responses send `null` for the whole map. */
const metadataSchema = z.record(z.string(), z.string().nullable())

/** One entry of `status_changes`; the last entry is the bot's current status. */
export const botStatusChangeSchema = z.looseObject({
  code: z.string(),
  sub_code: z.string().nullable().optional(),
  message: z.string().nullable().optional(),
  created_at: z.string(),
})
export type BotStatusChange = z.infer<typeof botStatusChangeSchema>

export const recordingStatusSchema = z.looseObject({
  code: z.string(),
  sub_code: z.string().nullable().optional(),
  updated_at: z.string().optional(),
})
export type RecordingStatus = z.infer<typeof recordingStatusSchema>

/** An entry of `bot.recordings`. Its `metadata` is what start_recording was given: recallctl's stamp lives there. */
export const botRecordingSchema = z.looseObject({
  id: z.string(),
  created_at: z.string(),
  started_at: z.string().nullable().optional(),
  completed_at: z.string().nullable().optional(),
  expires_at: z.string().nullable().optional(),
  status: recordingStatusSchema.nullable().optional(),
  /** Download shortcuts per artifact; recallctl only passes them through. */
  media_shortcuts: z.record(z.string(), z.unknown()).nullable().optional(),
  metadata: metadataSchema.nullable().optional(),
})
export type BotRecording = z.infer<typeof botRecordingSchema>

/** A string when sent, an object per platform (`{platform, meeting_id, ...}`) in responses. */
export const meetingUrlSchema = z.union([z.string(), z.looseObject({platform: z.string().optional()})])
export type MeetingUrl = z.infer<typeof meetingUrlSchema>

export const botSchema = z.looseObject({
  id: z.string(),
  metadata: metadataSchema.nullable().optional(),
  status_changes: z.array(botStatusChangeSchema),
  recordings: z.array(botRecordingSchema),
  /**
   * The create-time recording config, as Recall returns it. Kept unparsed: it may hold fields this
   * version does not know; `recordingConfigAsBody` reads it as a body when it can.
   */
  recording_config: z.record(z.string(), z.unknown()).nullable().optional(),
  join_at: z.string().nullable().optional(),
  meeting_url: meetingUrlSchema.nullable().optional(),
})
export type Bot = z.infer<typeof botSchema>

/** A page of `GET /api/v1/bot/?page=N`. `next`/`previous` are absolute URLs or null. */
export const botListPageSchema = z.looseObject({
  count: z.number().int().nonnegative().optional(),
  next: z.string().nullable(),
  previous: z.string().nullable().optional(),
  results: z.array(botSchema),
})
export type BotListPage = z.infer<typeof botListPageSchema>

export type ParseResult<T> = {ok: true; value: T} | {ok: false; problems: string[]}

/** Reads a Bot from a decoded JSON response. Problems name the field path and what was found. */
export const parseBot = (value: unknown): ParseResult<Bot> => toResult(botSchema.safeParse(value))

/** Reads a List Bots page from a decoded JSON response. */
export const parseBotListPage = (value: unknown): ParseResult<BotListPage> => toResult(botListPageSchema.safeParse(value))

/** The bot's current status: the last `status_changes` entry, or undefined for a bot with none yet. */
export const currentStatus = (bot: Pick<Bot, 'status_changes'>): BotStatusChange | undefined => bot.status_changes.at(-1)

/**
 * The bot's create-time `recording_config` as a start_recording body, or undefined when there is
 * none or it holds something our body schema does not accept (then it cannot match a desired body).
 */
export function recordingConfigAsBody(bot: Pick<Bot, 'recording_config'>): StartRecordingBody | undefined {
  if (bot.recording_config == null) return undefined
  const parsed = startRecordingBodySchema.safeParse(bot.recording_config)
  return parsed.success ? parsed.data : undefined
}

function toResult<T>(parsed: z.ZodSafeParseResult<T>): ParseResult<T> {
  if (parsed.success) return {ok: true, value: parsed.data}
  return {
    ok: false,
    problems: parsed.error.issues.map(
      (issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(response)'}: ${issue.message}`,
    ),
  }
}
