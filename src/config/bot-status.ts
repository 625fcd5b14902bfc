/** Bot status codes Recall documents (NOTES.md). Others may appear; they are handled as unknown. */
export const BOT_STATUSES = [
  'ready',
  'joining_call',
  'in_waiting_room',
  'in_call_not_recording',
  'recording_permission_allowed',
  'recording_permission_denied',
  'in_call_recording',
  'recording_done',
  'call_ended',
  'done',
  'fatal',
  'media_expired',
  'analysis_done',
  'analysis_failed',
] as const

export type BotStatus = (typeof BOT_STATUSES)[number]

export const IN_CALL_STATUSES: readonly string[] = ['in_call_not_recording', 'recording_permission_allowed', 'in_call_recording']
export const NOT_JOINED_STATUSES: readonly string[] = ['ready', 'joining_call', 'in_waiting_room']
export const FINISHED_STATUSES: readonly string[] = [
  'call_ended',
  'done',
  'fatal',
  'recording_done',
  'media_expired',
  'analysis_done',
  'analysis_failed',
]
