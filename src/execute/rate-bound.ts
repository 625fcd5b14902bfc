import type {EndpointGroup} from '../recall/client/endpoints.js'

/**
 * The least time Recall's limits allow for a run (pure): on each endpoint, the last of `n` calls at
 * `limit` per window cannot start before `(⌈n / limit⌉ − 1) × window`; endpoints overlap, so the busiest
 * one bounds the run. Latency comes on top.
 */
export function rateBoundMs(
  calls: Partial<Record<EndpointGroup, number>>,
  limits: Readonly<Record<EndpointGroup, number>>,
  windowMs: number,
): number {
  let bound = 0
  for (const [endpoint, n] of Object.entries(calls) as Array<[EndpointGroup, number]>) {
    if (n <= 0) continue
    bound = Math.max(bound, (Math.ceil(n / limits[endpoint]) - 1) * windowMs)
  }
  return bound
}
