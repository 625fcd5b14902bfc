import type {ApplySummary, BotResult} from '../execute/events.js'
import {rateLabel} from './progress-line.js'

/** apply's closing report for people (pure): what was made, the time against Recall's bound, and after Ctrl-C how to finish. */

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`
const times = (n: number): string => (n === 1 ? 'once' : `${n} times`)

/** Bot ids listed on the terminal at most; `--json` has them all. */
export const LISTED_BOTS = 10

/**
 * `Took 121.7 s; Recall's limits allow 120.0 s for 900 bots (reads and writes at 300/min).` A saved plan's
 * run includes its verification, whose reads all come before the first write.
 */
export function timingSentence(summary: ApplySummary, bots: number): string {
  const {retrieve_bot: reads, start_recording: writes, window_ms: windowMs} = summary.limits
  const paced =
    reads === null
      ? `writes at ${rateLabel(writes, windowMs)}`
      : summary.verified
        ? `each read to verify the plan file, then written; reads at ${rateLabel(reads, windowMs)}, writes at ${rateLabel(writes, windowMs)}`
        : reads === writes
          ? `reads and writes at ${rateLabel(writes, windowMs)}`
          : `reads at ${rateLabel(reads, windowMs)}, writes at ${rateLabel(writes, windowMs)}`
  const allowed =
    summary.bound_ms > 0
      ? `Recall's limits allow ${seconds(summary.bound_ms)} for ${bots} bots (${paced})`
      : `Recall's limits allow all ${bots} bots' calls at once (${paced})`
  const throttled =
    summary.rate_limited > 0
      ? ` Recall answered 429 ${times(summary.rate_limited)}; those calls waited ${seconds(summary.retry_after_wait_ms)} in all, as it asked.`
      : ''
  return `Took ${seconds(summary.elapsed_ms)}; ${allowed}.${throttled}`
}

/** `a, b, c and 12 more` */
export function listBots(ids: readonly string[], most = LISTED_BOTS): string {
  const shown = ids.slice(0, most).join(', ')
  return ids.length > most ? `${shown} and ${ids.length - most} more (--json lists them all)` : shown
}

export interface ReportContext {
  /** The plan file applied, or undefined for an apply that planned itself. */
  planFile?: string | undefined
  /** Ctrl-C (or SIGTERM) stopped the run. */
  interrupted: boolean
}

export function applyReport(results: readonly BotResult[], summary: ApplySummary, context: ReportContext): string {
  const lines: string[] = []
  const notApplied = results.filter((r) => r.outcome === 'stale' || r.outcome === 'failed')
  if (notApplied.length > 0) {
    lines.push('Not applied:')
    for (const r of notApplied.slice(0, 50)) lines.push(`  ${r.outcome} bot ${r.bot_id}: ${r.reason ?? ''}`)
    if (notApplied.length > 50) lines.push(`  ... and ${notApplied.length - 50} more (--json lists them all)`)
  }
  const made = summary.started + summary.restarted
  const already = summary.already_applied > 0 ? `${summary.already_applied} already applied, ` : ''
  const outcomes = `${summary.started} started, ${summary.restarted} restarted, ${already}${summary.stale} skipped as stale, ${summary.failed} failed`
  if (context.interrupted || summary.interrupted > 0) {
    const notMade = results.filter((r) => r.outcome === 'interrupted').map((r) => r.bot_id)
    lines.push(`Interrupted: ${made} of ${results.length} calls made (${outcomes}); ${notMade.length} not made.`)
    if (notMade.length > 0) lines.push(`Not made: ${listBots(notMade)}.`)
    lines.push(timingSentence(summary, results.length))
    lines.push(
      context.planFile === undefined
        ? 'To finish, run the same apply again (recallctl apply): it plans again and makes only the calls still needed.'
        : `To finish, run the same apply again (recallctl apply ${context.planFile}): it re-reads each bot, counts those already started as already applied and makes the rest; or plan again and apply the new plan.`,
    )
  } else {
    lines.push(`Apply complete: ${outcomes}.`)
    lines.push(timingSentence(summary, results.length))
  }
  return lines.join('\n')
}

/** After a second Ctrl-C: the counts known so far, and what is unknown. */
export function quitReport(counts: {total: number; finished: number; made: number}): string {
  const unknown = counts.total - counts.finished
  return (
    `Quit at once: ${counts.made} of ${counts.total} calls made; ${unknown} not finished (calls already sent may still complete at Recall). ` +
    'Each call carries its idempotency key, so running the same apply again is safe and finishes the rest.'
  )
}
