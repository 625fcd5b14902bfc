import {IN_CALL_STATUSES} from '../config/bot-status.js'
import type {ObservedState} from '../plan/types.js'

const inCall = (status: string | null) => status !== null && IN_CALL_STATUSES.includes(status)

/** Why a bot that moved since the plan needs no call: it records the planned body already. */
export const alreadyAppliedReason = (digest: string): string =>
  `it already records the planned body (${digest}): an earlier run of this apply, or someone else, started it`

/**
 * Why a bot's state moved since the plan was made, or null when it did not (pure). A moved bot is
 * skipped as stale: the plan's decision was made on facts that no longer hold.
 */
export function staleReason(planned: ObservedState, now: ObservedState): string | null {
  if (inCall(planned.status) !== inCall(now.status))
    return `its status went from ${planned.status ?? 'none'} to ${now.status ?? 'none (missing)'}`
  if (planned.newest_recording_id !== now.newest_recording_id)
    return `its newest recording changed (${planned.newest_recording_id ?? 'none'} → ${now.newest_recording_id ?? 'none'})`
  if (planned.active_digest !== now.active_digest)
    return `its running recording's digest changed (${planned.active_digest ?? 'none'} → ${now.active_digest ?? 'none'})`
  return null
}
