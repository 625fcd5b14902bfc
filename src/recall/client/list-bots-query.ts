/** Filters of List Bots (NOTES.md). Repeatable ones are arrays; every metadata pair must match. */
export interface ListBotsFilters {
  status?: readonly string[] | undefined
  platform?: readonly string[] | undefined
  join_at_after?: string | undefined
  join_at_before?: string | undefined
  meeting_url?: string | undefined
  /** Sent as `metadata__<key>=<value>`. */
  metadata?: Readonly<Record<string, string>> | undefined
}

/** The query string for the first page, `?…` or empty. Keys sorted so the same filters give the same URL. */
export function listBotsQuery(filters: ListBotsFilters = {}): string {
  const params = new URLSearchParams()
  for (const status of filters.status ?? []) params.append('status', status)
  for (const platform of filters.platform ?? []) params.append('platform', platform)
  if (filters.join_at_after !== undefined) params.append('join_at_after', filters.join_at_after)
  if (filters.join_at_before !== undefined) params.append('join_at_before', filters.join_at_before)
  if (filters.meeting_url !== undefined) params.append('meeting_url', filters.meeting_url)
  const metadata = filters.metadata ?? {}
  for (const key of Object.keys(metadata).sort()) params.append(`metadata__${key}`, metadata[key] as string)
  const query = params.toString()
  return query === '' ? '' : `?${query}`
}
