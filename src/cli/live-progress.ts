import cliProgress from 'cli-progress'
import type {RecallClientEvent} from '../recall/client/events.js'
import {progressLine, type ProgressFacts} from './progress-line.js'

/**
 * A live progress line on stderr. On a terminal it is cli-progress's bar, redrawn twice a second from
 * `facts()` (so a countdown moves while the limiter holds every call) and fitted to the width; elsewhere
 * (CI logs) one plain line every 10 s. cli-progress is used for the redraw timer and cursor handling;
 * the line itself is progress-line.ts, so it fits any width.
 */
export interface LiveProgress {
  /** Prints a line above the progress line. */
  log(text: string): void
  /** Draws the final state and ends the line (TTY), or prints a last plain line. */
  stop(): void
}

export interface LiveProgressOptions {
  stream: NodeJS.WriteStream
  /** A terminal: redraw in place. Otherwise: a plain line every `plainEveryMs`. */
  tty: boolean
  facts: () => ProgressFacts
  plainEveryMs?: number
  /** Redraws per second on a terminal. */
  fps?: number
}

/**
 * cli-progress's terminal, without its save/restore of the cursor position: lines logged above the bar
 * would make the restore jump back up. Everything else is what cli-progress does.
 */
function lineTerminal(stream: NodeJS.WriteStream) {
  const tty = stream.isTTY === true
  return {
    cursorSave: () => undefined,
    cursorRestore: () => undefined,
    cursor: (enabled: boolean) => tty && stream.write(enabled ? '\x1B[?25h' : '\x1B[?25l'),
    cursorTo: () => tty && stream.write('\r'),
    cursorRelative: () => undefined,
    cursorRelativeReset: () => undefined,
    clearRight: () => tty && stream.write('\x1B[K'),
    clearLine: () => tty && stream.write('\r\x1B[K'),
    clearBottom: () => undefined,
    newline: () => stream.write('\n'),
    write: (text: string) => stream.write(text),
    lineWrapping: () => undefined,
    isTTY: () => tty,
    getWidth: () => stream.columns || 80,
  }
}

export function startLiveProgress(options: LiveProgressOptions): LiveProgress {
  const {stream} = options
  if (!options.tty) {
    const every = options.plainEveryMs ?? 10_000
    const timer = setInterval(() => stream.write(`${progressLine(options.facts(), 200)}\n`), every)
    return {
      log: (text) => void stream.write(text.endsWith('\n') ? text : `${text}\n`),
      stop: () => clearInterval(timer),
    }
  }
  const bar = new cliProgress.SingleBar({
    format: (_options, params) => progressLine(options.facts(), params.maxWidth),
    fps: options.fps ?? 2,
    // Not hidden: a second Ctrl-C exits at once, and a hidden cursor would stay hidden.
    hideCursor: false,
    linewrap: true,
    synchronousUpdate: false,
    // Every tick redraws, so a line logged above is followed by the bar at once.
    forceRedraw: true,
    terminal: lineTerminal(stream),
  } as cliProgress.Options)
  bar.start(1, 0)
  let stopped = false
  return {
    log(text) {
      if (stopped) return void stream.write(text.endsWith('\n') ? text : `${text}\n`)
      stream.write(`\r\x1B[K${text.endsWith('\n') ? text : `${text}\n`}`)
      bar.render()
    },
    stop() {
      if (stopped) return
      stopped = true
      bar.stop()
    },
  }
}

/** What a progress line counts from the client's events: requests in the last minute, 429s, latency. */
export interface RequestTally {
  onEvent(event: RecallClientEvent): void
  perMinute(): number
  rateLimited(): number
  /** Mean time of an answered request so far; 0 before the first. */
  latencyMs(): number
  /** Requests answered and accepted per endpoint (a 404 read included). */
  answered(endpoint: RecallClientEvent['endpoint']): number
}

export function requestTally(now: () => number = Date.now): RequestTally {
  const sent: number[] = []
  let rateLimited = 0
  let latencySum = 0
  let latencyCount = 0
  const answered = {start_recording: 0, retrieve_bot: 0, list_bots: 0}
  const prune = (at: number) => {
    while (sent.length > 0 && sent[0]! <= at - 60_000) sent.shift()
  }
  return {
    onEvent(event) {
      if (event.type !== 'request') return
      const at = now()
      sent.push(at)
      prune(at)
      if (event.status === 429) rateLimited++
      if (event.status !== null) {
        latencySum += event.ms
        latencyCount++
      }
      if (event.status !== null && (event.status < 300 || event.status === 404)) answered[event.endpoint]++
    },
    perMinute() {
      prune(now())
      return sent.length
    },
    rateLimited: () => rateLimited,
    latencyMs: () => (latencyCount === 0 ? 0 : latencySum / latencyCount),
    answered: (endpoint) => answered[endpoint],
  }
}
