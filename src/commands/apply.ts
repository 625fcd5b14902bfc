import {Args, Flags} from '@oclif/core'
import {allSinks, applyFacts, countingSink, liveSink, ndjsonSink, plainSink, type ProgressSink} from '../cli/apply-progress.js'
import {applyReport, quitReport} from '../cli/apply-report.js'
import {BaseCommand} from '../cli/base-command.js'
import {askYes} from '../cli/confirm.js'
import {connect, type Connection} from '../app/connect.js'
import {requestTally, startLiveProgress} from '../cli/live-progress.js'
import {checkScope, makePlan} from '../app/make-plan.js'
import {loadProject, sourcesOf, type ProjectRun} from '../app/load-project.js'
import {withReadProgress} from '../cli/read-progress.js'
import {readPlanFile} from '../app/read-plan-file.js'
import {runApply} from '../app/run-apply.js'
import {UserError} from '../shared/user-error.js'
import {verifyPlanFile} from '../app/verify-plan-file.js'
import {rereadsNeeded} from '../execute/execute.js'
import type {ApplyEvent, ApplySummary, BotResult} from '../execute/events.js'
import {applyExitCode} from '../execute/events.js'
import {callsFromPlan} from '../execute/plan-to-calls.js'
import type {Plan} from '../plan/types.js'
import {renderDiagnostics} from '../render/diagnostics-text.js'
import {renderHuman} from '../render/human.js'
import {hasErrors} from '../shared/diagnostics.js'

export default class Apply extends BaseCommand {
  static override summary = 'Make the start_recording calls of a plan, within the rate limits.'
  static override description = `Without PLANFILE: plans, shows the plan and asks before applying (a run that cannot ask, in CI or without a TTY, needs --auto-approve). With PLANFILE (from plan --out): applies exactly that plan. It refuses the whole plan when the config now resolves to other digests, and re-reads each bot right before its call, skipping as stale a bot whose state moved since the plan. Restarting a running recording splits its media: it needs --allow-restart or apply.allow_restart. Exit 0 every planned call made; 3 some made and some stale or failed; 1 none made.`

  static override examples = [
    {description: 'Plan, review, confirm, apply', command: '<%= config.bin %> apply'},
    {description: 'Deploy pipeline: apply the reviewed plan file', command: '<%= config.bin %> apply plan.json --auto-approve'},
    {
      description: 'Apply only what was reviewed on the pull request',
      command: '<%= config.bin %> apply plan.json --expect-digest v1:0123abcd...',
    },
    {description: 'Stream progress as NDJSON', command: '<%= config.bin %> apply --auto-approve --json'},
  ]

  static override args = {planfile: Args.string({description: 'A plan saved by `recallctl plan --out FILE`.', required: false})}

  static override flags = {
    'auto-approve': Flags.boolean({
      summary: 'Apply without asking (required when there is no TTY to ask on).',
      env: 'RECALLCTL_AUTO_APPROVE',
    }),
    'allow-restart': Flags.boolean({
      summary: "Allow restarting running recordings (each restart splits a meeting's media).",
      env: 'RECALLCTL_ALLOW_RESTART',
    }),
    'ignore-missing': Flags.boolean({
      summary: 'Skip bots that do not exist (404) instead of refusing.',
      env: 'RECALLCTL_IGNORE_MISSING',
    }),
    'expect-digest': Flags.string({
      summary: "Refuse unless the plan's plan_digest is exactly this (apply what was reviewed).",
      env: 'RECALLCTL_APPLY_EXPECT_DIGEST',
    }),
    target: Flags.string({
      summary: 'Without PLANFILE: only this bot id or profile:NAME (repeatable).',
      multiple: true,
      env: 'RECALLCTL_TARGET',
      delimiter: ',',
    }),
    exclude: Flags.string({
      summary: 'Without PLANFILE: leave out this bot id or profile:NAME (repeatable).',
      multiple: true,
      env: 'RECALLCTL_EXCLUDE',
      delimiter: ',',
    }),
    json: Flags.boolean({
      summary: 'Stream NDJSON events on stdout (apply_start, call_done, call_failed, rate_limited, apply_complete).',
      env: 'RECALLCTL_APPLY_JSON',
    }),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Apply)
    this.noColorFlag = flags['no-color']
    if (args.planfile && ((flags.target?.length ?? 0) > 0 || (flags.exclude?.length ?? 0) > 0))
      throw new UserError(
        '--target and --exclude shape a plan; a plan file is applied as it was made. Make a new plan with them instead.',
      )
    const run = await loadProject(flags.dir, 'error')
    this.addSecrets(...run.envValues)
    const config = run.resolved.config
    if (!config || hasErrors(run.resolved.diagnostics)) {
      this.note(renderDiagnostics(run.resolved.diagnostics, {color: false}))
      throw new UserError('the config has errors: nothing was applied.')
    }
    const saved = args.planfile ? await readPlanFile(args.planfile) : undefined

    let sink: ProgressSink | undefined
    const emit = (event: ApplyEvent) => sink?.event(event)
    const connection = await connect(config, run.root, {
      onEvent: (event) => {
        if (event.type === 'rate_limited')
          emit({type: 'rate_limited', endpoint: event.endpoint, wait_ms: Math.round(event.waitMs)})
        else if (event.type === 'retry')
          emit({type: 'retry', endpoint: event.endpoint, reason: event.reason, wait_ms: Math.round(event.waitMs)})
      },
    })
    this.addSecrets(connection.apiKey)
    try {
      if (saved && saved.workspace.base_url !== connection.baseUrl)
        throw new UserError(
          `the plan was made against ${saved.workspace.base_url}, but the config now points at ${connection.baseUrl}. Make the plan again.`,
        )
      const guards = {
        allowRestart: flags['allow-restart'] || config.apply.allow_restart,
        ignoreMissing: flags['ignore-missing'],
        expectDigest: flags['expect-digest'],
      }
      // A saved plan is untrusted input: verified against the config and the bots as they are now.
      const {calls, refusals, verification}: Awaited<ReturnType<typeof verifyPlanFile>> = saved
        ? await verifyPlanFile(saved, run.resolved, connection, {
            guards,
            env: process.env,
            onProgress: (message) => this.note(message),
            withReads: (reads, read) => withReadProgress(connection, reads, read),
          })
        : callsFromPlan(await this.planNow(run, connection, flags), run.resolved, guards)
      if (refusals.length > 0)
        throw new UserError(`apply refused, no call was made:\n${refusals.map((r) => `  - ${r.message}`).join('\n')}`)
      if (calls.length === 0) {
        if (flags.json)
          this.out(JSON.stringify({type: 'apply_complete', summary: null, results: [], message: 'nothing to apply'}))
        else this.note('Nothing to apply: every bot is in sync, pending or finished.')
        return
      }
      if (!saved && !flags['auto-approve'] && !(await this.confirm(calls.length))) return

      const rereadsAtStart = rereadsNeeded(calls, Date.now())
      const counting = countingSink()
      const tally = requestTally()
      connection.subscribe(tally.onEvent)
      const facts = () =>
        applyFacts({
          counts: counting.counts,
          tally,
          outlook: (endpoint) => connection.client.outlook(endpoint),
          rereads: saved ? rereadsAtStart : 0,
        })
      const view = flags.json ? undefined : startLiveProgress({stream: process.stderr, tty: this.terminal.interactive, facts})
      const shown = flags.json
        ? ndjsonSink((line) => this.out(line))
        : this.terminal.interactive
          ? liveSink(view!)
          : plainSink((line) => this.note(line))
      sink = allSinks(
        counting,
        shown,
        ...(view && !this.terminal.interactive ? [{event: () => undefined, done: () => view.stop()}] : []),
      )
      const say = (text: string) => (view ? view.log(this.scrubber.scrub(text)) : this.note(text))
      // Ctrl-C once: every call still waiting (limiter, retry back-off) is cancelled at once; requests on
      // the wire finish. Twice: quit now, with the counts known so far.
      const stop = new AbortController()
      const onSignal = () => {
        if (stop.signal.aborted) {
          view?.stop()
          this.note(`\n${quitReport(counting.counts)}`)
          process.exit(130)
        }
        say('Stopping: calls not yet sent are cancelled; waiting for the requests already sent (Ctrl-C again to quit at once)...')
        stop.abort(new Error('apply was interrupted before this call'))
      }
      process.on('SIGINT', onSignal)
      process.on('SIGTERM', onSignal)
      let outcome: {results: BotResult[]; summary: ApplySummary}
      try {
        outcome = await runApply(calls, {
          connection,
          env: process.env,
          reread: Boolean(saved),
          verification,
          stop: stop.signal,
          emit,
        })
      } finally {
        process.off('SIGINT', onSignal)
        process.off('SIGTERM', onSignal)
        sink.done()
      }
      if (!flags.json)
        this.out(applyReport(outcome.results, outcome.summary, {planFile: args.planfile, interrupted: stop.signal.aborted}))
      process.exitCode = applyExitCode(outcome.summary, calls.length)
    } finally {
      await connection.close()
    }
  }

  private async planNow(
    run: ProjectRun,
    connection: Connection,
    flags: {target?: string[]; exclude?: string[]; 'ignore-missing': boolean; json: boolean},
  ): Promise<Plan> {
    const options = {...this.planOptions(flags), sources: sourcesOf(run.loaded)}
    const plan = await withReadProgress(connection, checkScope(run.resolved, options).scope.botIds.length, () =>
      makePlan(run.resolved, connection, options),
    )
    const shown = renderHuman(this.scrubbed(plan), {color: this.terminal.color})
    if (flags.json) this.note(shown)
    else this.out(shown)
    return plan
  }

  /** True to go ahead. Ctrl-C, Ctrl-D or any answer but `yes` cancels: nothing is applied, exit 1. */
  private async confirm(count: number): Promise<boolean> {
    if (!this.terminal.interactive)
      throw new UserError(
        'apply would make changes but cannot ask for confirmation here (no TTY, or CI). Review the plan, then pass --auto-approve, or apply a saved plan file.',
      )
    const answer = await askYes(`\nApply these ${count} call(s)? Only "yes" is accepted: `, {
      input: process.stdin,
      output: process.stderr,
    })
    if (answer === 'yes') return true
    this.note(`${answer === 'no' ? '' : '\n'}Apply cancelled: nothing was applied.`)
    process.exitCode = 1
    return false
  }
}
