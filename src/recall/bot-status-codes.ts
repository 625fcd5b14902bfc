/**
 * Bot status codes known to this version (NOTES.md; the List Bots `status` filter enum). Kept apart
 * from bot-schema.ts so that the config schemas (and so `validate`) do not build the Bot response
 * schema: that costs ~10 ms of every cold start.
 */
export const BOT_STATUS_CODES = [
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
export type BotStatusCode = (typeof BOT_STATUS_CODES)[number]
