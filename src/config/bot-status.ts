import {BOT_STATUS_CODES} from '../recall/bot-status-codes.js'

/** Bot status codes Recall documents (NOTES.md). Others may appear; they are handled as unknown. */
export const BOT_STATUSES = BOT_STATUS_CODES

/** In the call: start_recording works. */
export const IN_CALL_STATUSES: readonly string[] = ['in_call_not_recording', 'recording_permission_allowed', 'in_call_recording']
/** Not in the call yet: start_recording answers cannot_command_unstarted_bot. */
export const NOT_JOINED_STATUSES: readonly string[] = ['ready', 'joining_call', 'in_waiting_room']
/** Finished: start_recording answers cannot_command_completed_bot. */
export const FINISHED_STATUSES: readonly string[] = [
  'call_ended',
  'done',
  'fatal',
  'recording_done',
  'media_expired',
  'analysis_done',
  'analysis_failed',
]
export const BLOCKED_STATUSES: readonly string[] = ['recording_permission_denied']
