import type {DesiredBot, ResolvedAssignment} from './types.js'

/** One desired body per explicitly assigned bot (bots claimed twice were reported by validate). */
export function desiredBotsOf(assignments: readonly ResolvedAssignment[]): DesiredBot[] {
  const bots: DesiredBot[] = []
  const seen = new Set<string>()
  for (const assignment of assignments) {
    const selector = assignment.decl.selector
    if (selector.kind !== 'bots') continue
    for (const bot_id of selector.bots) {
      if (seen.has(bot_id)) continue
      seen.add(bot_id)
      bots.push({bot_id, profile: assignment.profile, assignment: assignment.decl.label, body: assignment.body, digest: assignment.digest})
    }
  }
  return bots
}
