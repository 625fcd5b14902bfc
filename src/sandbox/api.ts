import {randomUUID} from 'node:crypto'
import {BOT_STATUSES} from '../config/bot-status.js'
import type {BotState} from './bot-state.js'
import type {SandboxCore} from './core.js'
import {addDrfError, type DrfErrorTree} from './drf-errors.js'
import {
  commandRefusal,
  currentStatus,
  pauseRecording,
  resumeRecording,
  startRecording,
  statusMessage,
  stopRecording,
} from './lifecycle.js'
import {parseMeetingUrl} from './meeting-url.js'
import type {RateGroup} from './rate-limit.js'
import {renderBot} from './render-bot.js'
import {checkRecordingBody} from './validate-body.js'
import {decodePathSegment} from './http-util.js'
import type {SafeJson} from '../http/safe-json.js'

export interface ApiRequest {
  method: string
  pathname: string
  query: URLSearchParams
  rawBody: string
  /** The body parsed as JSON into null-prototype objects (memoized); see parseJsonSafely. */
  json: () => SafeJson
  contentType: string | undefined
  /** `http://host:port` as the client addressed the sandbox, for absolute `next`/`previous` URLs. */
  origin: string
}

export interface ApiResponse {
  status: number
  body: unknown
  headers?: Record<string, string>
}

type Handler = (core: SandboxCore, request: ApiRequest, botId: string) => ApiResponse

interface Operation {
  group: RateGroup
  handle: Handler
}

export type RouteMatch =
  {kind: 'operation'; operation: Operation; botId: string} | {kind: 'method_not_allowed'; allowed: string[]} | {kind: 'not_found'}

/** Platforms the List Bots `platform` filter accepts (the spec's enum). */
const LIST_PLATFORMS = [
  'chime_sdk',
  'google_meet',
  'google_meet_media_api',
  'goto_meeting',
  'microsoft_teams',
  'microsoft_teams_live',
  'slack_authenticator',
  'slack_huddle_observer',
  'webex',
  'zoom',
  'zoom_rtms',
]

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export const NOT_FOUND = {detail: 'Not found.'}

const BOT_LIST_PATH = '/api/v1/bot/'
const BOT_PATH = /^\/api\/v1\/bot\/([^/]+)\/(?:(start|stop|pause|resume)_recording\/)?$/

const COMMANDS: Record<string, Operation> = {
  start: {group: 'start_recording', handle: (core, request, id) => command(core, request, id, 'start_recording')},
  stop: {group: 'stop_recording', handle: (core, request, id) => command(core, request, id, 'stop_recording')},
  pause: {group: 'pause_recording', handle: (core, request, id) => command(core, request, id, 'pause_recording')},
  resume: {group: 'resume_recording', handle: (core, request, id) => command(core, request, id, 'resume_recording')},
}

const LIST: Operation = {group: 'list_bots', handle: listBots}
const CREATE: Operation = {group: 'create_bot', handle: createBot}
const RETRIEVE: Operation = {group: 'retrieve_bot', handle: retrieveBot}

/** Which endpoint a request is for. Unknown paths are 404 before authentication, as Django routes first. */
export function matchRoute(method: string, pathname: string): RouteMatch {
  if (pathname === BOT_LIST_PATH) {
    if (method === 'GET') return {kind: 'operation', operation: LIST, botId: ''}
    if (method === 'POST') return {kind: 'operation', operation: CREATE, botId: ''}
    return {kind: 'method_not_allowed', allowed: ['GET', 'POST']}
  }
  const match = BOT_PATH.exec(pathname)
  if (match === null) return {kind: 'not_found'}
  const botId = decodePathSegment(match[1]!)
  // Broken percent-encoding (`%E0%A4%A`) names no bot: Django answers such a path 404 too.
  if (botId === undefined) return {kind: 'not_found'}
  const verb = match[2]
  if (verb === undefined) {
    if (method === 'GET') return {kind: 'operation', operation: RETRIEVE, botId}
    return {kind: 'method_not_allowed', allowed: ['GET']}
  }
  if (method === 'POST') return {kind: 'operation', operation: COMMANDS[verb]!, botId}
  return {kind: 'method_not_allowed', allowed: ['POST']}
}

function findBot(core: SandboxCore, id: string): BotState | undefined {
  return UUID.test(id) ? core.bots.get(id.toLowerCase()) : undefined
}

function retrieveBot(core: SandboxCore, _request: ApiRequest, id: string): ApiResponse {
  const bot = findBot(core, id)
  if (bot === undefined) return {status: 404, body: NOT_FOUND}
  return {status: 200, body: renderBot(bot)}
}

type JsonBody = {ok: true; value: unknown} | {ok: false; response: ApiResponse}

/** Reads a JSON body as DRF's JSONParser would: an empty body is `{}`; other media types are 415. */
export function parseJsonBody(request: ApiRequest): JsonBody {
  if (request.rawBody.length === 0) return {ok: true, value: {}}
  const mediaType = (request.contentType ?? '').split(';')[0]!.trim().toLowerCase()
  if (mediaType !== 'application/json')
    return {
      ok: false,
      response: {status: 415, body: {detail: `Unsupported media type "${request.contentType ?? ''}" in request.`}},
    }
  const parsed = request.json()
  if (parsed.ok) return {ok: true, value: parsed.value}
  if (parsed.reason === 'forbidden_key') {
    // DRF would read such a key as a field this endpoint does not have: a field error at its place.
    const errors: DrfErrorTree = {}
    addDrfError(errors, [...parsed.path, parsed.key], 'This field name is not allowed.')
    return {ok: false, response: {status: 400, body: errors}}
  }
  return {ok: false, response: {status: 400, body: {detail: `JSON parse error - ${parsed.message}`}}}
}

function expectObject(value: unknown): ApiResponse | undefined {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return undefined
  const kind = value === null ? 'null' : Array.isArray(value) ? 'list' : typeof value
  return {status: 400, body: {non_field_errors: [`Invalid data. Expected a dictionary, but got ${kind}.`]}}
}

function command(
  core: SandboxCore,
  request: ApiRequest,
  id: string,
  name: 'start_recording' | 'stop_recording' | 'pause_recording' | 'resume_recording',
): ApiResponse {
  const bot = findBot(core, id)
  if (bot === undefined) return {status: 404, body: NOT_FOUND}
  let body: Record<string, unknown> = {}
  if (name === 'start_recording') {
    const parsed = parseJsonBody(request)
    if (!parsed.ok) return parsed.response
    const notObject = expectObject(parsed.value)
    if (notObject !== undefined) return notObject
    const checked = checkRecordingBody(parsed.value, core.enforceWarningRules)
    if (!checked.ok) return {status: 400, body: checked.errors}
    body = checked.body as Record<string, unknown>
  }
  const refusal = commandRefusal(bot, name.replace('_', ' '))
  if (refusal !== undefined) return {status: 400, body: refusal}
  const at = core.nowIso()
  if (name === 'start_recording') startRecording(bot, body, at)
  else if (name === 'stop_recording') stopRecording(bot, at)
  else if (name === 'pause_recording') pauseRecording(bot, at)
  else resumeRecording(bot, at)
  core.changed()
  return {status: 200, body: renderBot(bot)}
}

function createBot(core: SandboxCore, request: ApiRequest): ApiResponse {
  const parsed = parseJsonBody(request)
  if (!parsed.ok) return parsed.response
  const notObject = expectObject(parsed.value)
  if (notObject !== undefined) return notObject
  const input = parsed.value as Record<string, unknown>
  const errors: DrfErrorTree = {}

  const meetingUrl = input['meeting_url']
  let platform: BotState['platform'] = 'zoom'
  if (meetingUrl === undefined || meetingUrl === null || meetingUrl === '')
    addDrfError(errors, ['meeting_url'], 'This field is required.')
  else if (typeof meetingUrl !== 'string') addDrfError(errors, ['meeting_url'], 'Not a valid string.')
  else {
    const meeting = parseMeetingUrl(meetingUrl)
    if (meeting.ok) platform = meeting.platform
    else addDrfError(errors, ['meeting_url'], `Invalid meeting URL: ${meeting.reason}.`)
  }

  const botName = input['bot_name'] ?? 'Meeting Notetaker'
  if (typeof botName !== 'string') addDrfError(errors, ['bot_name'], 'Not a valid string.')
  else if (botName.length > 100) addDrfError(errors, ['bot_name'], 'Ensure this field has no more than 100 characters.')

  const joinAt = input['join_at'] ?? null
  if (joinAt !== null && (typeof joinAt !== 'string' || Number.isNaN(Date.parse(joinAt))))
    addDrfError(
      errors,
      ['join_at'],
      'Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].',
    )

  const metadata = input['metadata'] ?? {}
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))
    addDrfError(errors, ['metadata'], 'Expected a dictionary of items.')
  else
    for (const [key, value] of Object.entries(metadata))
      if (value !== null && typeof value !== 'string') addDrfError(errors, ['metadata', key], 'Not a valid string.')

  let recordingConfig: Record<string, unknown> | null = null
  if (input['recording_config'] !== undefined && input['recording_config'] !== null) {
    const checked = checkRecordingBody(input['recording_config'], core.enforceWarningRules)
    if (checked.ok) recordingConfig = input['recording_config'] as Record<string, unknown>
    else errors['recording_config'] = checked.errors
  }
  if (Object.keys(errors).length > 0) return {status: 400, body: errors}

  const at = core.nowIso()
  const bot: BotState = {
    id: randomUUID(),
    bot_name: botName as string,
    meeting_url: meetingUrl as string,
    platform,
    join_at: joinAt === null ? null : new Date(joinAt as string).toISOString(),
    metadata: {...(metadata as Record<string, string | null>)},
    recording_config: recordingConfig,
    status_changes: [{code: 'ready', sub_code: null, message: statusMessage('ready'), created_at: at}],
    recordings: [],
    created_at: at,
  }
  core.bots.set(bot.id, bot)
  core.changed()
  return {status: 201, body: renderBot(bot)}
}

interface BotFilter {
  statuses: string[]
  platforms: string[]
  joinAtAfter: number | undefined
  joinAtBefore: number | undefined
  meetingUrl: string | undefined
  metadata: Array<[string, string]>
}

function readFilter(query: URLSearchParams): {ok: true; filter: BotFilter} | {ok: false; errors: DrfErrorTree} {
  const errors: DrfErrorTree = {}
  const statuses = query.getAll('status')
  for (const status of statuses)
    if (!(BOT_STATUSES as readonly string[]).includes(status))
      addDrfError(errors, ['status'], `Select a valid choice. ${status} is not one of the available choices.`)
  const platforms = query.getAll('platform')
  for (const platform of platforms)
    if (!LIST_PLATFORMS.includes(platform))
      addDrfError(errors, ['platform'], `Select a valid choice. ${platform} is not one of the available choices.`)
  const time = (name: string): number | undefined => {
    const value = query.get(name)
    if (value === null || value === '') return undefined
    const ms = Date.parse(value)
    if (Number.isNaN(ms)) addDrfError(errors, [name], 'Enter a valid date/time.')
    return ms
  }
  const joinAtAfter = time('join_at_after')
  const joinAtBefore = time('join_at_before')
  const metadata: Array<[string, string]> = []
  for (const [key, value] of query)
    if (key.startsWith('metadata__') && key.length > 'metadata__'.length) metadata.push([key.slice('metadata__'.length), value])
  if (Object.keys(errors).length > 0) return {ok: false, errors}
  const meetingUrl = query.get('meeting_url') ?? undefined
  return {
    ok: true,
    filter: {statuses, platforms, joinAtAfter, joinAtBefore, meetingUrl: meetingUrl === '' ? undefined : meetingUrl, metadata},
  }
}

function sameMeeting(bot: BotState, wanted: string): boolean {
  if (bot.meeting_url === wanted) return true
  const a = parseMeetingUrl(bot.meeting_url)
  const b = parseMeetingUrl(wanted)
  return a.ok && b.ok && JSON.stringify(a.object) === JSON.stringify(b.object)
}

function matches(bot: BotState, filter: BotFilter): boolean {
  if (filter.statuses.length > 0 && !filter.statuses.includes(currentStatus(bot))) return false
  if (filter.platforms.length > 0 && !filter.platforms.includes(bot.platform)) return false
  if (filter.joinAtAfter !== undefined || filter.joinAtBefore !== undefined) {
    if (bot.join_at === null) return false
    const joinAt = Date.parse(bot.join_at)
    if (filter.joinAtAfter !== undefined && joinAt < filter.joinAtAfter) return false
    if (filter.joinAtBefore !== undefined && joinAt > filter.joinAtBefore) return false
  }
  if (filter.meetingUrl !== undefined && !sameMeeting(bot, filter.meetingUrl)) return false
  for (const [key, value] of filter.metadata) if (bot.metadata[key] !== value) return false
  return true
}

/** List Bots: oldest bot first, page-number pagination with absolute `next`/`previous` URLs (DRF's). */
function listBots(core: SandboxCore, request: ApiRequest): ApiResponse {
  const read = readFilter(request.query)
  if (!read.ok) return {status: 400, body: read.errors}
  const selected: BotState[] = []
  for (const bot of core.bots.values()) if (matches(bot, read.filter)) selected.push(bot)
  const pages = Math.max(1, Math.ceil(selected.length / core.pageSize))
  const pageParam = request.query.get('page')
  const page =
    pageParam === null || pageParam === '' ? 1 : pageParam === 'last' ? pages : /^\d+$/.test(pageParam) ? Number(pageParam) : NaN
  if (!(page >= 1 && page <= pages)) return {status: 404, body: {detail: 'Invalid page.'}}
  const start = (page - 1) * core.pageSize
  const pageUrl = (n: number): string => {
    const query = new URLSearchParams(request.query)
    if (n === 1) query.delete('page')
    else query.set('page', String(n))
    const text = query.toString()
    return `${request.origin}${request.pathname}${text === '' ? '' : `?${text}`}`
  }
  return {
    status: 200,
    body: {
      count: selected.length,
      next: page < pages ? pageUrl(page + 1) : null,
      previous: page > 1 ? pageUrl(page - 1) : null,
      results: selected.slice(start, start + core.pageSize).map(renderBot),
    },
  }
}
