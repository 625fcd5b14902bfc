import {FINISHED_STATUSES} from '../config/bot-status.js'
import type {RecallClient} from '../recall/client/client.js'
import type {ResolvedAssignment} from '../resolve/types.js'
import {matchesSelector} from './claim.js'
import {listFilters, type PollScope} from './poll-scope.js'
import {readSnapshot, type BotSnapshot} from './snapshot.js'

/** What one polling pass read. */
export interface PollResult {
  /** Every bot read, by id. */
  snapshots: Map<string, BotSnapshot>
  /** The bots each match assignment selects, among those listed. */
  matched: Map<ResolvedAssignment, BotSnapshot[]>
  /** Explicit bots Recall answered 404 for. */
  missing: string[]
  /** Explicit bots read by GET that have finished: they never come back into a call. */
  finished: string[]
  /** Answers that are not a bot this version understands: left alone. */
  unreadable: Array<{bot_id: string; problems: string[]}>
}

/**
 * The refresh stage of watch's polling pass: the listings and GETs of a PollScope (see pollScope), with
 * the same parsing into snapshots as plan's refresh. Reads overlap; the client's limiters pace them. A
 * failed read fails the pass (the next pass tries again). `skip` leaves out explicit bots already known
 * to be finished or missing.
 */
export async function pollRefresh(
  client: RecallClient,
  scope: PollScope,
  options: {signal: AbortSignal; skip?: (botId: string) => boolean},
): Promise<PollResult> {
  const result: PollResult = {snapshots: new Map(), matched: new Map(), missing: [], finished: [], unreadable: []}
  const keep = (raw: unknown): BotSnapshot | undefined => {
    const read = readSnapshot(raw)
    if (read.ok) return read.snapshot
    result.unreadable.push({bot_id: read.bot_id, problems: read.problems})
    return undefined
  }
  await Promise.all([
    ...scope.lists.map(async (query) => {
      const bots = await client.listBots(listFilters(query), {signal: options.signal})
      const found = bots.flatMap((raw) => keep(raw) ?? [])
      for (const snapshot of found) result.snapshots.set(snapshot.bot_id, snapshot)
      for (const assignment of query.assignments) {
        const selector = assignment.selector
        if (selector.kind === 'match')
          result.matched.set(
            assignment,
            found.filter((snapshot) => matchesSelector(snapshot, selector)),
          )
      }
    }),
    ...scope.explicitByGet
      .filter((id) => !(options.skip?.(id) ?? false))
      .map(async (id) => {
        const raw = await client.retrieveBot(id, {signal: options.signal})
        if (raw === null) return void result.missing.push(id)
        const snapshot = keep(raw)
        if (!snapshot) return
        if (snapshot.status !== null && FINISHED_STATUSES.includes(snapshot.status)) result.finished.push(id)
        result.snapshots.set(id, snapshot)
      }),
  ])
  return result
}
