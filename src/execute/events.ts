/** The outcome of one planned call. */
/** `already_applied`: no call was needed, the bot already records the planned body (an earlier run of this apply, or someone else). */
export type CallOutcome = 'started' | 'restarted' | 'already_applied' | 'stale' | 'failed' | 'interrupted'

export interface BotResult {
  bot_id: string
  action: 'start' | 'restart'
  outcome: CallOutcome
  /** The new recording, for started/restarted. */
  recording_id?: string
  /** Why it was stale, failed or not run. */
  reason?: string
  /** Recall's error code for failures. */
  code?: string | null
}

/** What apply reports as it goes: the progress display and `--json` NDJSON are built on these. */
export type ApplyEvent =
  | {type: 'apply_start'; total: number; starts: number; restarts: number}
  | {type: 'call_done'; bot_id: string; action: 'start' | 'restart'; recording_id?: string}
  | {type: 'call_stale'; bot_id: string; reason: string}
  | {type: 'call_already_applied'; bot_id: string; reason: string}
  | {type: 'call_failed'; bot_id: string; code: string | null; message: string}
  | {type: 'rate_limited'; endpoint: string; wait_ms: number}
  | {type: 'retry'; endpoint: string; reason: string; wait_ms: number}
  | {type: 'apply_complete'; summary: ApplySummary; results: BotResult[]}

export interface ApplySummary {
  started: number
  restarted: number
  /** Bots that moved since the plan into exactly the planned state: nothing left to do. */
  already_applied: number
  stale: number
  failed: number
  interrupted: number
  /** 429 answers received (each waited out per Retry-After). */
  rate_limited: number
  /** Time calls spent waiting out 429s, summed over calls. */
  retry_after_wait_ms: number
  /** Time calls spent waiting for a slot in recallctl's own rate limiters, summed over calls. */
  limiter_wait_ms: number
  elapsed_ms: number
  /** The least time Recall's limits allow for these calls (rate-bound.ts); elapsed_ms is judged against it. */
  bound_ms: number
  /** Requests per window the run was paced at: reads (null when it made none) and writes. */
  limits: {retrieve_bot: number | null; start_recording: number; window_ms: number}
  /** A saved plan: every bot was read to verify the file before the first write (timed and bounded with the run). */
  verified?: boolean
}

export function summarizeResults(
  results: readonly BotResult[],
  waits: Pick<
    ApplySummary,
    'rate_limited' | 'retry_after_wait_ms' | 'limiter_wait_ms' | 'elapsed_ms' | 'bound_ms' | 'limits' | 'verified'
  >,
): ApplySummary {
  const count = (outcome: CallOutcome) => results.filter((r) => r.outcome === outcome).length
  return {
    started: count('started'),
    restarted: count('restarted'),
    already_applied: count('already_applied'),
    stale: count('stale'),
    failed: count('failed'),
    interrupted: count('interrupted'),
    ...waits,
  }
}

/**
 * 0 every planned call made (or its bot already in the planned state); 3 some made and some not; 1 none
 * made (or nothing to make and an error).
 */
export function applyExitCode(summary: ApplySummary, planned: number): number {
  const made = summary.started + summary.restarted
  if (made + summary.already_applied === planned) return 0
  return made + summary.already_applied > 0 ? 3 : 1
}
