/**
 * Webhook ids already accepted, remembered for `ttlMs` (pure but for the clock it is given). Svix
 * resends a message with the same id; an attacker replaying a captured request does too. Ten minutes
 * cover the 5-minute timestamp tolerance on both sides: a replay older than that fails the timestamp
 * check instead. The oldest ids go first once `maxEntries` is reached.
 */
export class ReplayCache {
  private readonly expiries = new Map<string, number>()

  constructor(
    private readonly ttlMs = 10 * 60_000,
    private readonly maxEntries = 100_000,
  ) {}

  /** Whether `id` was remembered and has not expired. */
  has(id: string, nowMs: number): boolean {
    const expiry = this.expiries.get(id)
    return expiry !== undefined && expiry > nowMs
  }

  /** Remembers `id` until `nowMs + ttlMs`. */
  remember(id: string, nowMs: number): void {
    this.sweep(nowMs)
    this.expiries.delete(id)
    this.expiries.set(id, nowMs + this.ttlMs)
    while (this.expiries.size > this.maxEntries) this.expiries.delete(this.expiries.keys().next().value as string)
  }

  get size(): number {
    return this.expiries.size
  }

  /** Insertion order is expiry order (one TTL for all), so expired ids are at the front. */
  private sweep(nowMs: number): void {
    for (const [id, expiry] of this.expiries) {
      if (expiry > nowMs) break
      this.expiries.delete(id)
    }
  }
}
