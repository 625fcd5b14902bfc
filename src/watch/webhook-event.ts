import {BOT_ID} from '../config/recordings-file-schema.js'

/** What watch needs from a webhook body. */
export type WebhookEvent =
  | {kind: 'bot_status'; event: string; botId: string; code: string}
  | {kind: 'other'; event: string}
  | {kind: 'invalid'; message: string}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * A parsed webhook body → the bot and status it reports (pure). Two shapes carry a status (webhooks.json):
 * `bot.<code>` with `data.bot.id` and `data.data.code`, and `bot.status_change` with `data.bot_id` and
 * `data.status.code`. Every other event (recordings, transcripts, logs) is `other`: nothing to do.
 */
export function webhookEventOf(body: unknown): WebhookEvent {
  if (!isRecord(body) || typeof body['event'] !== 'string')
    return {kind: 'invalid', message: 'the body is not a Recall event (no "event" string)'}
  const event = body['event']
  const data = body['data']
  if (!event.startsWith('bot.') || !isRecord(data)) return {kind: 'other', event}
  let botId: unknown
  let code: unknown
  if (event === 'bot.status_change') {
    botId = data['bot_id']
    code = isRecord(data['status']) ? data['status']['code'] : undefined
  } else {
    botId = isRecord(data['bot']) ? data['bot']['id'] : undefined
    code = isRecord(data['data']) ? data['data']['code'] : undefined
  }
  if (typeof botId !== 'string' || typeof code !== 'string') return {kind: 'other', event}
  if (!BOT_ID.test(botId))
    return {kind: 'invalid', message: `the event names bot "${botId.slice(0, 60)}", which is not a bot id (a UUID)`}
  return {kind: 'bot_status', event, botId: botId.toLowerCase(), code}
}
