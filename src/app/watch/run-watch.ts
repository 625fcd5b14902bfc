import {setTimeout as sleep} from 'node:timers/promises'
import type {Connection} from '../connect.js'
import {IN_CALL_STATUSES} from '../../config/bot-status.js'
import {canonicalJson} from '../../shared/canonical-json.js'
import type {Diagnostic} from '../../shared/diagnostics.js'
import {formatDuration} from '../../watch/duration.js'
import type {Logger} from '../../watch/logger.js'
import {Reconciler, type PassOutcome, type WatchProject} from './reconcile.js'
import {ReplayCache} from '../../watch/replay-cache.js'
import type {WatchMetrics} from '../../watch/metrics.js'
import {startWebhookServer, type WebhookServer} from '../../watch/webhook-server.js'

/** What a reload finds: the new project, or the diagnostics that refuse it. */
export type LoadResult = {ok: true; project: WatchProject; warnings: Diagnostic[]} | {ok: false; diagnostics: Diagnostic[]}

export interface WatchRunOptions {
  project: WatchProject
  connection: Connection
  intervalMs: number
  /** One pass, then stop (no listener). */
  once: boolean
  allowRestartFlag: boolean
  /** The webhook listener, with the workspace's webhook key. */
  listen?: {host: string; port: number; key: Buffer} | undefined
  log: Logger
  /** Aborted on SIGTERM/SIGINT: no new pass, read or call; calls in flight finish. */
  stop: AbortSignal
  env: Readonly<Record<string, string | undefined>>
  toolVersion: string
  /** Prometheus metrics, served on `/metrics` when listening. */
  metrics?: WatchMetrics | undefined
  /** Reads and checks the config again (SIGHUP). */
  load: () => Promise<LoadResult>
}

export interface Watcher {
  /** Reloads the config (one reload at a time); a config that does not validate is refused. */
  reload(): Promise<void>
  /** The exit code, once watch has stopped: 0, or for `--once` as apply's (0 / 3 / 1). */
  done: Promise<number>
}

/** `--once`'s exit code, as apply's: 0 every needed call made, 3 some, 1 none or the reads failed. */
export function passExitCode(outcome: PassOutcome): number {
  if (outcome.error !== null) return 1
  if (outcome.made === outcome.planned) return 0
  return outcome.made > 0 ? 3 : 1
}

export function logDiagnostics(log: Logger, diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics)
    log.log(d.severity === 'error' ? 'error' : 'warn', 'config_diagnostic', d.message, {
      severity: d.severity,
      code: d.code,
      ...(d.file === undefined ? {} : {file: d.file}),
      ...(d.line === undefined ? {} : {line: d.line, column: d.column ?? 1}),
    })
}

/**
 * The watch loop: a polling pass every `intervalMs` (the next one starts `intervalMs` after the last
 * ended, so passes never overlap), webhooks reconciled as they come, SIGHUP reloads, and a clean stop.
 */
export function startWatch(options: WatchRunOptions): Watcher {
  const {log, stop} = options
  const reconciler = new Reconciler(options.project, {
    connection: options.connection,
    env: options.env,
    log,
    allowRestartFlag: options.allowRestartFlag,
    toolVersion: options.toolVersion,
    stop,
  })
  let passes = 0
  let lastPassAt: Date | null = null
  let lastPassError: string | null = null
  let lastSuccessAt: Date | null = null
  // Ready while a pass has succeeded within three intervals and a minute (a slow pass, a 429, a blip).
  const readyWithinMs = 3 * options.intervalMs + 60_000
  let server: WebhookServer | undefined
  let reloading: Promise<void> = Promise.resolve()

  const reloadOnce = async (): Promise<void> => {
    if (stop.aborted) return
    const current = reconciler.project
    log.info('config_reload', 'reading the config again (SIGHUP)')
    let result: LoadResult
    try {
      result = await options.load()
    } catch (error) {
      result = {ok: false, diagnostics: [{severity: 'error', code: 'config_unreadable', message: (error as Error).message}]}
    }
    if (!result.ok) {
      logDiagnostics(log, result.diagnostics)
      const errors = result.diagnostics.filter((d) => d.severity === 'error').length
      log.error(
        'config_reload_refused',
        `the new config has ${errors} error(s): it is refused, and watch keeps the config loaded at ${current.loadedAt.toISOString()}`,
      )
      return
    }
    logDiagnostics(log, result.warnings)
    const next = result.project
    const needsRestart = (['api', 'rate_limits'] as const).filter(
      (key) => canonicalJson(current.config[key]) !== canonicalJson(next.config[key]),
    )
    if (needsRestart.length > 0)
      log.warn(
        'config_restart_needed',
        `${needsRestart.join(' and ')} changed: the connection keeps the old settings until watch is restarted`,
        {sections: needsRestart},
      )
    reconciler.setProject(next)
    log.info(
      'config_reloaded',
      `${next.resolved.profiles.length} profile(s), ${next.resolved.assignments.length} assignment(s)`,
      {
        profiles: next.resolved.profiles.length,
        assignments: next.resolved.assignments.length,
      },
    )
  }

  const run = async (): Promise<number> => {
    if (options.listen) {
      server = await startWebhookServer({
        host: options.listen.host,
        port: options.listen.port,
        key: options.listen.key,
        replay: new ReplayCache(),
        log,
        onBotStatus: ({botId, code, event, webhookId}) => {
          // Only a bot in the call can be recorded; other statuses are logged and left.
          if (IN_CALL_STATUSES.includes(code)) reconciler.schedule(botId, {webhook_event: event, webhook_id: webhookId})
        },
        ready: () => ({
          ready: lastSuccessAt !== null && Date.now() - lastSuccessAt.getTime() <= readyWithinMs,
          last_success_at: lastSuccessAt?.toISOString() ?? null,
          last_pass_error: lastPassError,
        }),
        ...(options.metrics ? {metrics: options.metrics.render, onVerdict: options.metrics.webhook} : {}),
        health: () => ({
          passes,
          last_pass_at: lastPassAt?.toISOString() ?? null,
          last_pass_error: lastPassError,
          config_loaded_at: reconciler.project.loadedAt.toISOString(),
          in_flight: reconciler.inFlight,
        }),
      })
      stop.addEventListener('abort', () => void server?.close(), {once: true})
      log.info('listening', `webhooks on ${server.url} (POST, any path); health on ${server.url}/healthz`, {
        url: server.url,
        port: server.port,
      })
    }
    log.info('watch_started', options.once ? 'one pass, then exit' : `polling every ${formatDuration(options.intervalMs)}`, {
      interval_ms: options.intervalMs,
      once: options.once,
      base_url: options.connection.baseUrl,
      allow_restart: options.allowRestartFlag || reconciler.project.config.apply.allow_restart,
    })
    let exitCode = 0
    while (!stop.aborted) {
      const started = Date.now()
      const outcome = await reconciler.pass()
      passes++
      lastPassAt = new Date()
      lastPassError = outcome.error
      if (outcome.error === null) lastSuccessAt = lastPassAt
      options.metrics?.pass({ok: outcome.error === null, seconds: (Date.now() - started) / 1000, at: lastPassAt})
      // A pass that found nothing to do is a debug line after the first: every 15 s would drown the log.
      const quiet = outcome.planned === 0 && outcome.error === null && passes > 1
      log.log(quiet ? 'debug' : 'info', 'pass_complete', undefined, {
        pass: passes,
        in_call: outcome.inCall,
        planned: outcome.planned,
        made: outcome.made,
        stale: outcome.results.filter((r) => r.outcome === 'stale').length,
        failed: outcome.results.filter((r) => r.outcome === 'failed').length,
        ms: Date.now() - started,
      })
      if (options.once) {
        exitCode = passExitCode(outcome)
        break
      }
      try {
        await sleep(options.intervalMs, undefined, {signal: stop})
      } catch {
        break
      }
    }
    if (!options.once) log.info('stopping', 'no new passes or calls; waiting for the calls in flight')
    await server?.close()
    await reconciler.drain()
    await reloading
    if (!options.once) log.info('stopped')
    return exitCode
  }

  return {
    reload() {
      reloading = reloading.then(reloadOnce)
      return reloading
    },
    done: run(),
  }
}
