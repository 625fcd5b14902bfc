import {randomUUID} from 'node:crypto'
import {FINISHED_STATUSES, IN_CALL_STATUSES, NOT_JOINED_STATUSES} from '../config/bot-status.js'
import type {BotState, RecordingRetention, RecordingState, StatusChange} from './bot-state.js'
import type {RecordingStatusCode} from './seed.js'

/** The endpoint's own retention when a body leaves it out (NOTES.md): timed, 168 hours. */
export const DEFAULT_RETENTION: RecordingRetention = {type: 'timed', hours: 168}

export function currentStatus(bot: BotState): string {
  return bot.status_changes.at(-1)?.code ?? 'ready'
}

/** The newest recording that is processing or paused: the one a command acts on. */
export function activeRecording(bot: BotState): RecordingState | undefined {
  for (let i = bot.recordings.length - 1; i >= 0; i--) {
    const recording = bot.recordings[i]!
    if (recording.status === 'processing' || recording.status === 'paused') return recording
  }
  return undefined
}

export function isInCall(status: string): boolean {
  return IN_CALL_STATUSES.includes(status)
}

/** A bot has been in the call once its history shows any status past the waiting room. */
export function hasJoined(bot: BotState): boolean {
  return bot.status_changes.some((change) => !NOT_JOINED_STATUSES.includes(change.code))
}

export interface CommandRefusal {
  code: string
  detail: string
}

/**
 * Why a recording command cannot be run on this bot now, or undefined when it can.
 * The codes are Recall's for in-call commands (NOTES.md); `recording_permission_denied` is our guess.
 */
export function commandRefusal(bot: BotState, command: string): CommandRefusal | undefined {
  const status = currentStatus(bot)
  if (isInCall(status)) return undefined
  if (NOT_JOINED_STATUSES.includes(status))
    return {
      code: 'cannot_command_unstarted_bot',
      detail: `Cannot ${command} a bot that has not joined the call yet (status: ${status}).`,
    }
  if (status === 'recording_permission_denied')
    return {code: 'recording_permission_denied', detail: `Cannot ${command}: the host denied the bot permission to record.`}
  if (FINISHED_STATUSES.includes(status))
    return {code: 'cannot_command_completed_bot', detail: `Cannot ${command} a bot that has finished (status: ${status}).`}
  return {code: 'cannot_command_completed_bot', detail: `Cannot ${command} a bot in status ${status}.`}
}

/** The human message of a status change, e.g. `In Call Recording`. */
export function statusMessage(code: string): string {
  return code
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ')
}

function setRecordingStatus(recording: RecordingState, status: RecordingStatusCode, at: string): void {
  recording.status = status
  recording.status_updated_at = at
  if (status === 'done' || status === 'failed') {
    recording.completed_at ??= at
  }
}

/** Completes a recording: done, with its expiry taken from the retention it was started with. */
export function completeRecording(recording: RecordingState, at: string): void {
  setRecordingStatus(recording, 'done', at)
  const retention = recording.retention
  recording.completed_at = at
  recording.expires_at =
    retention !== null && retention.type === 'timed' ? new Date(Date.parse(at) + retention.hours * 3_600_000).toISOString() : null
}

export function newRecording(at: string, metadata: Record<string, string | null>, retention: RecordingRetention): RecordingState {
  return {
    id: randomUUID(),
    created_at: at,
    started_at: at,
    completed_at: null,
    expires_at: null,
    status: 'processing',
    status_updated_at: at,
    metadata,
    retention,
  }
}

function pushStatus(bot: BotState, code: string, at: string, subCode: string | null = null, message?: string): void {
  const change: StatusChange = {code, sub_code: subCode, message: message ?? statusMessage(code), created_at: at}
  bot.status_changes.push(change)
}

/**
 * Moves a bot to a new status, with the side effects Recall's bot has: leaving the call completes the
 * active recording; entering `in_call_recording` with nothing recording starts a recording on its own,
 * as the bot does at join time from its create-time `recording_config` (whose metadata it carries);
 * `in_call_not_recording` after recording means the recording stopped.
 */
export function moveBot(bot: BotState, code: string, at: string, subCode: string | null = null, message?: string): void {
  const active = activeRecording(bot)
  if (active !== undefined && code !== 'in_call_recording' && code !== 'recording_permission_allowed')
    completeRecording(active, at)
  if (code === 'in_call_recording' && active === undefined) {
    const config = bot.recording_config ?? {}
    bot.recordings.push(newRecording(at, metadataOf(config['metadata']), retentionOf(config)))
  }
  pushStatus(bot, code, at, subCode, message)
}

/** start_recording: a new recording each call, carrying the body's metadata; the previous active one is done. */
export function startRecording(bot: BotState, body: Record<string, unknown>, at: string): RecordingState {
  const active = activeRecording(bot)
  if (active !== undefined) completeRecording(active, at)
  const recording = newRecording(at, metadataOf(body['metadata']), retentionOf(body))
  bot.recordings.push(recording)
  if (currentStatus(bot) !== 'in_call_recording') pushStatus(bot, 'in_call_recording', at)
  return recording
}

export function stopRecording(bot: BotState, at: string): void {
  const active = activeRecording(bot)
  if (active !== undefined) completeRecording(active, at)
  if (currentStatus(bot) !== 'in_call_not_recording') pushStatus(bot, 'in_call_not_recording', at)
}

export function pauseRecording(bot: BotState, at: string): void {
  const active = activeRecording(bot)
  if (active?.status === 'processing') setRecordingStatus(active, 'paused', at)
}

export function resumeRecording(bot: BotState, at: string): void {
  const active = activeRecording(bot)
  if (active?.status === 'paused') setRecordingStatus(active, 'processing', at)
}

function metadataOf(value: unknown): Record<string, string | null> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return {}
  return {...(value as Record<string, string | null>)}
}

/** The retention a body asks for: absent takes the endpoint default (168 h); an explicit null sets no expiry here. */
export function retentionOf(body: Record<string, unknown>): RecordingRetention {
  if (!('retention' in body) || body['retention'] === undefined) return DEFAULT_RETENTION
  const value = body['retention'] as {type?: unknown; hours?: unknown} | null
  if (value === null) return null
  if (value.type === 'forever') return {type: 'forever'}
  if (value.type === 'timed' && typeof value.hours === 'number') return {type: 'timed', hours: value.hours}
  return DEFAULT_RETENTION
}
