import {BOT_ID} from '../config/recordings-file-schema.js'
import type {ResolvedAssignment} from '../resolve/types.js'
import type {Diagnostic} from '../shared/diagnostics.js'
import {didYouMean} from '../validate/describe.js'
import type {BotSnapshot} from './snapshot.js'

/** `--target` / `--exclude` values: bot ids and `profile:NAME`. */
export interface TargetSpec {
  ids: Set<string>
  profiles: Set<string>
}

/** What refresh reads: narrowed before any request, so `--target` saves calls, not just output. */
export interface ReadScope {
  /** Assignments in scope; explicit ones keep only their bots in scope. */
  assignments: ResolvedAssignment[]
  /** Bots to read one by one. */
  botIds: string[]
  /** Match assignments to run List Bots for. */
  listed: ResolvedAssignment[]
  /** Match assignments checked only against `probeIds` (targeted by id, not by profile). */
  probed: ResolvedAssignment[]
  probeIds: string[]
  excluded(botId: string, profile: string): boolean
}

/** Reads `--target`/`--exclude` values; unknown profiles and malformed ids are errors. */
export function parseTargets(values: readonly string[], flag: string, profiles: readonly string[]): {spec: TargetSpec; diagnostics: Diagnostic[]} {
  const spec: TargetSpec = {ids: new Set(), profiles: new Set()}
  const diagnostics: Diagnostic[] = []
  for (const value of values) {
    if (value.startsWith('profile:')) {
      const name = value.slice('profile:'.length)
      if (profiles.includes(name)) spec.profiles.add(name)
      else {
        const guess = didYouMean(name, profiles)
        diagnostics.push({severity: 'error', code: 'bad_target', message: `${flag} ${value}: no profile named "${name}" resolves. ${guess ? `Did you mean profile:${guess}?` : `Profiles: ${profiles.join(', ')}.`}`})
      }
    } else if (BOT_ID.test(value)) spec.ids.add(value.toLowerCase())
    else diagnostics.push({severity: 'error', code: 'bad_target', message: `${flag} ${value}: write a bot id (a UUID) or profile:NAME.`})
  }
  return {spec, diagnostics}
}

export function buildReadScope(assignments: readonly ResolvedAssignment[], targets: TargetSpec | null, excludes: TargetSpec): {scope: ReadScope; diagnostics: Diagnostic[]} {
  const excluded = (botId: string, profile: string) => excludes.ids.has(botId) || excludes.profiles.has(profile)
  const wantsProfile = (profile: string) => targets === null || targets.profiles.has(profile)
  const kept: ResolvedAssignment[] = []
  const listed: ResolvedAssignment[] = []
  const probed: ResolvedAssignment[] = []
  const explicitIds = new Set<string>()
  for (const assignment of assignments) {
    const selector = assignment.decl.selector
    if (selector.kind === 'bots') {
      const keep = selector.bots.map((id, i) => ({id, location: selector.locations[i]})).filter(({id}) => !excluded(id, assignment.profile) && (wantsProfile(assignment.profile) || (targets?.ids.has(id) ?? false)))
      if (keep.length === 0) continue
      for (const {id} of keep) explicitIds.add(id)
      kept.push({...assignment, decl: {...assignment.decl, selector: {kind: 'bots', bots: keep.map((k) => k.id), locations: keep.map((k) => k.location ?? assignment.decl.location)}}})
    } else if (!excludes.profiles.has(assignment.profile)) {
      if (wantsProfile(assignment.profile)) {
        listed.push(assignment)
        kept.push(assignment)
      } else if (targets !== null && targets.ids.size > 0) {
        probed.push(assignment)
        kept.push(assignment)
      }
    }
  }
  const probeIds = probed.length === 0 || targets === null ? [] : [...targets.ids].filter((id) => !explicitIds.has(id) && !excludes.ids.has(id))
  const diagnostics: Diagnostic[] = []
  if (targets !== null && probed.length === 0)
    for (const id of targets.ids)
      if (!explicitIds.has(id) && !excludes.ids.has(id))
        diagnostics.push({severity: 'warning', code: 'target_unassigned', message: `--target ${id}: no assignment lists this bot and no match selector could claim it; it is not in the plan.`})
  return {scope: {assignments: kept, botIds: [...new Set([...explicitIds, ...probeIds])], listed, probed, probeIds, excluded}, diagnostics}
}

/**
 * Ids targeted on the command line that only a selector could claim, once read: those no selector
 * claimed are not in the plan, and saying nothing would hide a typo or a bot in another state.
 */
export function unclaimedTargets(probeIds: readonly string[], claimed: ReadonlySet<string>, snapshots: ReadonlyMap<string, BotSnapshot>): Diagnostic[] {
  return probeIds
    .filter((id) => !claimed.has(id))
    .map((id) => {
      const snapshot = snapshots.get(id)
      const why =
        snapshot === undefined || !snapshot.found
          ? 'no such bot in this workspace and region (Recall answered 404)'
          : `no assignment lists this bot and no match selector matches it (status ${snapshot.status ?? '(none)'})`
      return {severity: 'warning', code: 'target_unassigned', message: `--target ${id}: ${why}; it is not in the plan.`}
    })
}
