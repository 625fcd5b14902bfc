import type {Diagnostic, SourceLocation} from '../shared/diagnostics.js'
import type {BotSnapshot} from './snapshot.js'
import type {DesiredBot, ResolvedAssignment} from '../resolve/types.js'
import type {MatchSelector} from '../validate/types.js'

/** Whether a bot satisfies a `match` selector: every metadata pair equal, status in the list if any. */
export function matchesSelector(snapshot: BotSnapshot, selector: MatchSelector): boolean {
  if (selector.status.length > 0 && (snapshot.status === null || !selector.status.includes(snapshot.status))) return false
  return Object.entries(selector.metadata).every(([key, value]) => snapshot.metadata[key] === value)
}

/** Where `bot_id` is written in the assignment: its entry in `bots:`, or the assignment (a `match` bot). */
function locationOf(assignment: ResolvedAssignment, bot_id: string): SourceLocation {
  const selector = assignment.selector
  if (selector.kind !== 'bots') return assignment.location
  return selector.locations[selector.bots.indexOf(bot_id)] ?? assignment.location
}

const desiredFrom = (assignment: ResolvedAssignment, bot_id: string): DesiredBot => ({
  bot_id,
  profile: assignment.profile,
  assignment: assignment.label,
  location: locationOf(assignment, bot_id),
  body: assignment.body,
  digest: assignment.digest,
})

/**
 * Every bot each assignment claims: explicit ids, and the bots each `match` selector found. A bot
 * claimed by two assignments keeps the first (in file order) and is an error naming both: the plan
 * still renders, apply refuses.
 */
export function claimBots(
  assignments: readonly ResolvedAssignment[],
  matched: ReadonlyMap<ResolvedAssignment, readonly BotSnapshot[]>,
): {desired: DesiredBot[]; diagnostics: Diagnostic[]; conflicts: Map<string, ResolvedAssignment[]>} {
  const claims = new Map<string, ResolvedAssignment>()
  const desired: DesiredBot[] = []
  const diagnostics: Diagnostic[] = []
  /** Every assignment that claims a bot claimed more than once (watch leaves such bots alone). */
  const conflicts = new Map<string, ResolvedAssignment[]>()
  for (const assignment of assignments) {
    const selector = assignment.selector
    const ids = selector.kind === 'bots' ? selector.bots : (matched.get(assignment) ?? []).map((s) => s.bot_id)
    for (const bot_id of ids) {
      const first = claims.get(bot_id)
      if (!first) {
        claims.set(bot_id, assignment)
        desired.push(desiredFrom(assignment, bot_id))
        continue
      }
      if (first === assignment) continue
      const claimants = conflicts.get(bot_id) ?? [first]
      if (!claimants.includes(assignment)) claimants.push(assignment)
      conflicts.set(bot_id, claimants)
      diagnostics.push({
        severity: 'error',
        code: 'bot_conflict',
        message: `bot ${bot_id} is claimed by two assignments: ${first.label} (profile "${first.profile}") and ${assignment.label} (profile "${assignment.profile}"). The plan keeps the first; apply refuses until one of them no longer selects it.`,
        ...locationOf(assignment, bot_id),
        address: {profile: assignment.profile, assignment: assignment.label, bot: bot_id},
        related: [{...locationOf(first, bot_id), message: 'first claimed here'}],
      })
    }
  }
  return {desired, diagnostics, conflicts}
}
