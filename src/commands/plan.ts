import path from 'node:path'
import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {connect} from '../app/connect.js'
import {appendPlanToStepSummary, isGithubActions} from '../cli/github-actions.js'
import {checkScope, makePlan, planWithoutRefresh} from '../app/make-plan.js'
import {chosenFormat, planOutputFlags, renderPlan} from '../cli/plan-output.js'
import {chooseCompareRef, openPreviousBodies} from '../app/previous-bodies.js'
import {loadProject, sourcesOf} from '../app/load-project.js'
import {withReadProgress} from '../cli/read-progress.js'
import {checkOutputFile, writeOutputFile} from '../app/write-output.js'
import {renderJson} from '../render/json.js'
import {changeCount} from '../render/summary.js'
import {hasErrors} from '../shared/diagnostics.js'
import {describeAnyOsError} from '../shared/os-error.js'

export default class Plan extends BaseCommand {
  static override summary = 'Show, per bot, the start_recording calls apply would make, and why.'
  static override description = `Reads every assigned bot from Recall (GET per listed bot, List Bots per match selector), compares each running recording with the body its profile resolves to, and prints the plan. Nothing is changed. Exit 0 on success, 1 on error (the plan is still printed when it could be made); with --detailed-exitcode, 2 when there are changes (start or restart) and no error.`

  static override examples = [
    {description: 'Plan the bundled example against the embedded sandbox', command: '<%= config.bin %> plan'},
    {
      description: 'Save the plan for a later apply, and post it on a pull request',
      command: '<%= config.bin %> plan --out plan.json --format markdown > comment.md',
    },
    {
      description: 'Only the bots of one profile, machine-readable',
      command: '<%= config.bin %> plan --target profile:sales-call --json',
    },
    {description: 'CI gate: exit 2 when something would change', command: '<%= config.bin %> plan --detailed-exitcode'},
    {
      description: 'Show restarts as field diffs against the config on main',
      command: '<%= config.bin %> plan --compare-ref origin/main',
    },
  ]

  static override flags = {
    ...planOutputFlags('plan'),
    out: Flags.file({
      char: 'o',
      summary: 'Also save the plan (JSON, no secrets) to this file, for apply or show.',
      env: 'RECALLCTL_PLAN_OUT',
    }),
    'detailed-exitcode': Flags.boolean({
      summary: 'Exit 2 when there are changes and no error.',
      env: 'RECALLCTL_PLAN_DETAILED_EXITCODE',
    }),
    target: Flags.string({
      summary: 'Only this bot id or profile:NAME (repeatable). Narrows what is read.',
      multiple: true,
      env: 'RECALLCTL_TARGET',
      delimiter: ',',
    }),
    exclude: Flags.string({
      summary: 'Leave out this bot id or profile:NAME (repeatable).',
      multiple: true,
      env: 'RECALLCTL_EXCLUDE',
      delimiter: ',',
    }),
    'ignore-missing': Flags.boolean({
      summary: 'A bot that does not exist (404) is a warning, not an error.',
      env: 'RECALLCTL_IGNORE_MISSING',
    }),
    'compare-ref': Flags.string({
      summary: 'Git ref whose config gives restarts their previous body (field diffs); `none` to turn off.',
      description:
        "Default: the pull request's base in CI (origin/$GITHUB_BASE_REF, $CI_MERGE_REQUEST_DIFF_BASE_SHA), else HEAD. A digest not found there is searched in the last 50 commits that changed the config files.",
      env: 'RECALLCTL_PLAN_COMPARE_REF',
    }),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Plan)
    this.noColorFlag = flags['no-color']
    const format = chosenFormat(flags)
    // A typo in --out fails before Recall is read, not after.
    if (flags.out) await checkOutputFile(path.resolve(flags.out), 'the plan', flags.out)
    const run = await loadProject(flags.dir, 'error')
    this.addSecrets(...run.envValues)
    // A bad --compare-ref fails before Recall is read.
    const previousBodies = await openPreviousBodies(run.root, chooseCompareRef(flags['compare-ref'], process.env))
    const options = {...this.planOptions(flags), sources: sourcesOf(run.loaded), ...(previousBodies ? {previousBodies} : {})}
    const config = run.resolved.config
    let plan
    if (!config || hasErrors(run.resolved.diagnostics))
      plan = planWithoutRefresh(run.resolved.diagnostics, options, config?.api.region ?? config?.api.base_url ?? 'unknown')
    else {
      const connection = await connect(config, run.root)
      this.addSecrets(connection.apiKey)
      try {
        plan = await withReadProgress(connection, checkScope(run.resolved, options).scope.botIds.length, () =>
          makePlan(run.resolved, connection, options),
        )
      } finally {
        await connection.close()
      }
    }
    plan = this.scrubbed(plan)
    if (flags.out) {
      await writeOutputFile(path.resolve(flags.out), this.scrubber.scrub(renderJson(plan)), 'the plan', flags.out)
      this.note(`Saved the plan to ${flags.out} (apply it with: recallctl apply ${flags.out}).`)
    }
    if (isGithubActions()) {
      const summaryFile = process.env['GITHUB_STEP_SUMMARY']
      // The summary is a courtesy: a summary file that cannot be written is said, and the plan still stands.
      if (summaryFile)
        await appendPlanToStepSummary(summaryFile, plan, flags.out, (text) => this.scrubber.scrub(text)).catch(
          (error: unknown) => {
            const message = describeAnyOsError(error)
            if (!message) throw error
            this.note(`Warning: the step summary was not written: ${message}`)
          },
        )
    }
    this.out(
      renderPlan(plan, format, {
        color: this.terminal.color && format === 'human',
        ...(process.stdout.columns ? {width: process.stdout.columns} : {}),
        ...(flags.out ? {planFile: flags.out} : {}),
      }),
    )
    if (hasErrors(plan.diagnostics)) process.exitCode = 1
    else process.exitCode = flags['detailed-exitcode'] && changeCount(plan.summary) > 0 ? 2 : 0
  }
}
