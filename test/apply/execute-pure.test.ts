import {describe, expect, it} from 'vitest'
import {applyExitCode, summarizeResults, type BotResult, type CallOutcome} from '../../src/execute/events.js'
import {idempotencyKey} from '../../src/execute/idempotency-key.js'
import {staleReason} from '../../src/execute/stale.js'
import {bodyToSend} from '../../src/execute/stamp.js'
import {withEndpointDefaults} from '../../src/recall/body-defaults.js'
import type {ObservedState} from '../../src/plan/types.js'

const BOT = '6e1f5adb-3340-4f50-900d-9aa2cdc53d6c'
const DIGEST = 'v1:0123456789abcdef0123456789abcdef'

const state = (over: Partial<ObservedState> = {}): ObservedState => ({
  status: 'in_call_not_recording',
  newest_recording_id: null,
  active_recording_id: null,
  active_digest: null,
  active_profile: null,
  ...over,
})

describe('staleReason: has the bot moved since the plan?', () => {
  it('is null when nothing the plan relied on changed', () => {
    expect(staleReason(state(), state())).toBeNull()
    const recording = state({
      status: 'in_call_recording',
      newest_recording_id: 'r1',
      active_recording_id: 'r1',
      active_digest: DIGEST,
      active_profile: 'p',
    })
    expect(staleReason(recording, {...recording})).toBeNull()
  })

  it('is null for a status change that stays in the call', () => {
    expect(staleReason(state({status: 'in_call_not_recording'}), state({status: 'recording_permission_allowed'}))).toBeNull()
  })

  it('names the move when the bot left the call', () => {
    expect(staleReason(state(), state({status: 'call_ended'}))).toMatch(/in_call_not_recording.*call_ended/)
  })

  it('names the move when a bot that was not in the call joined it', () => {
    expect(staleReason(state({status: 'joining_call'}), state({status: 'in_call_not_recording'}))).toMatch(
      /joining_call.*in_call_not_recording/,
    )
  })

  it('says the bot is missing when it is gone', () => {
    expect(staleReason(state(), state({status: null}))).toMatch(/missing/)
  })

  it('names both ids when the newest recording changed (someone started or stopped one)', () => {
    expect(
      staleReason(state(), state({status: 'in_call_recording', newest_recording_id: 'r9', active_recording_id: 'r9'})),
    ).toMatch(/none.*r9/)
    expect(staleReason(state({newest_recording_id: 'r1'}), state({newest_recording_id: 'r2'}))).toMatch(/r1.*r2/)
  })

  it('names both digests when the running recording now carries another digest', () => {
    const planned = state({
      status: 'in_call_recording',
      newest_recording_id: 'r1',
      active_recording_id: 'r1',
      active_digest: DIGEST,
    })
    expect(staleReason(planned, {...planned, active_digest: 'v1:ffffffffffffffffffffffffffffffff'})).toMatch(/v1:0123.*v1:ffff/)
  })
})

describe('idempotencyKey', () => {
  it('is the same for the same change, for any caller and any spelling of the bot id', () => {
    const first = idempotencyKey(BOT, DIGEST, 'rec-1')
    expect(idempotencyKey(BOT, DIGEST, 'rec-1')).toBe(first)
    expect(idempotencyKey(BOT.toUpperCase(), DIGEST, 'rec-1')).toBe(first)
    expect(idempotencyKey(BOT, DIGEST, null)).toBe(idempotencyKey(BOT, DIGEST, null))
  })

  it('changes with the newest recording id, so a later start is never swallowed by a replay', () => {
    const keys = new Set([
      idempotencyKey(BOT, DIGEST, null),
      idempotencyKey(BOT, DIGEST, 'rec-1'),
      idempotencyKey(BOT, DIGEST, 'rec-2'),
    ])
    expect(keys.size).toBe(3)
  })

  it('changes with the bot and the desired digest', () => {
    const key = idempotencyKey(BOT, DIGEST, null)
    expect(idempotencyKey('0b7d2c4e-8f1a-4c3b-9e5d-2a6f8b1c3d4e', DIGEST, null)).not.toBe(key)
    expect(idempotencyKey(BOT, 'v1:ffffffffffffffffffffffffffffffff', null)).not.toBe(key)
  })

  it('is a header-safe token that reveals neither the bot nor the digest', () => {
    const key = idempotencyKey(BOT, DIGEST, 'rec-1')
    expect(key).toMatch(/^[A-Za-z0-9_-]{16,64}$/)
    expect(key).not.toContain(BOT)
    expect(key).not.toContain(DIGEST.slice(3))
  })
})

describe('bodyToSend', () => {
  const template = () =>
    withEndpointDefaults({
      retention: {type: 'timed', hours: 24},
      transcript: null,
      realtime_endpoints: [
        {type: 'webhook', url: 'https://hooks.example.com/r?token=${env:HOOK_TOKEN}', events: ['transcript.data']},
      ],
      metadata: {team: 'sales', note: 'for ${env:TEAM_NAME}'},
    })

  it('sends the complete body, every field as resolved, plus the digest and profile stamps', () => {
    const sent = bodyToSend(template(), DIGEST, 'sales-call', {HOOK_TOKEN: 't0k', TEAM_NAME: 'blue'})
    expect(sent).toEqual({
      ...template(),
      retention: {type: 'timed', hours: 24},
      transcript: null,
      realtime_endpoints: [{type: 'webhook', url: 'https://hooks.example.com/r?token=t0k', events: ['transcript.data']}],
      metadata: {team: 'sales', note: 'for blue', recallctl_digest: DIGEST, recallctl_profile: 'sales-call'},
    })
  })

  it('does not change the body it was given', () => {
    const body = template()
    const copy = structuredClone(body)
    bodyToSend(body, DIGEST, 'sales-call', {HOOK_TOKEN: 't0k', TEAM_NAME: 'blue'})
    expect(body).toEqual(copy)
  })

  it('stamps a body whose metadata is empty or left out', () => {
    expect(bodyToSend(withEndpointDefaults({retention: null, metadata: {}}), DIGEST, 'p', {}).metadata).toEqual({
      recallctl_digest: DIGEST,
      recallctl_profile: 'p',
    })
    expect(bodyToSend(withEndpointDefaults({retention: null}), DIGEST, 'p', {}).metadata).toEqual({
      recallctl_digest: DIGEST,
      recallctl_profile: 'p',
    })
  })
})

describe('applyExitCode', () => {
  const results = (...outcomes: CallOutcome[]): BotResult[] =>
    outcomes.map((outcome, i) => ({bot_id: `bot-${i}`, action: 'start', outcome}))
  const exit = (...outcomes: CallOutcome[]) =>
    applyExitCode(
      summarizeResults(results(...outcomes), {
        rate_limited: 0,
        retry_after_wait_ms: 0,
        limiter_wait_ms: 0,
        elapsed_ms: 0,
        bound_ms: 0,
        limits: {retrieve_bot: null, start_recording: 300, window_ms: 60_000},
      }),
      outcomes.length,
    )

  it('is 0 when every planned call was made, starts and restarts alike', () => {
    expect(exit('started', 'restarted', 'started')).toBe(0)
  })

  it('is 0 when the bots not called already record the planned body (a re-run of an interrupted apply)', () => {
    expect(exit('already_applied', 'started')).toBe(0)
    expect(exit('already_applied', 'already_applied')).toBe(0)
  })

  it('is 3 when some bots are done and others are not', () => {
    expect(exit('already_applied', 'stale')).toBe(3)
  })

  it('is 3 when some calls were made and others were stale, failed or not run', () => {
    expect(exit('started', 'stale')).toBe(3)
    expect(exit('restarted', 'failed')).toBe(3)
    expect(exit('started', 'interrupted')).toBe(3)
  })

  it('is 1 when no call was made', () => {
    expect(exit('stale', 'stale')).toBe(1)
    expect(exit('failed')).toBe(1)
    expect(exit('interrupted', 'stale', 'failed')).toBe(1)
  })
})
