import type {RecallClient} from '../recall/client/client.js'
import {RecallApiError} from '../recall/client/errors.js'
import type {ResolvedAssignment} from '../resolve/types.js'
import type {Diagnostic} from '../shared/diagnostics.js'
import {matchesSelector} from './claim.js'
import {missingSnapshot, readSnapshot, unreadableBotMessage, type BotSnapshot} from './snapshot.js'
import type {ReadScope} from './scope.js'

export interface RefreshResult {
  /** Every bot read, by id. */
  snapshots: Map<string, BotSnapshot>
  /** The bots each match assignment selects. */
  matched: Map<ResolvedAssignment, BotSnapshot[]>
  diagnostics: Diagnostic[]
}

/**
 * The refresh stage: one GET per explicitly assigned bot, List Bots (every page) per match selector,
 * and single GETs for bot ids targeted on the command line that only a selector could claim.
 * Reads overlap; the client's limiters keep them within the workspace's limits.
 */
export async function refresh(
  client: RecallClient,
  scope: ReadScope,
  options: {
    signal?: AbortSignal
    /** Each bot as its answer arrives (verification times its reads by it). */ onBot?: (botId: string) => void
  } = {},
): Promise<RefreshResult> {
  const snapshots = new Map<string, BotSnapshot>()
  const matched = new Map<ResolvedAssignment, BotSnapshot[]>()
  const diagnostics: Diagnostic[] = []
  const read = (raw: unknown, id: string): BotSnapshot => {
    const parsed = readSnapshot(raw)
    if (parsed.ok) return parsed.snapshot
    diagnostics.push({severity: 'error', code: 'bad_bot_response', message: unreadableBotMessage(id, parsed.problems)})
    return {...missingSnapshot(id), found: true}
  }

  const byId = Promise.all(
    scope.botIds.map(async (id) => {
      let bot: unknown
      try {
        bot = await client.retrieveBot(id, {signal: options.signal})
      } catch (error) {
        // One bot Recall refuses to show (other than 404) must not hide the plan of all the others;
        // auth failures and network errors concern every bot and end the run.
        if (!(error instanceof RecallApiError) || error.kind !== 'http' || error.status === 401 || error.status === 403)
          throw error
        diagnostics.push({severity: 'error', code: 'bot_read_failed', message: `${error.message} The bot is left alone.`})
        snapshots.set(id, {...missingSnapshot(id), found: true})
        options.onBot?.(id)
        return
      }
      snapshots.set(id, bot === null ? missingSnapshot(id) : read(bot, id))
      options.onBot?.(id)
    }),
  )
  const bySelector = Promise.all(
    scope.listed.map(async (assignment) => {
      const selector = assignment.selector
      if (selector.kind !== 'match') return
      const bots = await client.listBots({status: selector.status, metadata: selector.metadata}, {signal: options.signal})
      const found = bots
        .map((bot) => read(bot, bot.id))
        .filter((s) => s.found && matchesSelector(s, selector) && !scope.excluded(s.bot_id, assignment.profile))
      for (const snapshot of found) {
        snapshots.set(snapshot.bot_id, snapshot)
        options.onBot?.(snapshot.bot_id)
      }
      matched.set(assignment, found)
    }),
  )
  await Promise.all([byId, bySelector])
  // Targeted ids that only a selector can claim: read singly above, claimed here when they match.
  for (const assignment of scope.probed) {
    const selector = assignment.selector
    if (selector.kind !== 'match') continue
    const found = scope.probeIds
      .map((id) => snapshots.get(id))
      .filter((s): s is BotSnapshot => s !== undefined && s.found && matchesSelector(s, selector))
    matched.set(assignment, [...(matched.get(assignment) ?? []), ...found])
  }
  return {snapshots, matched, diagnostics}
}
