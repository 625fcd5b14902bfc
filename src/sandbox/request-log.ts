/** One API request as the sandbox saw it. Never holds the API key or any header value but the idempotency key. */
export interface RequestLogEntry {
  seq: number
  /** When the request arrived (sandbox clock, ISO 8601). */
  time: string
  method: string
  /** Path and query string. */
  path: string
  /** The status answered; null when the connection was dropped instead. */
  status: number | null
  duration_ms: number
  idempotency_key: string | null
  /** The response was a replay of an earlier request with the same idempotency key. */
  replayed: boolean
  /** The injected fault that applied, if any. */
  fault: string | null
  /** The parsed JSON body of a POST, if any. */
  body?: unknown
}

/** A bounded log: the oldest entries go once `limit` is reached, so a long benchmark cannot exhaust memory. */
export class RequestLog {
  private entries: RequestLogEntry[] = []
  private nextSeq = 1

  constructor(private readonly limit: number = 10_000) {}

  add(entry: Omit<RequestLogEntry, 'seq'>): RequestLogEntry {
    const full = {seq: this.nextSeq++, ...entry}
    this.entries.push(full)
    if (this.entries.length > this.limit * 1.25) this.entries = this.entries.slice(this.entries.length - this.limit)
    return full
  }

  /** Entries with `seq` greater than `since`, oldest first. */
  list(since = 0): RequestLogEntry[] {
    const all = this.entries.length > this.limit ? this.entries.slice(this.entries.length - this.limit) : this.entries
    return since > 0 ? all.filter((entry) => entry.seq > since) : [...all]
  }

  clear(): void {
    this.entries = []
  }
}
