import type {ApplyEvent, ApplySummary, BotResult} from '../execute/events.js'
import {summarizeResults} from '../execute/events.js'
import {executeCalls} from '../execute/execute.js'
import type {PlannedCall} from '../execute/plan-to-calls.js'
import {rateBoundMs} from '../execute/rate-bound.js'
import type {Connection} from './connect.js'
import type {Verification} from './verify-plan-file.js'

export interface RunApplyOptions {
  connection: Connection
  env: Readonly<Record<string, string | undefined>>
  reread: boolean
  /** Bots worked on at once; default: see ExecuteOptions.concurrency. */
  concurrency?: number | undefined
  /** Ctrl-C: see ExecuteOptions.stop. */
  stop: AbortSignal
  emit: (event: ApplyEvent) => void
  /**
   * A saved plan's verification: the run is timed from its start, and its reads, which must all finish
   * before the first write, count in the bound.
   */
  verification?: Verification | undefined
  now?: () => number
}

/** execute → report: runs the calls, turning client and execute results into apply events. */
export async function runApply(
  calls: readonly PlannedCall[],
  options: RunApplyOptions,
): Promise<{results: BotResult[]; summary: ApplySummary}> {
  const now = options.now ?? Date.now
  const started = options.verification?.started_at ?? now()
  options.emit({
    type: 'apply_start',
    total: calls.length,
    starts: calls.filter((c) => c.action === 'start').length,
    restarts: calls.filter((c) => c.action === 'restart').length,
  })
  const results = await executeCalls(calls, {
    client: options.connection.client,
    env: options.env,
    reread: options.reread,
    now,
    concurrency: options.concurrency,
    stop: options.stop,
    onResult: (result) => {
      if (result.outcome === 'started' || result.outcome === 'restarted')
        options.emit({
          type: 'call_done',
          bot_id: result.bot_id,
          action: result.action,
          ...(result.recording_id ? {recording_id: result.recording_id} : {}),
        })
      else if (result.outcome === 'stale') options.emit({type: 'call_stale', bot_id: result.bot_id, reason: result.reason ?? ''})
      else if (result.outcome === 'already_applied')
        options.emit({type: 'call_already_applied', bot_id: result.bot_id, reason: result.reason ?? ''})
      else if (result.outcome === 'failed')
        options.emit({type: 'call_failed', bot_id: result.bot_id, code: result.code ?? null, message: result.reason ?? ''})
    },
  })
  const counters = options.connection.client.counters()
  const reads = options.connection.client.outlook('retrieve_bot')
  const writes = options.connection.client.outlook('start_recording')
  const summary = summarizeResults(results, {
    rate_limited: Object.values(counters.rateLimited).reduce((a, b) => a + b, 0),
    retry_after_wait_ms: Math.round(counters.rateLimitWaitMs),
    limiter_wait_ms: Math.round(counters.limiterWaitMs),
    elapsed_ms: Math.round(now() - started),
    bound_ms: applyBoundMs(
      calls.length,
      options,
      {retrieve_bot: reads.limit, start_recording: writes.limit, list_bots: Infinity},
      writes.windowMs,
    ),
    limits: {retrieve_bot: options.reread ? reads.limit : null, start_recording: writes.limit, window_ms: writes.windowMs},
    ...(options.verification ? {verified: true} : {}),
  })
  options.emit({type: 'apply_complete', summary, results})
  return {results, summary}
}

/**
 * Without a plan file the plan's reads came before (and are timed by plan): the writes alone. A saved
 * plan's reads all finish before its first write, so the two phases add up; its re-reads fit in the read
 * window that the writes' pace leaves free, and count for nothing.
 */
function applyBoundMs(
  calls: number,
  options: Pick<RunApplyOptions, 'reread' | 'verification'>,
  limits: Parameters<typeof rateBoundMs>[1],
  windowMs: number,
): number {
  const writes = rateBoundMs({start_recording: calls}, limits, windowMs)
  if (options.verification) return rateBoundMs({retrieve_bot: options.verification.reads}, limits, windowMs) + writes
  return options.reread ? rateBoundMs({retrieve_bot: calls, start_recording: calls}, limits, windowMs) : writes
}
