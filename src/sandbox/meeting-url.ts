import type {SandboxPlatform} from './seed.js'

/** The spec's `MeetingUrl`: what Recall returns for a bot's meeting URL, one shape per platform. */
export type MeetingUrlObject = Record<string, string | null> & {platform: SandboxPlatform}

export type ParsedMeetingUrl = {ok: true; platform: SandboxPlatform; object: MeetingUrlObject} | {ok: false; reason: string}

const GOOGLE_MEET_ID = /^[a-z]{3}-[a-z]{4}-[a-z]{3}$/

/** Reads a meeting URL the way Recall does at bot creation: which platform, and its meeting ids. */
export function parseMeetingUrl(text: string): ParsedMeetingUrl {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return {ok: false, reason: `"${text}" is not a URL`}
  }
  const host = url.hostname.toLowerCase()
  const segments = url.pathname.split('/').filter(Boolean)
  if (host === 'zoom.us' || host.endsWith('.zoom.us')) {
    const idAt = segments.findIndex((s) => s === 'j' || s === 'w' || s === 's' || s === 'join')
    const meetingId = idAt >= 0 ? segments[idAt + 1] : undefined
    if (meetingId === undefined || !/^\d{9,11}$/.test(meetingId))
      return {ok: false, reason: 'a Zoom URL needs /j/<meeting number>'}
    return {
      ok: true,
      platform: 'zoom',
      object: {meeting_id: meetingId, meeting_password: url.searchParams.get('pwd'), platform: 'zoom'},
    }
  }
  if (host === 'meet.google.com') {
    const meetingId = segments[0]
    if (meetingId === undefined || !GOOGLE_MEET_ID.test(meetingId))
      return {ok: false, reason: 'a Google Meet URL looks like https://meet.google.com/abc-defg-hij'}
    return {ok: true, platform: 'google_meet', object: {meeting_id: meetingId, platform: 'google_meet'}}
  }
  if (host === 'teams.microsoft.com' || host === 'teams.live.com') {
    const platform = host === 'teams.live.com' ? 'microsoft_teams_live' : 'microsoft_teams'
    const object: MeetingUrlObject = {
      meeting_id: platform === 'microsoft_teams_live' ? (segments.at(-1) ?? null) : null,
      meeting_password: url.searchParams.get('p'),
      organizer_id: null,
      tenant_id: null,
      message_id: null,
      thread_id: segments[0] === 'l' && segments[2] !== undefined ? decodeURIComponent(segments[2]) : null,
      business_meeting_id: null,
      business_meeting_password: null,
      platform,
    }
    return {ok: true, platform, object}
  }
  if (host.endsWith('.webex.com')) {
    const subdomain = host.slice(0, -'.webex.com'.length).split('.')[0] ?? ''
    const mtid = url.searchParams.get('MTID') ?? url.searchParams.get('mtid')
    if (mtid !== null) {
      return {
        ok: true,
        platform: 'webex',
        object: {meeting_subdomain: subdomain, meeting_mtid: mtid, meeting_path: url.pathname, platform: 'webex'},
      }
    }
    const room = segments[0] === 'meet' ? segments[1] : undefined
    if (room === undefined) return {ok: false, reason: 'a Webex URL needs ?MTID=<id> or /meet/<personal room>'}
    return {
      ok: true,
      platform: 'webex',
      object: {meeting_subdomain: subdomain, meeting_personal_room_id: room, platform: 'webex'},
    }
  }
  if (host === 'meet.goto.com' || host.endsWith('gotomeeting.com') || host === 'app.goto.com') {
    const meetingId = segments.at(-1)
    if (meetingId === undefined || !/^\d{9,}$/.test(meetingId))
      return {ok: false, reason: 'a GoTo URL ends with the meeting number'}
    return {ok: true, platform: 'goto_meeting', object: {meeting_id: meetingId, platform: 'goto_meeting'}}
  }
  return {ok: false, reason: `${host} is not a meeting platform Recall supports (Zoom, Google Meet, Teams, Webex, GoTo)`}
}

/** A made-up but well-formed meeting URL for a seeded bot that names only its platform. */
export function syntheticMeetingUrl(platform: SandboxPlatform, botId: string): string {
  const hex = botId.replace(/-/g, '')
  const digits = [...hex].map((c) => (parseInt(c, 16) % 10).toString()).join('')
  const letters = [...hex].map((c) => String.fromCharCode(97 + (parseInt(c, 16) % 26))).join('')
  switch (platform) {
    case 'zoom':
      return `https://zoom.us/j/${digits.slice(0, 11)}`
    case 'google_meet':
      return `https://meet.google.com/${letters.slice(0, 3)}-${letters.slice(3, 7)}-${letters.slice(7, 10)}`
    case 'microsoft_teams':
      return `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${hex.slice(0, 16)}%40thread.v2/0`
    case 'microsoft_teams_live':
      return `https://teams.live.com/meet/${digits.slice(0, 13)}`
    case 'webex':
      return `https://example.webex.com/meet/room${digits.slice(0, 6)}`
    case 'goto_meeting':
      return `https://meet.goto.com/${digits.slice(0, 9)}`
  }
}
