import PQueue from 'p-queue'
import {parseBot} from '../recall/bot-schema.js'
import type {RecallClient} from '../recall/client/client.js'
import {RecallApiError} from '../recall/client/errors.js'
import {observedStateOf} from '../diff/diff-bot.js'
import {missingSnapshot, snapshotOf} from '../refresh/snapshot.js'
import type {BotResult} from './events.js'
import {idempotencyKey} from './idempotency-key.js'
import type {PlannedCall} from './plan-to-calls.js'
import {staleReason} from './stale.js'
import {bodyToSend} from './stamp.js'

export interface ExecuteOptions {
  client: RecallClient
  env: Readonly<Record<string, string | undefined>>
  /** Re-read each bot right before its call (a saved plan); false when the plan was read just now. */
  reread: boolean
  /** Bots worked on at once; the client's limiters bound the request rate. */
  concurrency: number
  /** Once aborted, no new bot is started; calls in flight finish. */
  stop: AbortSignal
  onResult: (result: BotResult) => void
}

/**
 * The execute stage: each planned call through the client (re-read, stale check, then start_recording
 * with the complete stamped body and a stable Idempotency-Key). A final error on one bot does not stop
 * the others. Results come back in plan order.
 */
export async function executeCalls(calls: readonly PlannedCall[], options: ExecuteOptions): Promise<BotResult[]> {
  const queue = new PQueue({concurrency: options.concurrency})
  const results: BotResult[] = new Array(calls.length)
  const interrupted = (call: PlannedCall): BotResult => ({bot_id: call.bot_id, action: call.action, outcome: 'interrupted', reason: 'apply was interrupted before this call'})
  options.stop.addEventListener('abort', () => queue.clear(), {once: true})
  calls.forEach((call, index) => {
    void queue.add(async () => {
      const result = options.stop.aborted ? interrupted(call) : await executeOne(call, options)
      results[index] = result
      options.onResult(result)
    })
  })
  await queue.onIdle()
  for (const [index, call] of calls.entries()) if (!results[index]) options.onResult((results[index] = interrupted(call)))
  return results
}

async function executeOne(call: PlannedCall, options: ExecuteOptions): Promise<BotResult> {
  const base = {bot_id: call.bot_id, action: call.action}
  try {
    let newest = call.before.newest_recording_id
    if (options.reread) {
      const raw = await options.client.retrieveBot(call.bot_id)
      const parsed = raw === null ? undefined : parseBot(raw)
      const snapshot = raw === null ? missingSnapshot(call.bot_id) : parsed?.ok ? snapshotOf(parsed.value) : undefined
      if (!snapshot) return {...base, outcome: 'failed', reason: "Recall's answer is not a bot this version understands", code: null}
      const reason = staleReason(call.before, observedStateOf(snapshot))
      if (reason) return {...base, outcome: 'stale', reason: `${reason} since the plan was made`}
      newest = snapshot.newest_recording_id
    }
    const body = bodyToSend(call.body, call.digest, call.profile, options.env)
    const bot = await options.client.startRecording(call.bot_id, body, {idempotencyKey: idempotencyKey(call.bot_id, call.digest, newest)})
    const parsed = bot === null ? undefined : parseBot(bot)
    const recording = parsed?.ok ? snapshotOf(parsed.value).newest_recording_id : null
    return {...base, outcome: call.action === 'start' ? 'started' : 'restarted', ...(recording ? {recording_id: recording} : {})}
  } catch (error) {
    if (error instanceof RecallApiError) return {...base, outcome: 'failed', reason: error.message, code: error.code}
    // Anything else is reported against this bot too: one bot's surprise must not end the apply unreported.
    return {...base, outcome: 'failed', reason: `unexpected error: ${error instanceof Error ? error.message : String(error)}`, code: null}
  }
}
