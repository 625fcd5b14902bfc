import {formatLocation, type Diagnostic, type SourceLocation} from '../shared/diagnostics.js'
import {MAX_EXTENDS_CHAIN} from '../shared/limits.js'
import {didYouMean, quoteName} from './describe.js'
import type {AssignmentDecl, ProfileDecl} from './types.js'

const where = (loc: SourceLocation): string => formatLocation(loc)

/** At most ten names, quoted safe: a message stays a sentence even with thousands of profiles. */
const someNames = (names: readonly string[]): string =>
  names.slice(0, 10).map(quoteName).join(', ') + (names.length > 10 ? ` and ${names.length - 10} more` : '')

/** Profiles by name; a name declared twice is an error naming both places (the first one wins). */
export function indexProfiles(declared: readonly ProfileDecl[]): {profiles: Map<string, ProfileDecl>; diagnostics: Diagnostic[]} {
  const profiles = new Map<string, ProfileDecl>()
  const diagnostics: Diagnostic[] = []
  for (const profile of declared) {
    const first = profiles.get(profile.name)
    if (!first) {
      profiles.set(profile.name, profile)
      continue
    }
    diagnostics.push({
      severity: 'error',
      code: 'duplicate_profile',
      message: `profile "${quoteName(profile.name)}" is declared twice: here and at ${where(first.location)}. Rename one of them.`,
      ...profile.location,
      related: [{...first.location, message: 'first declared here'}],
    })
  }
  return {profiles, diagnostics}
}

/** `extends` names a profile that exists, and no chain loops. Cycles name every profile in them. */
export function checkExtends(profiles: ReadonlyMap<string, ProfileDecl>): Diagnostic[] {
  const diagnostics: Diagnostic[] = []
  const names = [...profiles.keys()]
  for (const profile of profiles.values()) {
    if (profile.extends === undefined || profiles.has(profile.extends)) continue
    const guess = didYouMean(profile.extends, names)
    diagnostics.push({
      severity: 'error',
      code: 'missing_parent',
      message: `profile "${quoteName(profile.name)}" extends "${quoteName(profile.extends)}", which is not declared in any recordings file. ${guess ? `Did you mean "${guess}"?` : `Declared profiles: ${someNames(names)}.`}`,
      ...(profile.extendsLocation ?? profile.location),
    })
  }
  const reported = new Set<string>()
  // Chain lengths, remembered: each walk stops at a profile already measured, so the check stays
  // linear in the number of profiles (a chain of 10,000 must not cost 10,000² steps).
  const lengths = new Map<ProfileDecl, number>()
  for (const start of profiles.values()) {
    const seen: ProfileDecl[] = []
    const onPath = new Set<ProfileDecl>()
    let current: ProfileDecl | undefined = start
    while (current && !onPath.has(current) && !lengths.has(current)) {
      seen.push(current)
      onPath.add(current)
      current = current.extends === undefined ? undefined : profiles.get(current.extends)
    }
    if (!current || lengths.has(current)) {
      let length = current ? (lengths.get(current) as number) : 0
      for (let i = seen.length - 1; i >= 0; i--) {
        const profile = seen[i] as ProfileDecl
        lengths.set(profile, ++length)
        if (length === MAX_EXTENDS_CHAIN + 1) diagnostics.push(chainTooLong(profile, profiles))
      }
      continue
    }
    for (const profile of seen) lengths.set(profile, Infinity)
    const cycle = seen.slice(seen.indexOf(current))
    const key = cycle
      .map((p) => p.name)
      .sort()
      .join('>')
    if (reported.has(key)) continue
    reported.add(key)
    const first = [...cycle].sort((a, b) => a.name.localeCompare(b.name))[0] as ProfileDecl
    const ordered = [...cycle.slice(cycle.indexOf(first)), ...cycle.slice(0, cycle.indexOf(first))]
    const steps = ordered.map((p) => `"${quoteName(p.name)}" (${where(p.extendsLocation ?? p.location)})`)
    diagnostics.push({
      severity: 'error',
      code: 'extends_cycle',
      message: `extends chain loops: ${steps.join(' extends ')} extends "${quoteName(first.name)}" again. Remove one of these extends.`,
      ...(first.extendsLocation ?? first.location),
      related: ordered.map((p) => ({
        ...(p.extendsLocation ?? p.location),
        message: `"${quoteName(p.name)}" extends "${quoteName(p.extends ?? '')}"`,
      })),
    })
  }
  return diagnostics
}

/** The first profile whose chain passes MAX_EXTENDS_CHAIN; its descendants are not reported again. */
function chainTooLong(profile: ProfileDecl, profiles: ReadonlyMap<string, ProfileDecl>): Diagnostic {
  const names: string[] = []
  for (
    let p: ProfileDecl | undefined = profile;
    p && names.length < 4;
    p = p.extends === undefined ? undefined : profiles.get(p.extends)
  )
    names.push(`"${quoteName(p.name)}"`)
  return {
    severity: 'error',
    code: 'extends_chain_too_long',
    message: `profile "${quoteName(profile.name)}" has an extends chain of more than ${MAX_EXTENDS_CHAIN} profiles (${names.join(' extends ')} extends …), over the limit. Shorten the chain: let profiles extend a common base instead of each other.`,
    ...(profile.extendsLocation ?? profile.location),
  }
}

/** Each assignment names a declared profile; each explicit bot id is claimed by one assignment only. */
export function checkAssignments(
  assignments: readonly AssignmentDecl[],
  profiles: ReadonlyMap<string, ProfileDecl>,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = []
  const names = [...profiles.keys()]
  for (const assignment of assignments) {
    if (profiles.has(assignment.profile)) continue
    const guess = didYouMean(assignment.profile, names)
    diagnostics.push({
      severity: 'error',
      code: 'unknown_profile',
      message: `assignment ${assignment.label} uses profile "${quoteName(assignment.profile)}", which is not declared. ${guess ? `Did you mean "${guess}"?` : `Declared profiles: ${someNames(names) || 'none'}.`}`,
      ...assignment.profileLocation,
    })
  }
  const claims = new Map<string, {assignment: AssignmentDecl; location: SourceLocation}>()
  for (const assignment of assignments) {
    if (assignment.selector.kind !== 'bots') continue
    assignment.selector.bots.forEach((bot, i) => {
      const location = (assignment.selector as {locations: SourceLocation[]}).locations[i] ?? assignment.location
      const first = claims.get(bot)
      if (!first) {
        claims.set(bot, {assignment, location})
        return
      }
      const same = first.assignment === assignment
      diagnostics.push({
        severity: 'error',
        code: 'bot_claimed_twice',
        message: same
          ? `bot ${bot} is listed twice in assignment ${assignment.label} (also at ${where(first.location)}). Remove one.`
          : `bot ${bot} is in two assignments: ${first.assignment.label} (profile "${quoteName(first.assignment.profile)}", at ${where(first.location)}) and ${assignment.label} (profile "${quoteName(assignment.profile)}"). A bot records with one profile: remove it from one of them.`,
        ...location,
        related: [{...first.location, message: 'first claimed here'}],
      })
    })
  }
  return diagnostics
}

/** A profile that no assignment uses, directly or as an ancestor of a used one, is worth a warning. */
export function checkUnusedProfiles(
  assignments: readonly AssignmentDecl[],
  profiles: ReadonlyMap<string, ProfileDecl>,
): Diagnostic[] {
  const used = new Set<string>()
  for (const assignment of assignments) {
    let name: string | undefined = assignment.profile
    while (name !== undefined && !used.has(name)) {
      used.add(name)
      name = profiles.get(name)?.extends
    }
  }
  return [...profiles.values()]
    .filter((p) => !used.has(p.name))
    .map((p) => ({
      severity: 'warning' as const,
      code: 'unused_profile',
      message: `profile "${quoteName(p.name)}" is not used by any assignment (nor extended by a used profile). It is still checked; remove it or assign it to bots.`,
      ...p.location,
    }))
}
