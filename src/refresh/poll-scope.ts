import {IN_CALL_STATUSES} from '../config/bot-status.js'
import type {ListBotsFilters} from '../recall/client/list-bots-query.js'
import type {ResolvedAssignment} from '../resolve/types.js'

/**
 * Up to this many explicitly assigned bots are read with one GET each per pass; more are found with one
 * List Bots of the in-call statuses, intersected with the assigned ids. N GETs cost N of retrieve_bot's
 * budget every pass, whatever the bots are doing; the listing costs one list_bots call per page of bots
 * that are actually in a call, and it serves every match selector as well.
 */
export const EXPLICIT_GET_LIMIT = 10

export interface ListQuery {
  filters: {status: string[]; metadata: Record<string, string>}
  /** The match assignments this listing serves (each checked locally with matchesSelector). */
  assignments: ResolvedAssignment[]
  /** Whether the explicitly assigned bots are looked for in this listing. */
  explicit: boolean
}

/** What one polling pass reads. */
export interface PollScope {
  /** Explicit bots read one by one (EXPLICIT_GET_LIMIT or fewer). */
  explicitByGet: string[]
  lists: ListQuery[]
  /** Match assignments whose `status` names no in-call status: no bot they select can be recorded. */
  neverInCall: ResolvedAssignment[]
}

const inCallOf = (statuses: readonly string[]): string[] =>
  statuses.length === 0 ? [...IN_CALL_STATUSES] : IN_CALL_STATUSES.filter((status) => statuses.includes(status))

/**
 * The reads of a polling pass (pure). Only bots in the call can be started, so every listing asks for
 * the in-call statuses (those of a selector's `status` when it has one). Selectors with the same
 * filters share one listing.
 */
export function pollScope(assignments: readonly ResolvedAssignment[]): PollScope {
  const explicitIds = new Set<string>()
  const selectors: Array<{assignment: ResolvedAssignment; status: string[]; metadata: Record<string, string>}> = []
  const neverInCall: ResolvedAssignment[] = []
  for (const assignment of assignments) {
    const selector = assignment.selector
    if (selector.kind === 'bots') for (const id of selector.bots) explicitIds.add(id)
    else {
      const status = inCallOf(selector.status)
      if (status.length === 0) neverInCall.push(assignment)
      else selectors.push({assignment, status, metadata: selector.metadata})
    }
  }

  if (explicitIds.size > EXPLICIT_GET_LIMIT)
    return {
      explicitByGet: [],
      lists: [
        {filters: {status: [...IN_CALL_STATUSES], metadata: {}}, assignments: selectors.map((s) => s.assignment), explicit: true},
      ],
      neverInCall,
    }

  const byFilters = new Map<string, ListQuery>()
  for (const {assignment, status, metadata} of selectors) {
    const sortedMetadata = Object.fromEntries(Object.entries(metadata).sort(([a], [b]) => a.localeCompare(b)))
    const key = JSON.stringify([status, sortedMetadata])
    const query = byFilters.get(key) ?? {filters: {status, metadata: sortedMetadata}, assignments: [], explicit: false}
    query.assignments.push(assignment)
    byFilters.set(key, query)
  }
  return {explicitByGet: [...explicitIds], lists: [...byFilters.values()], neverInCall}
}

export const listFilters = (query: ListQuery): ListBotsFilters => ({
  status: query.filters.status,
  metadata: query.filters.metadata,
})
