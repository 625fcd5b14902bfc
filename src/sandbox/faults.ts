import {z} from 'zod'

export const FAULT_KINDS = ['status', 'reset_before', 'reset_after', 'latency', 'rate_limit'] as const
export type FaultKind = (typeof FAULT_KINDS)[number]

/**
 * One entry of the fault schedule. Of the API requests that match `method` and `path`, the first
 * `after` pass untouched, then the next `count` get the fault (null: all of them from then on).
 * - `status`: answer `status` (default 503) with `body` without processing the request.
 * - `reset_before`: drop the connection without processing the request.
 * - `reset_after`: process the request (state changes, the idempotency key is stored), then drop the
 *   connection instead of answering: the client cannot tell whether it happened.
 * - `latency`: wait `latency_ms` while the request is in flight, then process it normally.
 * - `rate_limit`: answer 429 with `Retry-After: retry_after` without processing (a burst of 429s).
 */
export const faultRuleSchema = z
  .object({
    kind: z.enum(FAULT_KINDS),
    path: z
      .string()
      .min(1)
      .default('**')
      .describe('Glob over the request path (no query): `*` is one path segment or part of one, `**` any number of segments.'),
    method: z
      .string()
      .regex(/^[A-Za-z]+$/)
      .transform((m) => m.toUpperCase())
      .optional(),
    after: z.number().int().nonnegative().default(0),
    count: z.number().int().positive().nullable().default(1),
    status: z.number().int().min(400).max(599).default(503),
    body: z.unknown().optional(),
    latency_ms: z.number().int().nonnegative().max(600_000).default(0),
    retry_after: z.number().int().positive().default(1),
  })
  .strict()

export type FaultRuleInput = z.input<typeof faultRuleSchema>
export type FaultRule = z.output<typeof faultRuleSchema>

export interface ScheduledFault extends FaultRule {
  id: number
  /** Matching requests seen so far. */
  seen: number
  /** Times the fault was applied. */
  applied: number
  /** Applications left (null: unlimited). */
  remaining: number | null
}

/** Converts a path glob into a regular expression anchored at both ends. */
export function globToRegExp(glob: string): RegExp {
  let source = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!
    if (c === '*' && glob[i + 1] === '*') {
      source += '.*'
      i++
    } else if (c === '*') source += '[^/]*'
    else source += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&')
  }
  return new RegExp(`^${source}$`)
}

const DEFAULT_BODIES: Record<number, unknown> = {
  500: {detail: 'A server error occurred.'},
  502: {detail: 'Bad gateway.'},
  503: {detail: 'Service temporarily unavailable, try again later.'},
  504: {detail: 'Gateway timeout.'},
  507: {detail: 'No ad-hoc bot is free right now; retry in 30 seconds with a new idempotency key.'},
}

export function defaultFaultBody(status: number): unknown {
  return DEFAULT_BODIES[status] ?? {detail: `Injected fault: HTTP ${status}.`}
}

/** The deterministic fault schedule. Rules are consulted in the order they were added; the first due one applies. */
export class FaultSchedule {
  private rules: Array<ScheduledFault & {pattern: RegExp}> = []
  private nextId = 1

  add(rule: FaultRule): ScheduledFault {
    const scheduled = {...rule, id: this.nextId++, seen: 0, applied: 0, remaining: rule.count, pattern: globToRegExp(rule.path)}
    this.rules.push(scheduled)
    return publicView(scheduled)
  }

  list(): ScheduledFault[] {
    return this.rules.map(publicView)
  }

  remove(id: number): boolean {
    const before = this.rules.length
    this.rules = this.rules.filter((rule) => rule.id !== id)
    return this.rules.length !== before
  }

  clear(): void {
    this.rules = []
  }

  /** Counts the request against every matching rule and returns the fault to apply, if any. */
  take(method: string, path: string): ScheduledFault | undefined {
    if (this.rules.length === 0) return undefined
    let chosen: (ScheduledFault & {pattern: RegExp}) | undefined
    for (const rule of this.rules) {
      if (rule.method !== undefined && rule.method !== method) continue
      if (!rule.pattern.test(path)) continue
      rule.seen++
      const due = rule.seen > rule.after && (rule.count === null || rule.applied < rule.count)
      if (due && chosen === undefined) chosen = rule
    }
    if (chosen === undefined) return undefined
    chosen.applied++
    return publicView(chosen)
  }
}

function publicView(rule: ScheduledFault & {pattern?: RegExp}): ScheduledFault {
  const {pattern: _pattern, ...view} = rule
  return {...view, remaining: view.count === null ? null : view.count - view.applied}
}
