import {BLOCKED_STATUSES, FINISHED_STATUSES, IN_CALL_STATUSES, NOT_JOINED_STATUSES} from '../config/bot-status.js'
import {withEndpointDefaults} from '../recall/body-defaults.js'
import {recordingConfigAsBody} from '../recall/bot-schema.js'
import type {FieldDiff, ObservedState, PlannedChange, DriftEntry} from '../plan/types.js'
import type {BotSnapshot} from '../refresh/snapshot.js'
import type {DesiredBot} from '../resolve/types.js'
import {BODY_FIELDS, type CompleteStartRecordingBody} from '../recall/body-schema.js'
import {canonicalJson} from '../shared/canonical-json.js'
import {STAMP_PREFIX} from '../shared/digest.js'
import {substituteEnv} from '../shared/env-refs.js'
import {redactValue} from '../shared/redact.js'
import {fieldDiff} from './field-diff.js'

/** What diff needs besides the bot: bodies it may have started before, and the env for adoption. */
export interface DiffContext {
  /**
   * Bodies a running recording may have been started with, by digest: every body the current config
   * resolves to, and those found in the config's git history (`source` names the commit), to show what
   * a restart changes.
   */
  bodiesByDigest: ReadonlyMap<string, KnownBody>
  env: Readonly<Record<string, string | undefined>>
}

/** A body recallctl may have started a recording with: as written (`${env:}` unsubstituted), not redacted. */
export interface KnownBody {
  profile: string
  body: CompleteStartRecordingBody
  /** Where it was found when not in the current config: `HEAD`, `origin/main`, `commit 1a2b3c4`. */
  source?: string
}

export interface BotDiff {
  change: PlannedChange
  drift?: DriftEntry
}

export function observedStateOf(snapshot: BotSnapshot): ObservedState {
  return {
    status: snapshot.status,
    newest_recording_id: snapshot.newest_recording_id,
    active_recording_id: snapshot.active?.id ?? null,
    active_digest: snapshot.active?.digest ?? null,
    active_profile: snapshot.active?.profile ?? null,
  }
}

/** Desired body vs what the bot is doing → the action for this bot, with its reason (pure). */
export function diffBot(desired: DesiredBot, snapshot: BotSnapshot, context: DiffContext): BotDiff {
  const base = {
    bot_id: desired.bot_id,
    profile: desired.profile,
    assignment: desired.assignment,
    adopted: false,
    before: observedStateOf(snapshot),
    after: {digest: desired.digest, body: redactedBody(desired.body)},
    fields_changed: [] as string[],
  }
  const status = snapshot.status
  if (!snapshot.found)
    return {change: {...base, action: 'missing', reason: 'no such bot in this workspace and region (Recall answered 404)'}}
  // No status: Recall's answer for the bot could not be read (reported by refresh) or held no status yet.
  if (status === null)
    return {change: {...base, action: 'unknown', reason: 'recallctl could not read a status for this bot: nothing is done'}}
  if (![...IN_CALL_STATUSES, ...NOT_JOINED_STATUSES, ...FINISHED_STATUSES, ...BLOCKED_STATUSES].includes(status))
    return {
      change: {
        ...base,
        action: 'unknown',
        reason: `status "${status}" is not known to this version of recallctl: nothing is done`,
      },
    }
  if (NOT_JOINED_STATUSES.includes(status))
    return {
      change: {
        ...base,
        action: 'pending',
        reason: `bot is ${status}: its recording starts once it is in the call (recallctl watch does that)`,
      },
    }
  if (FINISHED_STATUSES.includes(status))
    return {change: {...base, action: 'completed', reason: `bot is ${status}: the call is over`}}
  if (BLOCKED_STATUSES.includes(status))
    return {change: {...base, action: 'blocked', reason: 'the meeting denied the bot permission to record'}}

  const active = snapshot.active
  if (!active) return {change: {...base, action: 'start', reason: 'bot is in the call and not recording'}}
  if (active.digest === desired.digest)
    return {change: {...base, action: 'noop', reason: 'the running recording carries the desired digest'}}

  if (active.digest === null) {
    if (snapshot.recordings_count === 1 && createTimeConfigMatches(snapshot, desired, context))
      return {
        change: {
          ...base,
          action: 'noop',
          adopted: true,
          reason: 'the recording the bot started at join matches the desired body, so it is kept, not restarted',
        },
      }
    return {
      change: {
        ...base,
        action: 'restart',
        reason: `recording ${active.id} was started outside recallctl and does not match the desired body`,
        fields_changed: metadataDiffers(active.metadata, desired, context) ? ['metadata'] : [],
        previous_body: null,
      },
      drift: {bot_id: desired.bot_id, recording_id: active.id, reason: 'recording started outside recallctl'},
    }
  }

  const previous = context.bodiesByDigest.get(active.digest)
  const was = `digest ${active.digest}${active.profile ? `, profile ${active.profile}` : ''}`
  if (previous)
    return {
      change: {
        ...base,
        action: 'restart',
        reason: `the running recording was started with ${was}${previous.source ? ` (the config at ${previous.source})` : ''}; the desired body differs`,
        fields_changed: [...memoOf(context).changedFields(previous.body, desired.body)],
        previous_body: redactedBody(previous.body),
        field_diff: memoOf(context).fieldDiff(previous.body, desired.body),
      },
    }
  return {
    change: {
      ...base,
      action: 'restart',
      reason: `the running recording was started with ${was}, which the config no longer resolves to (only its metadata is visible on Recall)`,
      fields_changed: metadataDiffers(active.metadata, desired, context) ? ['metadata'] : [],
      previous_body: null,
    },
  }
}

/**
 * Every bot of an assignment shares its body object, and resolved bodies are never mutated: redact
 * each body once, not once per bot (10,000 bots on 1,000 assignments: 1,000 redactions, not 10,000).
 * The plan only reads the result, so the bots of an assignment may share it too.
 */
const redactedBodies = new WeakMap<CompleteStartRecordingBody, CompleteStartRecordingBody>()

function redactedBody(body: CompleteStartRecordingBody): CompleteStartRecordingBody {
  let redacted = redactedBodies.get(body)
  if (redacted === undefined) {
    redacted = redactValue(body)
    redactedBodies.set(body, redacted)
  }
  return redacted
}

/**
 * What diff works out per body rather than per bot, kept for one plan (one context): the bots of an
 * assignment share its body, so with 10 bots per assignment this is done a tenth as often.
 */
interface DiffMemo {
  /** The desired body with `${env:}` substituted, and its canonical JSON once asked for. */
  substituted(body: CompleteStartRecordingBody): {body: CompleteStartRecordingBody; canonical: () => string}
  changedFields(before: CompleteStartRecordingBody, after: CompleteStartRecordingBody): readonly string[]
  /** One diff per pair of bodies, shared by every bot of the pair (renderers group on it). */
  fieldDiff(before: CompleteStartRecordingBody, after: CompleteStartRecordingBody): FieldDiff
}

const memos = new WeakMap<DiffContext, DiffMemo>()

function memoOf(context: DiffContext): DiffMemo {
  let memo = memos.get(context)
  if (memo !== undefined) return memo
  const substituted = new Map<CompleteStartRecordingBody, {body: CompleteStartRecordingBody; canonical: () => string}>()
  const changed = new Map<CompleteStartRecordingBody, Map<CompleteStartRecordingBody, readonly string[]>>()
  const diffs = new Map<CompleteStartRecordingBody, Map<CompleteStartRecordingBody, FieldDiff>>()
  memo = {
    substituted(body) {
      let entry = substituted.get(body)
      if (entry === undefined) {
        const value = substituteEnv(body, context.env)
        let text: string | undefined
        entry = {body: value, canonical: () => (text ??= canonicalJson(value))}
        substituted.set(body, entry)
      }
      return entry
    },
    changedFields(before, after) {
      let byAfter = changed.get(before)
      if (byAfter === undefined) changed.set(before, (byAfter = new Map()))
      let fields = byAfter.get(after)
      if (fields === undefined) byAfter.set(after, (fields = changedFields(before, after)))
      return fields
    },
    fieldDiff(before, after) {
      let byAfter = diffs.get(before)
      if (byAfter === undefined) diffs.set(before, (byAfter = new Map()))
      let diff = byAfter.get(after)
      if (diff === undefined) byAfter.set(after, (diff = fieldDiff(before, after, redactedBody(before), redactedBody(after))))
      return diff
    },
  }
  memos.set(context, memo)
  return memo
}

/** Top-level fields whose values differ, in body order. */
export function changedFields(before: CompleteStartRecordingBody, after: CompleteStartRecordingBody): string[] {
  return BODY_FIELDS.filter((key) => canonicalJson(before[key]) !== canonicalJson(after[key]))
}

/**
 * A recording nobody stamped is in sync when the bot's create-time config, completed with the
 * endpoint defaults (absent = default, present null = off), equals the desired body with its
 * `${env:}` values substituted (the bot was created with real values).
 */
function createTimeConfigMatches(snapshot: BotSnapshot, desired: DesiredBot, context: DiffContext): boolean {
  if (!snapshot.recording_config) return false
  const asBody = recordingConfigAsBody({recording_config: snapshot.recording_config})
  if (!asBody) return false
  return canonicalJson(withEndpointDefaults(asBody)) === memoOf(context).substituted(desired.body).canonical()
}

function metadataDiffers(running: Record<string, string | null>, desired: DesiredBot, context: DiffContext): boolean {
  const wanted: Record<string, unknown> = memoOf(context).substituted(desired.body).body.metadata
  const seen = Object.fromEntries(Object.entries(running).filter(([key]) => !key.startsWith(STAMP_PREFIX)))
  return canonicalJson(seen) !== canonicalJson(wanted)
}
