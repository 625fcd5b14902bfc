/**
 * The Recall endpoints recallctl calls, grouped as Recall rate-limits them. Kept free of undici and zod so
 * pure modules can use the names and limits without loading the HTTP stack.
 */
export type EndpointGroup = 'start_recording' | 'retrieve_bot' | 'list_bots'

export const ENDPOINT_GROUPS: readonly EndpointGroup[] = ['start_recording', 'retrieve_bot', 'list_bots']

/**
 * Recall's documented per-workspace limits, requests per sliding 60 s window (NOTES.md). Equal to
 * DEFAULT_RATE_LIMITS in src/config/project-config-schema.ts; a test keeps the two the same.
 */
export const RECALL_DOCUMENTED_LIMITS: Readonly<Record<EndpointGroup, number>> = {
  start_recording: 300,
  retrieve_bot: 300,
  list_bots: 60,
}

/** Recall's rate-limit window. */
export const RECALL_WINDOW_MS = 60_000

/**
 * One path segment from a bot id. Encoded, and `.`/`..`/empty refused, so an odd id can never reach
 * another path.
 */
export function botSegment(botId: string): string {
  if (botId === '' || botId === '.' || botId === '..') {
    throw new TypeError(`"${botId}" is not a bot id: a bot id is the bot's UUID, as Recall shows it.`)
  }
  return encodeURIComponent(botId)
}

/** Recall's paths end with a slash. */
export const paths = {
  retrieveBot: (botId: string): string => `/api/v1/bot/${botSegment(botId)}/`,
  listBots: (): string => '/api/v1/bot/',
  startRecording: (botId: string): string => `/api/v1/bot/${botSegment(botId)}/start_recording/`,
}
