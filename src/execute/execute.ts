import PQueue from 'p-queue'
import {parseBot} from '../recall/bot-schema.js'
import type {RecallClient} from '../recall/client/client.js'
import {RecallApiError} from '../recall/client/errors.js'
import {observedStateOf} from '../diff/diff-bot.js'
import {missingSnapshot, snapshotOf} from '../refresh/snapshot.js'
import type {BotResult} from './events.js'
import {idempotencyKey} from './idempotency-key.js'
import type {PlannedCall} from './plan-to-calls.js'
import {alreadyAppliedReason, staleReason} from './stale.js'
import {bodyToSend} from './stamp.js'

export interface ExecuteOptions {
  client: RecallClient
  env: Readonly<Record<string, string | undefined>>
  /** Re-read each bot right before its call (a saved plan); false when the plan was read just now. */
  reread: boolean
  /**
   * With `reread`: a bot that the saved plan's verification read less than this long ago (`read_at`) is
   * not read again: that read is as close to the call as a re-read would be, and skipping it leaves the
   * read window to the bots read longer ago. Such bots go first. Default VERIFIED_READ_FRESH_MS.
   */
  freshForMs?: number | undefined
  /** The clock `read_at` is judged by. */
  now: () => number
  /**
   * Bots worked on at once. Default: one window of writes plus the writes allowed in flight, so the
   * limiters always have the next window's calls queued (a run reaches its bound) while a bot's re-read
   * stays close to its write. The client's limiters bound the requests.
   */
  concurrency?: number | undefined
  /**
   * Once aborted (Ctrl-C), no new bot is started and every call still waiting in a limiter or a retry's
   * back-off is cancelled: those bots are reported `interrupted`. Requests already on the wire finish.
   */
  stop: AbortSignal
  onResult: (result: BotResult) => void
}

/**
 * The execute stage: each planned call through the client (re-read, stale check, then start_recording
 * with the complete stamped body and a stable Idempotency-Key). A final error on one bot does not stop
 * the others. Results come back in plan order.
 */
export async function executeCalls(calls: readonly PlannedCall[], options: ExecuteOptions): Promise<BotResult[]> {
  const writes = options.client.outlook('start_recording')
  const queue = new PQueue({concurrency: options.concurrency ?? writes.limit + writes.inFlightCeiling})
  const results: BotResult[] = new Array(calls.length)
  options.stop.addEventListener('abort', () => queue.clear(), {once: true})
  for (const index of freshestFirst(calls)) {
    const call = calls[index]!
    void queue.add(async () => {
      const result = options.stop.aborted ? interrupted(call) : await executeOne(call, options)
      results[index] = result
      options.onResult(result)
    })
  }
  await queue.onIdle()
  for (const [index, call] of calls.entries()) if (!results[index]) options.onResult((results[index] = interrupted(call)))
  return results
}

/** How recent a verification read stands in for the re-read before a call (see ExecuteOptions.freshForMs). */
export const VERIFIED_READ_FRESH_MS = 10_000

/** How many of a saved plan's calls execute will read again (for the ETA): those not read recently. */
export function rereadsNeeded(calls: readonly PlannedCall[], now: number, freshForMs = VERIFIED_READ_FRESH_MS): number {
  return calls.filter((call) => !readRecently(call, now, freshForMs)).length
}

const readRecently = (call: PlannedCall, now: number, freshForMs: number) =>
  call.read_at !== undefined && now - call.read_at < freshForMs

/** Call indexes, the most recently read bots first (stable; bots never read last). */
function freshestFirst(calls: readonly PlannedCall[]): number[] {
  return calls
    .map((_, index) => index)
    .sort((a, b) => (calls[b]!.read_at ?? -Infinity) - (calls[a]!.read_at ?? -Infinity) || a - b)
}

const interrupted = (call: PlannedCall): BotResult => ({
  bot_id: call.bot_id,
  action: call.action,
  outcome: 'interrupted',
  reason: 'apply was interrupted before this call',
})

async function executeOne(call: PlannedCall, options: ExecuteOptions): Promise<BotResult> {
  const base = {bot_id: call.bot_id, action: call.action}
  // Found stale when a saved plan was verified (it moved since the plan): skipped without a call.
  if (call.stale !== undefined) return {...base, outcome: 'stale', reason: call.stale}
  if (call.already_applied !== undefined) return {...base, outcome: 'already_applied', reason: call.already_applied}
  try {
    let newest = call.before.newest_recording_id
    if (options.reread && !readRecently(call, options.now(), options.freshForMs ?? VERIFIED_READ_FRESH_MS)) {
      const raw = await options.client.retrieveBot(call.bot_id, {stop: options.stop})
      const parsed = raw === null ? undefined : parseBot(raw)
      const snapshot = raw === null ? missingSnapshot(call.bot_id) : parsed?.ok ? snapshotOf(parsed.value) : undefined
      if (!snapshot)
        return {...base, outcome: 'failed', reason: "Recall's answer is not a bot this version understands", code: null}
      const observed = observedStateOf(snapshot)
      const reason = staleReason(call.before, observed)
      if (reason && observed.active_digest === call.digest)
        return {...base, outcome: 'already_applied', reason: alreadyAppliedReason(call.digest)}
      if (reason) return {...base, outcome: 'stale', reason: `${reason} since the plan was made`}
      newest = snapshot.newest_recording_id
    }
    const body = bodyToSend(call.body, call.digest, call.profile, options.env)
    const bot = await options.client.startRecording(call.bot_id, body, {
      idempotencyKey: idempotencyKey(call.bot_id, call.digest, newest),
      stop: options.stop,
    })
    const parsed = bot === null ? undefined : parseBot(bot)
    const recording = parsed?.ok ? snapshotOf(parsed.value).newest_recording_id : null
    return {...base, outcome: call.action === 'start' ? 'started' : 'restarted', ...(recording ? {recording_id: recording} : {})}
  } catch (error) {
    if (error instanceof RecallApiError) return {...base, outcome: 'failed', reason: error.message, code: error.code}
    // Cancelled by Ctrl-C while waiting for a slot or a retry: the call was not made.
    if (options.stop.aborted) return interrupted(call)
    // Anything else is reported against this bot too: one bot's surprise must not end the apply unreported.
    return {
      ...base,
      outcome: 'failed',
      reason: `unexpected error: ${error instanceof Error ? error.message : String(error)}`,
      code: null,
    }
  }
}
