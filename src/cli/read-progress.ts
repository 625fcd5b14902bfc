import type {RecallClientEvent} from '../recall/client/events.js'
import type {Connection} from '../app/connect.js'
import {requestTally, startLiveProgress, type LiveProgress} from './live-progress.js'
import {etaFromSchedule, waitingReason, type ProgressFacts} from './progress-line.js'
import {isCi} from './terminal.js'

/** Reads that end sooner than this show no progress at all. */
export const READ_PROGRESS_AFTER_MS = 2000

/**
 * Runs `read` (plan's refresh) and, when it takes longer than 2 s, shows its progress on stderr: bots read
 * by id out of `byId`, pages listed, requests per minute, 429s, an ETA from the limiters' schedule, and why
 * it waits. A live line on a terminal, a plain line every 10 s elsewhere.
 */
export async function withReadProgress<T>(
  connection: Connection,
  byId: number,
  read: () => Promise<T>,
  stream: NodeJS.WriteStream = process.stderr,
): Promise<T> {
  const tally = requestTally()
  const unsubscribe = connection.subscribe((event: RecallClientEvent) => tally.onEvent(event))
  const outlook = connection.client.outlook
  const facts = (): ProgressFacts => {
    const done = Math.min(byId, tally.answered('retrieve_bot'))
    const pages = tally.answered('list_bots')
    return {
      label: pages > 0 ? `Reading bots (${pages} pages listed)` : 'Reading bots',
      done,
      total: byId,
      perMinute: tally.perMinute(),
      rateLimited: tally.rateLimited(),
      etaMs: etaFromSchedule([{endpoint: 'retrieve_bot', calls: byId - done, roundTripsAfter: 0}], outlook, tally.latencyMs()),
      waiting: waitingReason([outlook('retrieve_bot'), outlook('list_bots')]),
    }
  }
  let view: LiveProgress | undefined
  const timer = setTimeout(
    () => (view = startLiveProgress({stream, tty: stream.isTTY === true && !isCi(), facts})),
    READ_PROGRESS_AFTER_MS,
  )
  try {
    return await read()
  } finally {
    clearTimeout(timer)
    view?.stop()
    unsubscribe()
  }
}
