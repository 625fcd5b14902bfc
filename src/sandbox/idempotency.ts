/** A completed response kept for replay. The body is the exact text sent, so a replay is byte-identical. */
export interface StoredResponse {
  status: number
  body: string
  /** Wall-clock ms (the sandbox clock) when the first request completed. */
  completedAt: number
}

export interface StoredResponseEntry extends StoredResponse {
  scope: string
}

export type IdempotencyDecision = {kind: 'new'} | {kind: 'in_flight'} | {kind: 'replay'; response: StoredResponse}

export const IDEMPOTENCY_TTL_MS = 3_600_000

/**
 * Recall's idempotency (NOTES.md): a key is scoped to its owner and the request path; a duplicate while
 * the first is in flight gets 409; a duplicate within an hour of completion gets the first response
 * back and the action is not repeated. The body is not compared.
 */
export class IdempotencyStore {
  /** Insertion order is completion order, so expired entries are at the front. */
  private completed = new Map<string, StoredResponse>()
  private inFlight = new Set<string>()

  constructor(private readonly ttlMs: number = IDEMPOTENCY_TTL_MS) {}

  static scope(workspace: string, method: string, path: string, key: string): string {
    return `${workspace}\u0000${method}\u0000${path}\u0000${key}`
  }

  begin(scope: string, now: number): IdempotencyDecision {
    if (this.inFlight.has(scope)) return {kind: 'in_flight'}
    const stored = this.completed.get(scope)
    if (stored !== undefined) {
      if (now - stored.completedAt < this.ttlMs) return {kind: 'replay', response: stored}
      this.completed.delete(scope)
    }
    this.inFlight.add(scope)
    return {kind: 'new'}
  }

  complete(scope: string, status: number, body: string, now: number): void {
    this.inFlight.delete(scope)
    this.completed.delete(scope)
    this.completed.set(scope, {status, body, completedAt: now})
    if (this.completed.size % 1024 === 0) this.prune(now)
  }

  /** The first request ended without a response worth replaying (it crashed): the key is free again. */
  abandon(scope: string): void {
    this.inFlight.delete(scope)
  }

  prune(now: number): void {
    for (const [scope, stored] of this.completed) {
      if (now - stored.completedAt < this.ttlMs) break
      this.completed.delete(scope)
    }
  }

  clear(): void {
    this.completed.clear()
    this.inFlight.clear()
  }

  get size(): number {
    return this.completed.size
  }

  /** The entries still replayable at `now`, oldest first (for the state file). */
  entries(now: number): StoredResponseEntry[] {
    this.prune(now)
    return [...this.completed].map(([scope, stored]) => ({scope, ...stored}))
  }

  load(entries: readonly StoredResponseEntry[], now: number): void {
    const sorted = [...entries].sort((a, b) => a.completedAt - b.completedAt)
    for (const {scope, status, body, completedAt} of sorted) {
      if (now - completedAt < this.ttlMs) this.completed.set(scope, {status, body, completedAt})
    }
  }
}
