import {IN_CALL_STATUSES} from '../../config/bot-status.js'
import type {ProjectConfig} from '../../config/project-config-schema.js'
import type {Connection} from '../connect.js'
import {knownBodies} from '../make-plan.js'
import {buildPlan} from '../../diff/build-plan.js'
import {claimBots, matchesSelector} from '../../refresh/claim.js'
import type {BotResult} from '../../execute/events.js'
import {executeCalls} from '../../execute/execute.js'
import {callsFromPlan, guardEach} from '../../execute/plan-to-calls.js'
import {RecallApiError} from '../../recall/client/errors.js'
import {pollRefresh, type PollResult} from '../../refresh/poll.js'
import {readSnapshot, unreadableBotMessage, type BotSnapshot} from '../../refresh/snapshot.js'
import type {DesiredBot, ResolvedAssignment, ResolvedProject} from '../../resolve/types.js'
import type {Logger} from '../../watch/logger.js'
import {BotEventQueue} from '../../watch/bot-event-queue.js'
import {pollScope} from '../../refresh/poll-scope.js'

/** The config watch is working from: replaced as a whole on a good SIGHUP reload. */
export interface WatchProject {
  resolved: ResolvedProject
  config: ProjectConfig
  loadedAt: Date
}

export interface ReconcilerOptions {
  connection: Pick<Connection, 'client' | 'baseUrl'>
  env: Readonly<Record<string, string | undefined>>
  log: Logger
  /** `--allow-restart`; the config's `apply.allow_restart` counts too. */
  allowRestartFlag: boolean
  toolVersion: string
  /** Once aborted: no new read or call; calls in flight finish. */
  stop: AbortSignal
  now?: () => Date
}

/** One pass, for `--once`'s exit code and the `pass_complete` log line. */
export interface PassOutcome {
  /** Bots that needed a call: those called, plus restarts refused and bots claimed twice. */
  planned: number
  made: number
  results: BotResult[]
  /** Bots in the call that an assignment claims. */
  inCall: number
  /** Why the pass could not read, or null. */
  error: string | null
}

const inCall = (status: string | null) => status !== null && IN_CALL_STATUSES.includes(status)

/** Thrown by a read when watch is stopping; never logged as a failure. */
const isStopping = (error: unknown, stop: AbortSignal) => stop.aborted || (error instanceof Error && error.name === 'AbortError')

/**
 * The reconcile loop's work, through the same stages as apply: read → claim → buildPlan → callsFromPlan
 * → executeCalls (stale check, complete stamped body, the Idempotency-Key that makes two watchers or a
 * watcher and an apply perform each change once). A bot is worked on by one path at a time in this
 * process (a pass or a webhook); an event for a busy bot is handled again once it is free.
 */
export class Reconciler {
  private projectState: WatchProject
  private readonly busy = new Set<string>()
  /** Webhook events, coalesced per bot: one read in flight and one queued, whatever the flood. */
  private readonly events: BotEventQueue
  /** Explicit bots read by GET that finished or do not exist: a finished bot never comes back. */
  private readonly retired = new Set<string>()
  /** Warnings already given, so a pass every few seconds does not repeat them. Cleared on reload. */
  private readonly noted = new Set<string>()

  constructor(
    project: WatchProject,
    private readonly options: ReconcilerOptions,
  ) {
    this.projectState = project
    this.events = new BotEventQueue({
      run: (botId, cause) => this.reconcileBot(botId, cause),
      held: (botId) => this.busy.has(botId),
    })
    this.warnNeverInCall()
  }

  get project(): WatchProject {
    return this.projectState
  }

  /** A reloaded config: later passes and events use it; work in flight finishes with the old one. */
  setProject(project: WatchProject): void {
    this.projectState = project
    this.retired.clear()
    this.noted.clear()
    this.warnNeverInCall()
  }

  /** Bots being worked on now, for /healthz. */
  get inFlight(): number {
    return this.busy.size
  }

  /** Resolves once every webhook-triggered reconcile has finished; no new one starts. */
  async drain(): Promise<void> {
    await this.events.drain()
  }

  /**
   * Reconciles one bot named by a webhook, in the background (the webhook was answered already).
   * Events for one bot are coalesced (BotEventQueue): a flood of them costs a bounded number of reads.
   */
  schedule(botId: string, cause: Record<string, unknown>): void {
    if (this.options.stop.aborted) return
    this.events.push(botId, cause)
  }

  /** One polling pass over every assignment. Never throws: a failure is logged and reported. */
  async pass(): Promise<PassOutcome> {
    try {
      return await this.passOnce()
    } catch (error) {
      const message = `unexpected error: ${error instanceof Error ? error.message : String(error)}`
      this.options.log.error('pass_failed', `${message}; the next pass tries again`)
      return {planned: 0, made: 0, results: [], inCall: 0, error: message}
    }
  }

  private async passOnce(): Promise<PassOutcome> {
    const project = this.projectState
    const {log, stop, connection} = this.options
    const scope = pollScope(project.resolved.assignments)
    let read: PollResult
    try {
      read = await pollRefresh(connection.client, scope, {signal: stop, skip: (id) => this.retired.has(id)})
    } catch (error) {
      if (isStopping(error, stop)) return {planned: 0, made: 0, results: [], inCall: 0, error: null}
      const message = error instanceof RecallApiError ? error.message : String((error as Error)?.message ?? error)
      log.error('pass_failed', `reading the bots failed; the next pass tries again: ${message}`)
      return {planned: 0, made: 0, results: [], inCall: 0, error: message}
    }
    for (const id of read.missing) {
      this.retired.add(id)
      this.noteOnce(
        `missing:${id}`,
        'warn',
        'bot_missing',
        `bot ${id} does not exist in this workspace and region (404): it is not polled again until the config is reloaded. Check the id and api.region.`,
        {bot_id: id},
      )
    }
    for (const id of read.finished) this.retired.add(id)
    for (const bad of read.unreadable) this.unreadable(bad.bot_id, bad.problems)

    // claim, as plan does; only bots read in this pass are worked on, and a bot claimed twice is left alone.
    const claimed = claimBots(project.resolved.assignments, read.matched)
    let conflicts = 0
    for (const [botId, assignments] of claimed.conflicts) {
      if (!read.snapshots.has(botId)) continue
      if (inCall(read.snapshots.get(botId)?.status ?? null)) conflicts++
      this.conflict(botId, assignments)
    }
    const claimedIds = claimed.desired.map((d) => d.bot_id).filter((id) => read.snapshots.has(id))
    const desired = claimed.desired.filter(
      (d) => read.snapshots.has(d.bot_id) && !claimed.conflicts.has(d.bot_id) && !this.busy.has(d.bot_id),
    )
    const outcome = await this.act(project, desired, read.snapshots, {reread: true, hold: true})
    return {
      planned: outcome.planned + conflicts,
      made: outcome.made,
      results: outcome.results,
      inCall: new Set([...claimedIds, ...claimed.conflicts.keys()].filter((id) => inCall(read.snapshots.get(id)?.status ?? null)))
        .size,
      error: null,
    }
  }

  private async reconcileBot(botId: string, cause: Record<string, unknown>): Promise<void> {
    const {log, stop, connection} = this.options
    this.busy.add(botId)
    try {
      const project = this.projectState
      const raw = await connection.client.retrieveBot(botId, {signal: stop})
      if (raw === null) {
        log.warn('bot_missing', `the webhook names bot ${botId}, which does not exist in this workspace and region (404)`, {
          bot_id: botId,
          ...cause,
        })
        return
      }
      const read = readSnapshot(raw)
      if (!read.ok) return this.unreadable(read.bot_id, read.problems)
      const snapshot = read.snapshot
      // claim, as plan does, for this one bot.
      const matched = new Map(
        project.resolved.assignments.map((a) => [
          a,
          a.selector.kind === 'match' && matchesSelector(snapshot, a.selector) ? [snapshot] : [],
        ]),
      )
      const claimed = claimBots(project.resolved.assignments, matched)
      const conflict = claimed.conflicts.get(botId)
      if (conflict) return this.conflict(botId, conflict)
      const desired = claimed.desired.filter((d) => d.bot_id === botId)
      if (desired.length === 0) {
        log.info('bot_unassigned', 'no assignment lists or matches this bot: nothing to do', {
          bot_id: botId,
          status: snapshot.status,
          ...cause,
        })
        return
      }
      // Read just now, right before the call: no second read is needed to judge staleness.
      await this.act(project, desired, new Map([[botId, snapshot]]), {reread: false, hold: false})
    } catch (error) {
      if (isStopping(error, stop)) return
      // Logged, never thrown: this runs in the background, and one bot's surprise must not end watch.
      const message =
        error instanceof RecallApiError
          ? error.message
          : `unexpected error: ${error instanceof Error ? error.message : String(error)}`
      log.error('reconcile_failed', message, {bot_id: botId, ...cause})
    } finally {
      this.release(botId)
    }
  }

  private release(botId: string): void {
    this.busy.delete(botId)
    this.events.release(botId)
  }

  /**
   * diff → guards → execute for the bots given (none of them busy elsewhere). `reread`: the snapshots
   * may be old (a long listing), so each bot is read again right before its call and skipped if it
   * moved. `hold`: mark the called bots busy here (a pass); a single-bot reconcile holds its own.
   */
  private async act(
    project: WatchProject,
    desired: DesiredBot[],
    snapshots: ReadonlyMap<string, BotSnapshot>,
    {reread, hold}: {reread: boolean; hold: boolean},
  ): Promise<{planned: number; made: number; results: BotResult[]}> {
    const {log, stop, env, connection} = this.options
    const plan = buildPlan({
      desired,
      snapshots,
      context: {bodiesByDigest: knownBodies(project.resolved), env},
      diagnostics: [],
      ignoreMissing: true,
      base_url: connection.baseUrl,
      created_at: (this.options.now?.() ?? new Date()).toISOString(),
      tool_version: this.options.toolVersion,
    })
    // Guards are judged per bot here: one restart that is not allowed must not stop the other starts.
    const {calls} = callsFromPlan(plan, project.resolved, {allowRestart: true, ignoreMissing: true})
    const {allowed, refused} = guardEach(calls, {
      allowRestart: this.options.allowRestartFlag || project.config.apply.allow_restart,
    })
    for (const {call} of refused) {
      const change = plan.changes.find((c) => c.bot_id === call.bot_id)
      this.noteOnce(
        `restart:${call.bot_id}:${call.before.newest_recording_id}:${call.digest}`,
        'warn',
        'restart_not_allowed',
        `${change?.reason ?? 'the running recording differs from the desired body'}; restarting it splits the meeting's media, so watch leaves it alone. Run watch with --allow-restart (or set apply.allow_restart: true) to restart such recordings.`,
        {bot_id: call.bot_id, profile: call.profile},
      )
    }
    for (const change of plan.changes)
      if (change.action === 'unknown')
        this.noteOnce(`unknown:${change.bot_id}:${change.before.status}`, 'warn', 'unknown_status', change.reason, {
          bot_id: change.bot_id,
          status: change.before.status,
        })
      else if (change.action === 'blocked')
        this.noteOnce(`blocked:${change.bot_id}`, 'warn', 'bot_blocked', change.reason, {bot_id: change.bot_id})
    if (allowed.length === 0) return {planned: refused.length, made: 0, results: []}

    if (hold) for (const call of allowed) this.busy.add(call.bot_id)
    let results: BotResult[]
    try {
      results = await executeCalls(allowed, {
        client: connection.client,
        env,
        reread,
        now: () => (this.options.now?.() ?? new Date()).getTime(),
        concurrency: project.config.apply.concurrency,
        stop,
        onResult: (result) => {
          const call = allowed.find((c) => c.bot_id === result.bot_id)
          const fields = {bot_id: result.bot_id, action: result.action, profile: call?.profile, digest: call?.digest}
          if (result.outcome === 'started' || result.outcome === 'restarted')
            log.info('call_done', `${result.outcome} the recording`, {...fields, recording_id: result.recording_id ?? null})
          else if (result.outcome === 'already_applied')
            log.info('call_already_applied', `no call needed: ${result.reason ?? ''}`, fields)
          else if (result.outcome === 'stale')
            log.info('call_stale', `skipped: ${result.reason ?? ''}; the next pass looks again`, fields)
          else if (result.outcome === 'failed')
            log.error('call_failed', result.reason ?? 'the call failed', {...fields, code: result.code ?? null})
        },
      })
    } finally {
      if (hold) for (const call of allowed) this.release(call.bot_id)
    }
    const made = results.filter((r) => r.outcome === 'started' || r.outcome === 'restarted').length
    return {planned: allowed.length + refused.length, made, results}
  }

  private unreadable(botId: string, problems: readonly string[]): void {
    this.noteOnce(`bad:${botId}`, 'error', 'bad_bot_response', unreadableBotMessage(botId, problems), {bot_id: botId})
  }

  private conflict(botId: string, assignments: readonly ResolvedAssignment[]): void {
    const names = assignments.map((a) => `${a.label} (profile "${a.profile}")`).join(' and ')
    this.noteOnce(
      `conflict:${botId}`,
      'error',
      'bot_conflict',
      `bot ${botId} is claimed by ${names}: watch leaves it alone until only one assignment selects it.`,
      {bot_id: botId},
    )
  }

  private warnNeverInCall(): void {
    for (const assignment of pollScope(this.projectState.resolved.assignments).neverInCall)
      this.noteOnce(
        `never:${assignment.label}`,
        'warn',
        'selector_never_in_call',
        `the match selector of ${assignment.label} selects only statuses outside the call, where no recording can be started: watch never acts on it. Add in_call_not_recording (or remove status) to record its bots as they join.`,
        {assignment: assignment.label},
      )
  }

  private noteOnce(key: string, level: 'warn' | 'error', event: string, message: string, fields: Record<string, unknown>): void {
    if (this.noted.has(key)) return
    this.noted.add(key)
    this.options.log.log(level, event, message, fields)
  }
}
