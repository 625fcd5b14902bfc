import {lookup} from 'node:dns/promises'
import path from 'node:path'
import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {connect, RATE_WINDOW_ENV} from '../app/connect.js'
import {loadProject} from '../app/load-project.js'
import {UserError} from '../shared/user-error.js'
import {renderDiagnostics} from '../render/diagnostics-text.js'
import {hasErrors} from '../shared/diagnostics.js'
import {intervalBounds, parseDuration} from '../watch/duration.js'
import {parseListenAddress} from '../watch/listen-address.js'
import {createLogger, type Logger} from '../watch/logger.js'
import {createWatchMetrics} from '../watch/metrics.js'
import {logDiagnostics, startWatch, type LoadResult} from '../app/watch/run-watch.js'
import {parseWebhookSecret} from '../watch/webhook-signature.js'

export default class Watch extends BaseCommand {
  static override summary = "Keep reconciling: start each assigned bot's recording as soon as it joins the call."
  static override description = [
    'A long-running apply. Every --interval it lists the bots in the call (List Bots, within rate_limits) and makes the calls apply would make for the assigned ones, through the same guards, stale check and Idempotency-Key: a bot that was pending is started as it joins. Restarting a running recording needs --allow-restart or apply.allow_restart.',
    "With --listen it also serves Recall's Svix-signed bot status webhooks (the secret is read from the variable that api.webhook_secret_env names) and reconciles the bot an event names at once; unsigned, forged, stale (over 5 minutes) and replayed requests change nothing. GET /healthz answers 200 while it listens (liveness); GET /readyz answers 200 once a pass has succeeded within three intervals and a minute, else 503 (readiness); GET /metrics serves Prometheus metrics (passes, Recall requests by endpoint and outcome, 429s, limiter waits, webhooks by verdict, bots by action, the last successful pass).",
    'SIGHUP reloads the config (one that does not validate is refused and the old one kept); SIGTERM or SIGINT stops after the calls in flight, exit 0. Several replicas may run at once: they send the same Idempotency-Key for the same change, so Recall performs it once.',
    '--once makes one pass and exits like apply: 0 every needed call made, 3 some, 1 none or an error.',
  ].join('\n\n')

  static override examples = [
    {description: 'Poll every 15 seconds', command: '<%= config.bin %> watch'},
    {
      description: 'Webhooks from Recall, with polling every minute as a safety net',
      command: 'RECALL_WEBHOOK_SECRET=whsec_... <%= config.bin %> watch --listen 0.0.0.0:8080 --interval 1m',
    },
    {description: 'JSON lines for a log collector', command: '<%= config.bin %> watch --log-format json'},
    {description: "One pass from cron or CI; exit code as apply's", command: '<%= config.bin %> watch --once'},
    {description: 'Reload the config after a deploy', command: 'kill -HUP <pid>'},
  ]

  static override flags = {
    interval: Flags.string({
      summary: 'Time between polling passes, from 1s to 24h: 15s, 2m, 1h.',
      default: '15s',
      env: 'RECALLCTL_WATCH_INTERVAL',
      helpValue: 'DURATION',
    }),
    listen: Flags.string({
      summary: 'Serve Recall webhooks (POST), /healthz, /readyz and /metrics on HOST:PORT (port 0: any free one).',
      env: 'RECALLCTL_WATCH_LISTEN',
      helpValue: 'HOST:PORT',
      exclusive: ['once'],
    }),
    once: Flags.boolean({summary: 'Make one pass and exit (0 ok, 3 partial, 1 error).', env: 'RECALLCTL_WATCH_ONCE'}),
    'log-format': Flags.string({
      summary: 'Log lines on stdout: text, or one JSON object per line.',
      options: ['text', 'json'],
      default: 'text',
      env: 'RECALLCTL_WATCH_LOG_FORMAT',
    }),
    'allow-restart': Flags.boolean({
      summary: "Allow restarting running recordings (each restart splits a meeting's media).",
      env: 'RECALLCTL_ALLOW_RESTART',
    }),
  }

  private jsonLogs = false
  private logger: Logger | undefined

  async run(): Promise<void> {
    const {flags} = await this.parse(Watch)
    this.noColorFlag = flags['no-color']
    // The narrowing variables plan and apply share would be silently ignored here: watch reconciles every assignment.
    for (const name of ['RECALLCTL_TARGET', 'RECALLCTL_EXCLUDE'])
      if (process.env[name])
        throw new UserError(
          `${name} is set, but watch reconciles every assignment and takes no --target or --exclude: unset ${name} for watch.`,
        )
    this.jsonLogs = flags['log-format'] === 'json'
    const log = createLogger({
      format: this.jsonLogs ? 'json' : 'text',
      write: (line) => process.stdout.write(`${this.scrubber.scrub(line)}\n`),
      debug: process.env['DEBUG']?.includes('recallctl') ?? false,
    })
    this.logger = log

    // A test's scaled rate window (RECALLCTL_RATE_WINDOW_MS) scales the 1 s floor with it.
    const interval = parseDuration(
      flags.interval,
      '--interval',
      intervalBounds(Number(process.env[RATE_WINDOW_ENV]) || undefined),
    )
    if (!interval.ok) throw new UserError(interval.message)
    const listenAt = flags.listen === undefined ? undefined : parseListenAddress(flags.listen)
    if (listenAt && !listenAt.ok) throw new UserError(listenAt.message)
    // A host name that does not resolve fails now, before the config is loaded or Recall is read.
    if (listenAt?.ok)
      await lookup(listenAt.address.host).catch((error: NodeJS.ErrnoException) =>
        Promise.reject(listenError(error, flags.listen ?? '')),
      )

    const load = async (): Promise<LoadResult> => {
      const run = await loadProject(flags.dir, 'error')
      this.addSecrets(...run.envValues)
      const config = run.resolved.config
      if (!config || hasErrors(run.resolved.diagnostics)) return {ok: false, diagnostics: run.resolved.diagnostics}
      return {
        ok: true,
        project: {resolved: run.resolved, config, loadedAt: new Date()},
        warnings: run.resolved.diagnostics.filter((d) => d.severity === 'warning'),
      }
    }
    const first = await load()
    if (!first.ok) {
      if (this.jsonLogs) logDiagnostics(log, first.diagnostics)
      else this.note(renderDiagnostics(first.diagnostics, {color: false}))
      throw new UserError('the config has errors: watch did not start.')
    }
    logDiagnostics(log, first.warnings)
    const config = first.project.config

    let listen: {host: string; port: number; key: Buffer} | undefined
    if (listenAt?.ok) {
      const name = config.api.webhook_secret_env
      if (name === undefined)
        throw new UserError(
          "--listen needs api.webhook_secret_env in recall.config.yaml: the name of the environment variable holding the workspace's webhook signing secret (whsec_..., from Recall's dashboard). Without it no webhook can be verified.",
        )
      const value = process.env[name]
      this.addSecrets(value, value?.trim().replace(/^whsec_/, ''))
      const secret = parseWebhookSecret(process.env[name], name)
      if (!secret.ok) throw new UserError(secret.message)
      listen = {...listenAt.address, key: secret.key}
    }

    // Metrics only when listening (they are served on /metrics); prom-client is loaded only then.
    let limiterWaitMs = () => 0
    const metrics = listen ? await createWatchMetrics(() => limiterWaitMs()) : undefined
    const connection = await connect(config, path.resolve(flags.dir), {
      onEvent: (event) => {
        metrics?.clientEvent(event)
        if (event.type === 'rate_limited')
          log.warn('rate_limited', `Recall answered 429; waiting ${Math.round(event.waitMs)} ms`, {
            endpoint: event.endpoint,
            bot_id: event.botId,
            wait_ms: Math.round(event.waitMs),
          })
        else if (event.type === 'retry')
          log.info('retry', `retrying after ${event.reason}`, {
            endpoint: event.endpoint,
            bot_id: event.botId,
            status: event.status,
            wait_ms: Math.round(event.waitMs),
          })
      },
    })
    this.addSecrets(connection.apiKey)
    limiterWaitMs = () => connection.client.counters().limiterWaitMs

    const stop = new AbortController()
    const onStop = (signal: NodeJS.Signals) => {
      if (stop.signal.aborted) process.exit(130)
      log.info('signal', `${signal}: stopping after the calls in flight (send it again to quit at once)`, {signal})
      stop.abort()
    }
    const watcher = startWatch({
      project: first.project,
      connection,
      intervalMs: interval.ms,
      once: flags.once,
      allowRestartFlag: flags['allow-restart'],
      listen,
      log: metrics ? metrics.observe(log) : log,
      metrics,
      stop: stop.signal,
      env: process.env,
      toolVersion: this.config.version,
      load,
    })
    const onHangup = () => void watcher.reload()
    process.on('SIGINT', onStop)
    process.on('SIGTERM', onStop)
    process.on('SIGHUP', onHangup)
    try {
      process.exitCode = await watcher.done
    } catch (error) {
      const {syscall} = error as NodeJS.ErrnoException
      if (syscall === 'listen' || syscall === 'getaddrinfo') throw listenError(error as NodeJS.ErrnoException, flags.listen ?? '')
      throw error
    } finally {
      process.off('SIGINT', onStop)
      process.off('SIGTERM', onStop)
      process.off('SIGHUP', onHangup)
      await connection.close()
    }
  }

  protected override async catch(error: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<unknown> {
    // With JSON logs every line on stdout is an object, the last words included.
    if (this.jsonLogs && this.logger && error instanceof UserError) {
      this.logger.error('watch_failed', error.message)
      process.exitCode = error.exitCode
      return undefined
    }
    return super.catch(error)
  }
}

function listenError(error: NodeJS.ErrnoException, listen: string): UserError {
  if (error.code === 'EADDRINUSE')
    return new UserError(`--listen ${listen}: the port is already in use. Pick another port, or 0 for any free one.`)
  if (error.code === 'EACCES') return new UserError(`--listen ${listen}: not allowed to listen there; use a port above 1023.`)
  if (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN' || error.code === 'EAI_FAIL')
    return new UserError(
      `--listen ${listen}: the host name does not resolve. Use an address of this machine: 0.0.0.0 (every interface), 127.0.0.1 or localhost.`,
    )
  if (error.code === 'EADDRNOTAVAIL')
    return new UserError(`--listen ${listen}: this machine has no such address. Use 0.0.0.0 (every interface) or 127.0.0.1.`)
  return new UserError(`--listen ${listen}: cannot listen (${error.code ?? error.message}).`)
}
