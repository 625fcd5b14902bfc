/**
 * How many calls one endpoint may have in flight. It starts at its ceiling, so a window's whole budget
 * can go out within one round trip whatever Recall's latency (the sliding window, not this number, is
 * what paces a run). When Recall struggles (5xx, timeouts, resets) it halves, at most once per round
 * trip: the calls that were already in flight when it halved fail for the same reason and must not
 * halve it again. Each success grows it by one, back up to the ceiling (about doubling per round trip).
 * Pure: no clock, no I/O.
 */

/** Calls in flight per endpoint at most, whatever the limits or `apply.concurrency` say: half of Recall's documented 300/min, so a full window goes out within two round trips. */
export const MAX_IN_FLIGHT_PER_ENDPOINT = 150

/** How one attempt ended, as far as Recall's health goes. */
export type AttemptHealth = 'ok' | 'overloaded' | 'neutral'

/** What an attempt carries from its start to its end: the controller's generation when it started. */
export interface InFlightTicket {
  readonly generation: number
}

export class AdaptiveConcurrency {
  private current: number
  private generation = 0

  constructor(readonly ceiling: number) {
    if (!Number.isInteger(ceiling) || ceiling < 1)
      throw new TypeError(`the concurrency ceiling must be a positive whole number, got ${String(ceiling)}.`)
    this.current = ceiling
  }

  /** Calls allowed in flight now. */
  get limit(): number {
    return this.current
  }

  /** Call when an attempt leaves; hand the ticket back to `settled`. */
  started(): InFlightTicket {
    return {generation: this.generation}
  }

  settled(ticket: InFlightTicket, health: AttemptHealth): void {
    if (health === 'ok') this.current = Math.min(this.ceiling, this.current + 1)
    else if (health === 'overloaded' && ticket.generation === this.generation) {
      this.current = Math.max(1, Math.floor(this.current / 2))
      this.generation++
    }
  }
}

/** 5xx answers and failed connections (resets, timeouts) mean Recall struggles; 429 is the limiter's business. */
export function attemptHealth(outcome: {kind: 'response'; status: number} | {kind: 'network'}): AttemptHealth {
  if (outcome.kind === 'network') return 'overloaded'
  if (outcome.status >= 500) return 'overloaded'
  if (outcome.status === 429 || outcome.status === 409) return 'neutral'
  return 'ok'
}

/**
 * The ceiling of one endpoint: the documented maximum, never more than the endpoint's limit per window
 * (more could not start anyway), and `apply.concurrency` when the user set it.
 */
export function inFlightCeiling(limit: number, configured: number | undefined): number {
  return Math.max(1, Math.min(MAX_IN_FLIGHT_PER_ENDPOINT, limit, configured ?? MAX_IN_FLIGHT_PER_ENDPOINT))
}
