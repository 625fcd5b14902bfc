/**
 * How long a bot's events must pause before the read that follows a burst: 500 ms. Recall sends a few
 * events per bot per meeting, seconds apart; a flood sends hundreds within this.
 */
export const EVENT_QUIET_MS = 500

/**
 * The longest a queued read waits for a flood to pause: 10 s (README, "Limits"). A flood that never
 * pauses still gets one read of its bot this often, and no more.
 */
export const EVENT_MAX_DEFER_MS = 10_000

export type EventCause = Record<string, unknown>

export interface BotEventQueueOptions {
  /** Reads and reconciles one bot. Never called twice at once for one bot; its rejections are ignored. */
  run: (botId: string, cause: EventCause) => Promise<void>
  /** Whether something else (a polling pass) holds the bot now; the queue then waits for release(). */
  held: (botId: string) => boolean
  quietMs?: number
  maxDeferMs?: number
  now?: () => number
}

interface BotState {
  running: boolean
  /** The newest event waiting for the next read, or null. */
  pending: EventCause | null
  /** Events merged into the pending read. */
  merged: number
  /** When the oldest pending event came. */
  pendingSince: number
  timer: NodeJS.Timeout | undefined
}

/**
 * Webhook events, coalesced per bot: at most one read in flight and one queued. The first event of a
 * quiet bot is read at once (a bot that joins is started without delay); events that come while that
 * read runs, or within `quietMs` after it, are merged into one more read once the bot has been quiet for
 * `quietMs` (at the latest `maxDeferMs` after the first of them). A burst of any size costs two reads;
 * a flood that never pauses, one more per `maxDeferMs`.
 */
export class BotEventQueue {
  private readonly bots = new Map<string, BotState>()
  private readonly tasks = new Set<Promise<void>>()
  private stopped = false
  private readonly quietMs: number
  private readonly maxDeferMs: number
  private readonly now: () => number

  constructor(private readonly options: BotEventQueueOptions) {
    this.quietMs = options.quietMs ?? EVENT_QUIET_MS
    this.maxDeferMs = options.maxDeferMs ?? EVENT_MAX_DEFER_MS
    this.now = options.now ?? Date.now
  }

  /** Bots with a read running or queued. */
  get size(): number {
    return this.bots.size
  }

  /** An event for `botId`: read now, or merge into the read queued for it. */
  push(botId: string, cause: EventCause): void {
    if (this.stopped) return
    let state = this.bots.get(botId)
    if (state === undefined) {
      state = {running: false, pending: null, merged: 0, pendingSince: 0, timer: undefined}
      this.bots.set(botId, state)
      if (!this.options.held(botId)) return this.start(botId, state, cause)
    }
    if (state.pending === null) state.pendingSince = this.now()
    state.pending = cause
    state.merged++
    // Cooling down after a read: every new event pushes the queued read back, up to maxDeferMs.
    if (!state.running && !this.options.held(botId)) this.arm(botId, state)
  }

  /** The pass that held `botId` is done with it: a read queued meanwhile may go. */
  release(botId: string): void {
    const state = this.bots.get(botId)
    if (state !== undefined && !state.running && state.pending !== null && !this.stopped) this.arm(botId, state)
  }

  /** No new reads; waits for those running. */
  async drain(): Promise<void> {
    this.stopped = true
    for (const state of this.bots.values()) clearTimeout(state.timer)
    while (this.tasks.size > 0) await Promise.allSettled([...this.tasks])
    this.bots.clear()
  }

  private start(botId: string, state: BotState, cause: EventCause): void {
    clearTimeout(state.timer)
    state.timer = undefined
    state.running = true
    const merged = state.merged
    state.pending = null
    state.merged = 0
    const task = this.options
      .run(botId, merged > 1 ? {...cause, events_merged: merged} : cause)
      .catch(() => undefined)
      .finally(() => {
        this.tasks.delete(task)
        state.running = false
        if (this.stopped) return
        // Even with nothing queued, a short cool-down: the next event joins a burst rather than reading at once.
        this.arm(botId, state)
      })
    this.tasks.add(task)
  }

  private arm(botId: string, state: BotState): void {
    clearTimeout(state.timer)
    const wait =
      state.pending === null
        ? this.quietMs
        : Math.min(this.quietMs, Math.max(0, state.pendingSince + this.maxDeferMs - this.now()))
    state.timer = setTimeout(() => this.fire(botId, state), wait)
    state.timer.unref?.()
  }

  private fire(botId: string, state: BotState): void {
    state.timer = undefined
    if (state.running || this.stopped) return
    if (state.pending === null) {
      this.bots.delete(botId)
      return
    }
    // Held by a pass: release() arms the timer again when the pass is done with the bot.
    if (this.options.held(botId)) return
    this.start(botId, state, state.pending)
  }
}
