import type {ApplyEvent} from '../execute/events.js'

/** How apply reports progress: a redrawn bar on a TTY, one plain line per bot elsewhere, NDJSON with --json. */
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
      } else if (event.type === 'call_done') write(`[${++done}/${total}] ${event.action === 'start' ? 'started' : 'restarted'} bot ${event.bot_id}${event.recording_id ? ` (recording ${event.recording_id})` : ''}`)
      else if (event.type === 'call_stale') write(`[${++done}/${total}] skipped bot ${event.bot_id}: stale, ${event.reason}`)
      else if (event.type === 'call_failed') write(`[${++done}/${total}] failed bot ${event.bot_id}: ${event.message}`)
      else if (event.type === 'rate_limited') write(`rate limited on ${event.endpoint}: waiting ${(event.wait_ms / 1000).toFixed(1)} s as Recall asked`)
    },
    done: () => undefined,
  }
}

/** A one-line bar redrawn in place: done/total, rate, ETA, throttled count. */
export function barSink(stream: NodeJS.WriteStream, now: () => number = Date.now): ProgressSink {
  let total = 0
  let done = 0
  let throttled = 0
  let started = now()
  let last = 0
  const draw = (force = false) => {
    const t = now()
    if (!force && t - last < 100) return
    last = t
    const seconds = Math.max((t - started) / 1000, 0.001)
    const rate = done / seconds
    const eta = rate > 0 ? Math.max(0, Math.ceil((total - done) / rate)) : 0
    const width = 24
    const filled = total === 0 ? width : Math.min(width, Math.round((done / total) * width))
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}  ${rate.toFixed(1)}/s  ETA ${eta}s  throttled ${throttled}`
    stream.write(`\r${line.padEnd(Math.min(stream.columns ?? 80, 100) - 1)}`)
  }
  return {
    event(event) {
      if (event.type === 'apply_start') {
        total = event.total
        started = now()
      } else if (event.type === 'call_done' || event.type === 'call_stale' || event.type === 'call_failed') done++
      else if (event.type === 'rate_limited') throttled++
      draw()
    },
    done() {
      draw(true)
      stream.write('\n')
    },
  }
}
