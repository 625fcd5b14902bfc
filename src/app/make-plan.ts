import {buildPlan} from '../diff/build-plan.js'
import {claimBots} from '../refresh/claim.js'
import type {DiffContext, KnownBody} from '../diff/diff-bot.js'
import type {Plan} from '../plan/types.js'
import {refresh} from '../refresh/refresh.js'
import type {BotSnapshot} from '../refresh/snapshot.js'
import {scopeOfTargets, unassignedExcludes, unclaimedTargets} from '../refresh/scope.js'
import type {ResolvedProject} from '../resolve/types.js'
import {hasErrors, type Diagnostic} from '../shared/diagnostics.js'
import {attachSourceRanges} from '../validate/attach-ranges.js'
import type {Connection} from './connect.js'
import type {ProjectSources} from './load-project.js'
import type {PreviousBodyFinder} from './previous-bodies.js'

export interface PlanOptions {
  targets: readonly string[]
  excludes: readonly string[]
  ignoreMissing: boolean
  env: Readonly<Record<string, string | undefined>>
  toolVersion: string
  now: Date
  signal?: AbortSignal
  onProgress?: (message: string) => void
  /** `--compare-ref`: finds, in the config's git history, the bodies running recordings were started with. */
  previousBodies?: PreviousBodyFinder
  /** The project's parsed files: the live state's diagnostics (a missing bot...) get their range and snippet. */
  sources?: ProjectSources
}

/** Every body the config resolves to, by digest: what a restart is compared against. */
export function knownBodies(resolved: ResolvedProject): DiffContext['bodiesByDigest'] {
  const map = new Map<string, KnownBody>()
  for (const p of resolved.profiles) map.set(p.digest, {profile: p.name, body: p.body})
  for (const a of resolved.assignments) map.set(a.digest, {profile: a.profile, body: a.body})
  return map
}

/** Target and exclude flags, checked before any request. */
export function checkScope(resolved: ResolvedProject, options: Pick<PlanOptions, 'targets' | 'excludes'>) {
  return scopeOfTargets(
    resolved.profiles.map((p) => p.name),
    resolved.assignments,
    options,
  )
}

/** A plan that could not read anything: bad input never causes a request. */
export function planWithoutRefresh(
  diagnostics: readonly Diagnostic[],
  options: Pick<PlanOptions, 'toolVersion' | 'now'>,
  baseUrl: string,
): Plan {
  return buildPlan({
    desired: [],
    snapshots: new Map(),
    context: {bodiesByDigest: new Map(), env: {}},
    diagnostics,
    ignoreMissing: false,
    base_url: baseUrl,
    created_at: options.now.toISOString(),
    tool_version: options.toolVersion,
  })
}

/** refresh → diff for a resolved project: the plan, computed once. */
export async function makePlan(resolved: ResolvedProject, connection: Connection, options: PlanOptions): Promise<Plan> {
  const {scope, diagnostics: scopeProblems} = checkScope(resolved, options)
  const inputDiagnostics = [...resolved.diagnostics, ...scopeProblems]
  if (hasErrors(inputDiagnostics)) return planWithoutRefresh(inputDiagnostics, options, connection.baseUrl)
  options.onProgress?.(
    `Reading ${scope.botIds.length} bot(s) by id and ${scope.listed.length} match selector(s) from ${connection.baseUrl}...`,
  )
  const refreshed = await refresh(connection.client, scope, options.signal ? {signal: options.signal} : {})
  const claimed = claimBots(scope.assignments, refreshed.matched)
  const unclaimed = unclaimedTargets(scope.probeIds, new Set(claimed.desired.map((d) => d.bot_id)), refreshed.snapshots)
  const unassigned = unassignedExcludes(scope.excludeProbeIds, resolved.assignments, refreshed.snapshots)
  const known = knownBodies(resolved)
  const previous = options.previousBodies
    ? await options.previousBodies(unknownActiveDigests(claimed.desired, refreshed.snapshots, known))
    : undefined
  const plan = buildPlan({
    desired: claimed.desired,
    snapshots: refreshed.snapshots,
    context: {bodiesByDigest: previous ? new Map([...previous.bodies, ...known]) : known, env: options.env},
    diagnostics: [
      ...inputDiagnostics,
      ...refreshed.diagnostics,
      ...claimed.diagnostics,
      ...unclaimed,
      ...unassigned,
      ...(previous?.diagnostics ?? []),
    ],
    ignoreMissing: options.ignoreMissing,
    base_url: connection.baseUrl,
    created_at: options.now.toISOString(),
    tool_version: options.toolVersion,
  })
  const located = options.sources ? {...plan, diagnostics: attachSourceRanges(plan.diagnostics, options.sources)} : plan
  // A narrowed plan says so: applying the file checks its bots against this scope of the config.
  return options.targets.length > 0 || options.excludes.length > 0
    ? {...located, scope: {targets: [...options.targets], excludes: [...options.excludes]}}
    : located
}

/** Digests stamped on running recordings that the current config does not resolve to: what --compare-ref looks for. */
function unknownActiveDigests(
  desired: readonly {bot_id: string; digest: string}[],
  snapshots: ReadonlyMap<string, BotSnapshot>,
  known: DiffContext['bodiesByDigest'],
): string[] {
  const digests = new Set<string>()
  for (const bot of desired) {
    const active = snapshots.get(bot.bot_id)?.active?.digest
    if (active && active !== bot.digest && !known.has(active)) digests.add(active)
  }
  return [...digests]
}
