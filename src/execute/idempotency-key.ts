import {sha256Hex} from '../shared/digest.js'

/**
 * The Idempotency-Key of a start_recording call: a hash of the bot, the desired digest, and the id of
 * the bot's newest recording (active or not; `none` before any). A retry or a re-run of the same change
 * reuses it, so Recall performs the call once; once anything starts or stops a recording the newest id
 * changes, so a later legitimate start is never swallowed by the replay of an old one. Two watchers or
 * two applies acting on the same bot compute the same key.
 */
export function idempotencyKey(botId: string, desiredDigest: string, newestRecordingId: string | null): string {
  return `recallctl-${sha256Hex(`${botId.toLowerCase()}\n${desiredDigest}\n${newestRecordingId ?? 'none'}`).slice(0, 40)}`
}
