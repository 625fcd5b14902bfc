import type {ApplyEvent} from '../execute/events.js'
import type {EndpointGroup} from '../recall/client/endpoints.js'
import type {EndpointOutlook} from '../recall/client/rate-limiter.js'
import type {LiveProgress, RequestTally} from './live-progress.js'
import {etaFromSchedule, waitingReason, type ProgressFacts, type RemainingCalls} from './progress-line.js'

/**
 * How apply reports progress: a live line on a TTY (live-progress.ts); elsewhere one plain line per bot plus
 * a progress line every 10 s; NDJSON with --json.
 */
export interface ProgressSink {
  event(event: ApplyEvent): void
  done(): void
}

export function ndjsonSink(write: (line: string) => void): ProgressSink {
  return {event: (event) => write(JSON.stringify(event)), done: () => undefined}
}

export function plainSink(write: (line: string) => void): ProgressSink {
  let done = 0
  let total = 0
  return {
    event(event) {
      if (event.type === 'apply_start') {
        total = event.total
        write(`Applying ${total} call(s): ${event.starts} start, ${event.restarts} restart.`)
      } else if (event.type === 'call_done')
        write(
          `[${++done}/${total}] ${event.action === 'start' ? 'started' : 'restarted'} bot ${event.bot_id}${event.recording_id ? ` (recording ${event.recording_id})` : ''}`,
        )
      else if (event.type === 'call_stale') write(`[${++done}/${total}] skipped bot ${event.bot_id}: stale, ${event.reason}`)
      else if (event.type === 'call_already_applied')
        write(`[${++done}/${total}] bot ${event.bot_id} needs no call: ${event.reason}`)
      else if (event.type === 'call_failed') write(`[${++done}/${total}] failed bot ${event.bot_id}: ${event.message}`)
      else if (event.type === 'rate_limited')
        write(`rate limited on ${event.endpoint}: waiting ${(event.wait_ms / 1000).toFixed(1)} s as Recall asked`)
    },
    done: () => undefined,
  }
}

const FINISHED = new Set<ApplyEvent['type']>(['call_done', 'call_already_applied', 'call_stale', 'call_failed'])

/** Counts of an apply as its events arrive: what the progress line and a second Ctrl-C report. */
export interface ApplyCounts {
  total: number
  /** Bots finished, whatever the outcome. */
  finished: number
  made: number
  already_applied: number
  stale: number
  failed: number
}

export function countingSink(): ProgressSink & {counts: ApplyCounts} {
  const counts: ApplyCounts = {total: 0, finished: 0, made: 0, already_applied: 0, stale: 0, failed: 0}
  return {
    counts,
    event(event) {
      if (event.type === 'apply_start') counts.total = event.total
      else if (event.type === 'call_done') counts.made++
      else if (event.type === 'call_already_applied') counts.already_applied++
      else if (event.type === 'call_stale') counts.stale++
      else if (event.type === 'call_failed') counts.failed++
      if (FINISHED.has(event.type)) counts.finished++
    },
    done: () => undefined,
  }
}

/** Several sinks as one. */
export function allSinks(...sinks: ProgressSink[]): ProgressSink {
  return {
    event: (event) => sinks.forEach((sink) => sink.event(event)),
    done: () => sinks.forEach((sink) => sink.done()),
  }
}

/** On a terminal: the live line (live-progress.ts) does the counting; only what went wrong is printed above it. */
export function liveSink(view: LiveProgress): ProgressSink {
  return {
    event(event) {
      if (event.type === 'call_stale') view.log(`skipped bot ${event.bot_id}: stale, ${event.reason}`)
      else if (event.type === 'call_failed') view.log(`failed bot ${event.bot_id}: ${event.message}`)
    },
    done: () => view.stop(),
  }
}

export interface ApplyProgressInputs {
  counts: ApplyCounts
  tally: RequestTally
  outlook: (endpoint: EndpointGroup) => EndpointOutlook
  /** Bots read again before their write (a saved plan's bots not read just now by its verification). */
  rereads: number
}

/** The facts of apply's progress line: done/total, requests per minute, 429s, ETA from the limiters' schedule, why it waits. */
export function applyFacts(inputs: ApplyProgressInputs): ProgressFacts {
  const {counts, tally, outlook, rereads} = inputs
  const left = Math.max(0, counts.total - counts.finished)
  const reads = Math.max(0, Math.min(left, rereads - tally.answered('retrieve_bot')))
  const remaining: RemainingCalls[] = [
    {endpoint: 'retrieve_bot', calls: reads, roundTripsAfter: 1},
    {endpoint: 'start_recording', calls: left, roundTripsAfter: 0},
  ]
  return {
    label: 'Applying',
    done: counts.finished,
    total: counts.total,
    perMinute: tally.perMinute(),
    rateLimited: tally.rateLimited(),
    etaMs: left === 0 ? 0 : etaFromSchedule(remaining, outlook, tally.latencyMs()),
    waiting: waitingReason([outlook('retrieve_bot'), outlook('start_recording')]),
  }
}
