import {checkSavedPlan, checkSavedPlanAgainstBots} from '../execute/verify-saved-plan.js'
import type {ApplyGuards, PlannedCall, Refusal} from '../execute/plan-to-calls.js'
import type {Plan} from '../plan/types.js'
import {refresh} from '../refresh/refresh.js'
import type {ReadScope} from '../refresh/scope.js'
import type {ResolvedProject} from '../resolve/types.js'
import type {Connection} from './connect.js'
import {knownBodies} from './make-plan.js'

export interface VerifyPlanFileOptions {
  guards: ApplyGuards
  env: Readonly<Record<string, string | undefined>>
  onProgress?: (message: string) => void
  /** Wraps the reads (plan's read progress view). */
  withReads?: <T>(reads: number, read: () => Promise<T>) => Promise<T>
  now?: () => number
}

/** What verifying took: apply's summary judges the whole run, these reads included, against Recall's bound. */
export interface Verification {
  started_at: number
  reads: number
}

/**
 * A saved plan → the calls apply may make, or the refusals (see execute/verify-saved-plan.ts). The checks
 * that need no read come first, so a file refused on its face causes no request; then every bot of the
 * file is read again and the actions recomputed. Both finish before the first write: a mismatch refuses
 * the whole file before any call. A bot that moved since the plan comes back marked stale.
 */
export async function verifyPlanFile(
  plan: Plan,
  resolved: ResolvedProject,
  connection: Connection,
  options: VerifyPlanFileOptions,
): Promise<{calls: PlannedCall[]; refusals: Refusal[]; verification?: Verification}> {
  const now = options.now ?? Date.now
  const startedAt = now()
  const first = checkSavedPlan(plan, resolved, options.guards)
  if (first.refusals.length > 0) return {calls: [], refusals: first.refusals}

  options.onProgress?.(`Verifying the plan file: reading its ${first.readIds.length} bot(s) again from ${connection.baseUrl}...`)
  const scope: ReadScope = {
    assignments: [],
    botIds: first.readIds,
    listed: [],
    probed: [],
    probeIds: [],
    excludeProbeIds: [],
    excluded: () => false,
  }
  // When each bot was read: a read just before the writes begin stands in for execute's re-read.
  const readAt = new Map<string, number>()
  const reads = () => refresh(connection.client, scope, {onBot: (id) => readAt.set(id, now())})
  const read = await (options.withReads ? options.withReads(first.readIds.length, reads) : reads())
  const second = checkSavedPlanAgainstBots(plan, resolved, read, {bodiesByDigest: knownBodies(resolved), env: options.env})
  if (second.refusals.length > 0) return {calls: [], refusals: second.refusals}
  return {
    calls: first.calls.map((call) => {
      const stale = second.stale.get(call.bot_id)
      const applied = second.alreadyApplied.get(call.bot_id)
      const at = readAt.get(call.bot_id)
      return {
        ...call,
        ...(stale === undefined ? {} : {stale}),
        ...(applied === undefined ? {} : {already_applied: applied}),
        ...(at === undefined ? {} : {read_at: at}),
      }
    }),
    refusals: [],
    verification: {started_at: startedAt, reads: first.readIds.length},
  }
}
