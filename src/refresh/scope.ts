import {BOT_ID} from '../config/recordings-file-schema.js'
import type {ResolvedAssignment} from '../resolve/types.js'
import type {Diagnostic} from '../shared/diagnostics.js'
import {didYouMean} from '../validate/describe.js'
import {matchesSelector} from './claim.js'
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
  /**
   * `--exclude` ids no assignment lists, read singly so that one no selector matches is an error: a typo
   * in an exclude would otherwise leave the bot that was meant in the plan.
   */
  excludeProbeIds: string[]
  excluded(botId: string, profile: string): boolean
}

/** Reads `--target`/`--exclude` values; unknown profiles and malformed ids are errors. */
export function parseTargets(
  values: readonly string[],
  flag: string,
  profiles: readonly string[],
): {spec: TargetSpec; diagnostics: Diagnostic[]} {
  const spec: TargetSpec = {ids: new Set(), profiles: new Set()}
  const diagnostics: Diagnostic[] = []
  for (const value of values) {
    if (value.startsWith('profile:')) {
      const name = value.slice('profile:'.length)
      if (profiles.includes(name)) spec.profiles.add(name)
      else {
        const guess = didYouMean(name, profiles)
        diagnostics.push({
          severity: 'error',
          code: 'bad_target',
          message: `${flag} ${value}: no profile named "${name}" resolves. ${guess ? `Did you mean profile:${guess}?` : `Profiles: ${profiles.join(', ')}.`}`,
        })
      }
    } else if (BOT_ID.test(value)) spec.ids.add(value.toLowerCase())
    else
      diagnostics.push({
        severity: 'error',
        code: 'bad_target',
        message: `${flag} ${value}: write a bot id (a UUID) or profile:NAME.`,
      })
  }
  return {spec, diagnostics}
}

/** `--target`/`--exclude` values against a resolved project (pure): the read scope and every problem with the values. */
export function scopeOfTargets(
  profiles: readonly string[],
  assignments: readonly ResolvedAssignment[],
  values: {targets: readonly string[]; excludes: readonly string[]},
): {scope: ReadScope; diagnostics: Diagnostic[]} {
  const targets = parseTargets(values.targets, '--target', profiles)
  const excludes = parseTargets(values.excludes, '--exclude', profiles)
  const scoped = buildReadScope(assignments, values.targets.length > 0 ? targets.spec : null, excludes.spec)
  return {scope: scoped.scope, diagnostics: [...targets.diagnostics, ...excludes.diagnostics, ...scoped.diagnostics]}
}

export function buildReadScope(
  assignments: readonly ResolvedAssignment[],
  targets: TargetSpec | null,
  excludes: TargetSpec,
): {scope: ReadScope; diagnostics: Diagnostic[]} {
  const excluded = (botId: string, profile: string) => excludes.ids.has(botId) || excludes.profiles.has(profile)
  const wantsProfile = (profile: string) => targets === null || targets.profiles.has(profile)
  const kept: ResolvedAssignment[] = []
  const listed: ResolvedAssignment[] = []
  const probed: ResolvedAssignment[] = []
  const explicitIds = new Set<string>()
  for (const assignment of assignments) {
    const selector = assignment.selector
    if (selector.kind === 'bots') {
      const keep = selector.bots
        .map((id, i) => ({id, location: selector.locations[i]}))
        .filter(
          ({id}) => !excluded(id, assignment.profile) && (wantsProfile(assignment.profile) || (targets?.ids.has(id) ?? false)),
        )
      if (keep.length === 0) continue
      for (const {id} of keep) explicitIds.add(id)
      kept.push({
        ...assignment,
        selector: {kind: 'bots', bots: keep.map((k) => k.id), locations: keep.map((k) => k.location ?? assignment.location)},
      })
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
  const probeIds =
    probed.length === 0 || targets === null ? [] : [...targets.ids].filter((id) => !explicitIds.has(id) && !excludes.ids.has(id))
  const diagnostics: Diagnostic[] = []
  // A target or exclude that names a bot the config does not assign is an error, not a warning: a typo in
  // CI must not pass green (nor leave the bot that was meant in the plan).
  if (targets !== null && probed.length === 0)
    for (const id of targets.ids)
      if (!explicitIds.has(id) && !excludes.ids.has(id))
        diagnostics.push({
          severity: 'error',
          code: 'target_unassigned',
          message: `--target ${id}: no assignment lists this bot and no match selector could claim it. Check the id, or assign the bot in a recordings file.`,
        })
  const listedAnywhere = new Set(assignments.flatMap((a) => (a.selector.kind === 'bots' ? a.selector.bots : [])))
  const anySelector = assignments.some((a) => a.selector.kind === 'match')
  const excludeProbeIds: string[] = []
  for (const id of excludes.ids) {
    if (listedAnywhere.has(id)) continue
    if (anySelector) excludeProbeIds.push(id)
    else
      diagnostics.push({
        severity: 'error',
        code: 'target_unassigned',
        message: `--exclude ${id}: no assignment lists this bot and no match selector could claim it. Check the id: a typo would leave the bot you meant in the plan.`,
      })
  }
  const botIds = [...new Set([...explicitIds, ...probeIds, ...excludeProbeIds])]
  return {scope: {assignments: kept, botIds, listed, probed, probeIds, excludeProbeIds, excluded}, diagnostics}
}

/**
 * Ids targeted on the command line that only a selector could claim, once read: those no selector
 * claimed are not in the plan, and saying nothing would hide a typo or a bot in another state.
 */
export function unclaimedTargets(
  probeIds: readonly string[],
  claimed: ReadonlySet<string>,
  snapshots: ReadonlyMap<string, BotSnapshot>,
): Diagnostic[] {
  return probeIds
    .filter((id) => !claimed.has(id))
    .map((id) => {
      const snapshot = snapshots.get(id)
      const why =
        snapshot === undefined || !snapshot.found
          ? 'no such bot in this workspace and region (Recall answered 404)'
          : `no assignment lists this bot and no match selector matches it (status ${snapshot.status ?? '(none)'})`
      return {
        severity: 'error',
        code: 'target_unassigned',
        message: `--target ${id}: ${why}. Check the id, or assign the bot in a recordings file.`,
      }
    })
}

/** `--exclude` ids no assignment lists, once read: each must exist and be matched by some selector (any, in or out of scope). */
export function unassignedExcludes(
  excludeProbeIds: readonly string[],
  assignments: readonly ResolvedAssignment[],
  snapshots: ReadonlyMap<string, BotSnapshot>,
): Diagnostic[] {
  const selectors = assignments.flatMap((a) => (a.selector.kind === 'match' ? [a.selector] : []))
  return excludeProbeIds.flatMap((id): Diagnostic[] => {
    const snapshot = snapshots.get(id)
    if (snapshot?.found && snapshot.status !== null && selectors.some((selector) => matchesSelector(snapshot, selector)))
      return []
    const why =
      snapshot === undefined || !snapshot.found
        ? 'no such bot in this workspace and region (Recall answered 404)'
        : `no assignment lists this bot and no match selector matches it (status ${snapshot.status ?? '(none)'})`
    return [
      {
        severity: 'error',
        code: 'target_unassigned',
        message: `--exclude ${id}: ${why}. Check the id: a typo would leave the bot you meant in the plan.`,
      },
    ]
  })
}
