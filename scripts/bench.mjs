// `npm run bench`: measures recallctl's speed, scale and API cost against the targets of issue 8,
// prints a table (figure | target | measured | pass) and writes it to BENCHMARKS.md with the machine.
//
//   npm run bench                     full run (~25 minutes without the latency rows: the rate-limit runs wait out Recall's real 60 s windows)
//   npm run bench -- --quick          the same figures with the rate window scaled to 6 s (labelled as scaled)
//   node scripts/bench.mjs --only pipeline,cold   some figures only (needs a build); --no-write keeps BENCHMARKS.md
//   node scripts/bench.mjs --only apply-latency,plan-latency,shared-latency   issue 12's rows (~40 minutes with
//                                     the build before issue 12 measured too; --old-ref none skips it)
//
// It measures a snapshot of the build taken at start (see snapshotBuild), so a rebuild of dist/ by a
// test run meanwhile does not disturb it.
//
// Figures: pipeline, cold, sandbox, calls, match, naive, apply, shared, background,
// apply-latency, plan-latency, shared-latency (issue 12: against a sandbox with a latency fault).
//
// --only with a figure also writes BENCHMARKS.md: only the rows run are in it (--no-write to keep it).
import {writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {parseArgs} from 'node:util'
import {callsPerBot, matchPlan, naiveScript} from './bench/api-calls.mjs'
import {coldStart, modulesLoaded} from './bench/cold-start.mjs'
import {buildRoot, mb, ROOT, run, seconds, snapshotBuild, startSandboxProcess, tempDir, thousands} from './bench/lib.mjs'
import {pipeline} from './bench/pipeline.mjs'
import {applySavedPlan, boundMs, RECALL_LIMITS} from './bench/rate-limits.mjs'
import {applyWithLatency, buildOfRef, planWithLatency, ratioText} from './bench/latency.mjs'

/** The figures that need a sandbox, in the order they run. */
const SANDBOX_FIGURES = [
  'calls',
  'match',
  'naive',
  'apply',
  'shared',
  'background',
  'apply-latency',
  'plan-latency',
  'shared-latency',
]
const ALL = ['pipeline', 'cold', 'sandbox', ...SANDBOX_FIGURES]
const {values: flags} = parseArgs({
  options: {
    quick: {type: 'boolean', default: false},
    only: {type: 'string'},
    'no-write': {type: 'boolean', default: false},
    out: {type: 'string', default: path.join(ROOT, 'BENCHMARKS.md')},
    runs: {type: 'string', default: '7'},
    /** The commit whose build gives "before issue 12" figures next to this build's; `none` to skip. */
    'old-ref': {type: 'string', default: '74febdb^'},
    /** Measure this ref's build as "this build" in the latency rows (default: the working tree's build). */
    'new-ref': {type: 'string'},
    /** Latencies at which the shared-bucket row also measures the build before issue 12 (its runs are 3 minutes each). */
    'old-shared-latencies': {type: 'string', default: '400'},
    latencies: {type: 'string', default: '0,400,800'},
    'latency-bots': {type: 'string', default: '600'},
  },
})
const only = flags.only ? flags.only.split(',').map((s) => s.trim()) : ALL
for (const name of only) if (!ALL.includes(name)) throw new Error(`--only: unknown figure "${name}"; known: ${ALL.join(', ')}`)
const wanted = (name) => only.includes(name)

/** Recall's window, or a tenth of it with --quick (then every rate-limit figure says it is scaled). */
const WINDOW_MS = flags.quick ? 6_000 : 60_000
const scaled = WINDOW_MS !== 60_000
const windowNote = scaled ? ` [scaled: ${WINDOW_MS / 1000} s window, --quick]` : ''
const APPLY_BOTS = 900
const MATCH_BOTS = 5000
const PAGE_SIZE = 50

const rows = []
const details = []
const rateDetails = []
/** One line on a rate-limit run, for BENCHMARKS.md. */
const describeRun = (name, r, bound) =>
  `${name}: apply ${seconds(r.summary.elapsed_ms)}${bound === null ? '' : ` (bound ${seconds(bound)}, ${pct(r.summary.elapsed_ms, bound)})`}, process ${seconds(r.ms)}; ` +
  `${r.tally.retrieve_bot} reads, ${r.tally.start_recording} writes, ${r.tally.status429} answered 429, ${r.retries} retries; ` +
  `${thousands(r.summary.limiter_wait_ms / 1000)} s queued in recallctl's limiters (summed over calls), ${seconds(r.summary.retry_after_wait_ms)} waiting out 429s; ` +
  `${r.summary.started} started, ${r.summary.failed} failed, ${r.converged}/${APPLY_BOTS} recording the desired digest.`
const log = (text) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${text}\n`)
const row = (figure, target, measured, pass) => {
  rows.push({figure, target, measured, pass})
  log(`${pass === null ? 'INFO' : pass ? 'PASS' : 'FAIL'}  ${figure}: ${measured}`)
}
/** With --quick the rate-limit runs are scaled: shown, not judged (latency and jitter do not scale with the window). */
const judged = (pass) => (scaled ? null : pass)
const pct = (value, bound) => `${value >= bound ? '+' : ''}${(((value - bound) / bound) * 100).toFixed(1)}%`

const snapshot = await snapshotBuild()
const benchStarted = performance.now()
const loadAtStart = os.loadavg()
log(`recallctl benchmarks (${flags.quick ? 'quick' : 'full'}): ${only.join(', ')}; the build under test is copied to ${snapshot}`)

// 1. The offline pipeline at scale.
if (wanted('pipeline')) {
  log('validate + resolve + diff for 10,000 bots...')
  const p = await pipeline({runs: 3})
  const figure = `validate + resolve + diff, no network: ${thousands(p.project.bots)} bots, ${p.project.profiles} profiles, extends chains 5 deep`
  const stages = Object.entries(p.stages)
    .map(([name, ms]) => `${name} ${Math.round(ms)}`)
    .join(', ')
  row(
    `${figure}: wall`,
    '< 1.0 s',
    `${(p.totalMs / 1000).toFixed(2)} s (median of ${p.runs} cold processes; ms: ${stages})`,
    p.totalMs < 1000,
  )
  row(`${figure}: peak RSS`, '< 300 MB', mb(p.maxRssBytes), p.maxRssBytes < 300 * 1024 * 1024)
  details.push(
    `### validate + resolve + diff at scale\n\n` +
      `${p.project.files} files (${p.project.assignments} assignments of 10 bots, every other one adding metadata); synthetic snapshots stand in for refresh ` +
      `(plan: ${Object.entries(p.summary)
        .filter(([, n]) => n > 0)
        .map(([a, n]) => `${n} ${a}`)
        .join(', ')}). Each run is a fresh process timing ` +
      `load → validate → resolve → claimBots → buildPlan (module import excluded); peak RSS is the process's maxRSS. ` +
      `Median wall ${Math.round(p.totalMs)} ms, CPU ${Math.round(p.cpuMs)} ms (GC threads included).`,
  )
}

// 2. Cold start.
if (wanted('cold')) {
  const runs = Number(flags.runs)
  log(`cold start, ${runs} interleaved rounds...`)
  const c = await coldStart({runs})
  const help = await modulesLoaded(['--help'])
  const validate = await modulesLoaded(['validate'])
  row(
    '`recallctl --help` cold start, ratio to `node -e 0`',
    '≤ 3.0×',
    `${c.help.ratio.toFixed(2)}× (${Math.round(c.help.ms)} ms vs ${Math.round(c.nodeMs)} ms, median of ${runs})`,
    c.help.ratio <= 3.0,
  )
  row(
    '`recallctl validate` (bundled example) cold, ratio to `node -e 0`',
    '≤ 4.5×',
    `${c.validate.ratio.toFixed(2)}× (${Math.round(c.validate.ms)} ms, median of ${runs})`,
    c.validate.ratio <= 4.5,
  )
  const heavyForHelp = help.packages.filter(
    (p) => /^(zod|yaml|undici|p-queue|diff|fastest-levenshtein)\b/.test(p) || p === 'tinyglobby',
  )
  // dist/cli/help.js is the help class itself (it adds the ENVIRONMENT section; oclif only): not command code.
  const helpDist = help.dist.filter((f) => f !== 'cli/help.js')
  row(
    '`--help` loads no command code and no heavy dependency (oclif manifest)',
    'no zod, yaml, tinyglobby, undici, dist/ but the help class',
    heavyForHelp.length === 0 && helpDist.length === 0
      ? `none (${help.count} modules)`
      : `loads ${[...heavyForHelp, ...helpDist].join(', ')}`,
    heavyForHelp.length === 0 && helpDist.length === 0,
  )
  const allowedSandbox = new Set()
  const allowedRender = new Set([
    'render/diagnostics-text.js',
    'render/terminal-text.js',
    'render/diagnostics-json.js',
    'render/ordered-keys.js',
  ])
  const heavyForValidate = [
    ...validate.packages.filter((p) => /^(undici|p-queue|diff)\b/.test(p)),
    ...validate.dist.filter(
      (f) =>
        (f.startsWith('sandbox/') && !allowedSandbox.has(f)) ||
        (f.startsWith('render/') && !allowedRender.has(f)) ||
        f === 'recall/client/client.js',
    ),
  ]
  row(
    '`validate` loads no HTTP client, sandbox server or plan renderer',
    'no undici, p-queue, sandbox, render/*',
    heavyForValidate.length === 0 ? `none (${validate.count} modules)` : `loads ${heavyForValidate.join(', ')}`,
    heavyForValidate.length === 0,
  )
  details.push(
    `### Cold start\n\n\`node -e 0\`: ${Math.round(c.nodeMs)} ms (median of ${runs}, interleaved with the commands). ` +
      `\`--help\` loads ${help.count} modules from ${help.packages.length} packages (${help.packages.join(', ')}) and no file of dist/ (commands come from oclif.manifest.json). ` +
      `\`validate\` loads ${validate.count} modules: ${validate.packages.join(', ')}; from dist/: ${validate.dist.length} files. ` +
      `tinyglobby (cjs) in \`--help\` is @oclif/core's own plugin loader, not recallctl's import. ` +
      `render/diagnostics-text.js and diagnostics-json.js print validate's own diagnostics.`,
  )
}

// 3. The sandbox's own throughput (scripts/bench-sandbox.mjs).
if (wanted('sandbox')) {
  log('sandbox throughput (scripts/bench-sandbox.mjs)...')
  const result = await run(process.execPath, [
    path.join(buildRoot(), 'scripts/bench-sandbox.mjs'),
    '--seconds',
    flags.quick ? '2' : '4',
  ])
  const lowest = /Lowest: ([\d,]+) req\/s/.exec(result.stdout)
  const rps = lowest ? Number(lowest[1].replaceAll(',', '')) : NaN
  row(
    'Recall sandbox throughput, lowest workload (scripts/bench-sandbox.mjs)',
    '≥ 2,000 req/s',
    lowest ? `${thousands(rps)} req/s` : `failed: ${result.stderr.slice(0, 200)}`,
    rps >= 2000,
  )
  details.push(`### Sandbox throughput\n\n\`\`\`\n${result.stdout.trim()}\n\`\`\``)
}

const needsSandbox = SANDBOX_FIGURES.some(wanted)
const sandbox = needsSandbox ? await startSandboxProcess({rateWindowMs: WINDOW_MS, pageSize: PAGE_SIZE}) : undefined
try {
  // 4. API calls per reconciled bot.
  if (wanted('calls')) {
    log('API calls per bot...')
    const k = await callsPerBot(sandbox, {bots: 300})
    const fmt = (c) => `${c.reads} read + ${c.writes} write${c.lists ? ` + ${c.lists} list` : ''}`
    row(
      'API calls per bot: plan',
      '1 read',
      `${fmt(k.plan)} (${k.bots} bots)`,
      k.plan.reads === 1 && k.plan.writes === 0 && k.plan.lists === 0,
    )
    row(
      'API calls per bot: apply without a plan file',
      '1 read + 1 write',
      fmt(k.applyDirect),
      k.applyDirect.reads === 1 && k.applyDirect.writes === 1 && k.applyDirect.lists === 0,
    )
    row(
      'API calls per bot: apply of a saved plan',
      '1 read + 1 write',
      fmt(k.applySaved),
      k.applySaved.reads === 1 && k.applySaved.writes === 1 && k.applySaved.lists === 0,
    )
    row(
      'Re-plan after apply (converged)',
      '0 changes, 1 read per bot',
      `${k.replanChanges} changes, ${fmt(k.replan)}`,
      k.replanChanges === 0 && k.replan.reads === 1 && k.replan.writes === 0,
    )
    details.push(
      `### API calls\n\nCounted in the sandbox's request log (the sandbox's limits off and recallctl's window at 100 ms: counts do not depend on timing). ` +
        `${k.bots} bots in the call: \`plan --out\` then \`apply plan.json\`; another ${k.bots}: \`apply --auto-approve\` without a plan file, then \`plan\` again. ${k.started} recordings started.`,
    )
  }

  // 5. Plan over a match selector.
  if (wanted('match')) {
    log(`plan for ${MATCH_BOTS} match-assigned bots...`)
    const m = await matchPlan(sandbox, {bots: MATCH_BOTS, others: 500, pageSize: PAGE_SIZE})
    row(
      `plan for ${thousands(MATCH_BOTS)} \`match\`-assigned bots`,
      `List Bots calls = pages needed (${m.pagesNeeded} at ${PAGE_SIZE}/page), no per-bot reads`,
      `${m.listCalls} List Bots calls, ${m.reads} bot reads, ${thousands(m.planned)} bots planned`,
      m.listCalls === m.pagesNeeded && m.reads === 0 && m.planned === MATCH_BOTS,
    )
  }

  // 6. The naive script, then recallctl on the same number of bots.
  let naive
  if (wanted('naive')) {
    log(`naive script: ${APPLY_BOTS} start_recording calls with Promise.all and a partial body${windowNote}...`)
    naive = await naiveScript(sandbox, {
      bots: APPLY_BOTS,
      windowMs: WINDOW_MS,
      partialBody: {transcript: {provider: {recallai_streaming: {language_code: 'en'}}}},
    })
  }

  let perEndpoint
  if (wanted('apply')) {
    // Verification reads every bot before the first write (issue 11): two phases, reads then writes.
    const bound = 2 * boundMs(APPLY_BOTS, RECALL_LIMITS.start_recording, WINDOW_MS)
    const r = await applySavedPlan(sandbox, {bots: APPLY_BOTS, windowMs: WINDOW_MS, log})
    perEndpoint = r
    const ms = r.summary.elapsed_ms
    row(
      `apply of a saved plan, ${APPLY_BOTS} bots (every bot read to verify the file, then written), Recall's per-endpoint limits (300/min each)${windowNote}`,
      `within 3% of ${seconds(bound)}, zero 429s`,
      `${seconds(ms)} (${pct(ms, bound)}; process ${seconds(r.ms)}), ${r.tally.status429} 429s, ${r.tally.retrieve_bot} reads + ${r.tally.start_recording} writes, ${r.converged}/${APPLY_BOTS} recording the desired body`,
      judged(Math.abs(ms - bound) <= bound * 0.03 && r.tally.status429 === 0 && r.converged === APPLY_BOTS),
    )
    rateDetails.push(describeRun('Per-endpoint limits', r, bound))
  }

  if (naive) {
    const recallctl = perEndpoint
      ? `recallctl: ${seconds(perEndpoint.summary.elapsed_ms)}, ${perEndpoint.tally.status429} 429s, ${perEndpoint.converged}/${APPLY_BOTS} as desired`
      : 'recallctl: not run (--only)'
    const ratio = perEndpoint
      ? `; time ratio naive/recallctl ${(naive.ms / perEndpoint.summary.elapsed_ms).toFixed(3)}, bots recording the desired body ${naive.asDesired} vs ${perEndpoint.converged}`
      : ''
    row(
      `naive script side by side: start_recording for ${APPLY_BOTS} bots with Promise.all and a partial body (transcript only)${windowNote}`,
      'for comparison',
      `${seconds(naive.ms)}, ${naive.status429} 429s; ${naive.started} started, ${naive.onDefaults} of them with the endpoint's defaults in ${naive.fieldsOnDefaults.length} fields the profile sets; ${naive.notStarted} not started; ${recallctl}${ratio}`,
      null,
    )
    details.push(
      `### The naive script\n\n\`Promise.all\` over ${naive.bots} \`POST /bot/{id}/start_recording/\` with \`{"transcript": {...}}\` only, no limiter, no retry: ` +
        `${naive.status429} answered 429 and were never started; ${naive.started} started, and ${naive.onDefaults} of them record with the endpoint's default ` +
        `for fields the profile sets (${naive.fieldsOnDefaults.join(', ')}): start_recording does not fall back to the bot's own config. ` +
        `${naive.asDesired} bots record the desired body.`,
    )
  }

  if (wanted('shared')) {
    const limits = {...RECALL_LIMITS, retrieve_bot: 150, start_recording: 150}
    const bound = 2 * boundMs(APPLY_BOTS, 150, WINDOW_MS)
    const r = await applySavedPlan(sandbox, {
      bots: APPLY_BOTS,
      windowMs: WINDOW_MS,
      sharedBucket: true,
      clientLimits: limits,
      log,
    })
    const ms = r.summary.elapsed_ms
    row(
      `same, sandbox with one shared bot/{id} bucket (300/min), rate_limits 150 + 150${windowNote}`,
      `within 3% of ${seconds(bound)}, zero 429s`,
      `${seconds(ms)} (${pct(ms, bound)}; process ${seconds(r.ms)}), ${r.tally.status429} 429s, ${r.converged}/${APPLY_BOTS} recording the desired body`,
      judged(Math.abs(ms - bound) <= bound * 0.03 && r.tally.status429 === 0 && r.converged === APPLY_BOTS),
    )
    rateDetails.push(describeRun('Shared bucket', r, bound))
  }

  if (wanted('background')) {
    const r = await applySavedPlan(sandbox, {
      bots: APPLY_BOTS,
      windowMs: WINDOW_MS,
      background: {perWindow: 100, leadMs: WINDOW_MS / 12},
      log,
    })
    const {checked, early, unknown, minSlackMs} = r.retryAfter
    const pass = r.converged === APPLY_BOTS && r.summary.failed === 0 && early === 0 && r.retries <= r.tally.status429
    row(
      `same (per-endpoint limits), another client using 100/min of each endpoint${windowNote}`,
      'converges; every 429 waited out per Retry-After; retries ≤ 429s received',
      `${r.converged}/${APPLY_BOTS} converged in ${seconds(r.summary.elapsed_ms)}; ${r.tally.status429} 429s, ${r.retries} retries; ` +
        `${checked - early}/${checked} retries after Retry-After${unknown ? ` (${unknown} not checkable)` : ''}${minSlackMs === null ? '' : `, earliest ${(minSlackMs / 1000).toFixed(1)} s after it`}`,
      judged(pass),
    )
    rateDetails.push(describeRun('With another client', r, null))
    details.push(
      `### Sharing the workspace\n\nThe other client sends a GET and a start_recording to its own 100 bots every ${(WINDOW_MS / 100 / 1000).toFixed(2)} s each, from ` +
        `${seconds(WINDOW_MS / 12)} before the apply until it ends, and does not retry; its answers: ${JSON.stringify(r.background.statuses)}. ` +
        `recallctl sent ${r.tally.retrieve_bot} reads and ${r.tally.start_recording} writes for ${APPLY_BOTS} bots. Whether each retry came after the ` +
        `Retry-After is checked from the sandbox's request log (Retry-After rebuilt from the admitted requests in the window).`,
    )
  }
  if (rateDetails.length > 0)
    details.push(
      `### Applying at the rate limits${windowNote}\n\n` +
        `Each run: ${APPLY_BOTS} bots in the call, planned with the sandbox's limits off, then \`apply plan.json --auto-approve --json\` (NODE_ENV=production) ` +
        `against a standalone sandbox (\`recallctl sandbox\`) at the limits, from empty windows; counts from the sandbox's request log, times from the start of ` +
        `the plan file's verification to apply_complete, as apply's summary says.\n\n` +
        rateDetails.map((line) => `- ${line}`).join('\n') +
        `\n\nThe bound: a saved plan's bots are all read before the first write (the verification), so the reads' last window opens at ` +
        `(bots / limit − 1) × window, and the writes' last window that long after the first write. Bots the verification read less than 10 s ` +
        `before the writes begin are written first without a second read; the others are read again as the read window frees, in step with ` +
        `the writes. Past the bound, recallctl keeps 1 % of the window as a margin (a request counts when it leaves, Recall counts it when it arrives).`,
    )

  // 7. Issue 12: latency. Each row: this build, then the build before issue 12 on the same sandbox.
  const latencyFigures = ['apply-latency', 'plan-latency', 'shared-latency'].filter(wanted)
  if (latencyFigures.length > 0) {
    const bots = Number(flags['latency-bots'])
    const latencies = flags.latencies.split(',').map(Number)
    let oldBuild
    if (flags['old-ref'] !== 'none') {
      log(`building ${flags['old-ref']} (before issue 12) for today's figures...`)
      oldBuild = await buildOfRef(flags['old-ref'], {root: ROOT, tempDir, run})
    }
    let newBuild
    if (flags['new-ref']) {
      log(`building ${flags['new-ref']} as this build...`)
      newBuild = await buildOfRef(flags['new-ref'], {root: ROOT, tempDir, run})
    }
    const latencyLines = []
    const judge = (r) =>
      (r.kind === 'plan' ? r.readsMs : r.ms) <= 1.05 * r.bound &&
      r.tally.status429 === 0 &&
      (r.kind === 'plan' || r.oneRecording === r.bots)
    const describe = (r) =>
      r.kind === 'apply'
        ? `${ratioText(r.ms, r.bound)}${r.issueBound !== r.bound ? ` (${(r.ms / r.issueBound).toFixed(3)}× of the bound without verification, ${seconds(r.issueBound)})` : ''}, process ${seconds(r.processMs)}; ${r.tally.retrieve_bot} reads + ${r.tally.start_recording} writes, ${r.tally.status429} 429s, ${r.oneRecording}/${r.bots} bots with exactly one recording`
        : `reads ${ratioText(r.readsMs, r.bound)}, process ${seconds(r.ms)}; ${r.tally.retrieve_bot} reads, ${r.tally.status429} 429s`
    const measure = async (figure, label, fn, oldAt = latencies) => {
      for (const latencyMs of latencies) {
        log(`${label}, latency ${latencyMs} ms: this build...`)
        const now = await fn({latencyMs, build: newBuild})
        let before
        if (oldBuild && oldAt.includes(latencyMs)) {
          log(`${label}, latency ${latencyMs} ms: before issue 12 (${flags['old-ref']})...`)
          before = await fn({latencyMs, build: oldBuild, before: true})
        }
        row(
          `${label}, ${bots} bots, latency ${latencyMs} ms`,
          `≤ 1.05 × ${seconds(now.bound)}, zero 429s${now.kind === 'apply' ? ', one recording per bot' : ''}`,
          `${describe(now)}${before ? `; before issue 12: ${describe(before)}` : ''}`,
          judge(now),
        )
        latencyLines.push(`${label}, L = ${latencyMs} ms: now ${describe(now)}${before ? `; before: ${describe(before)}` : ''}.`)
      }
    }
    if (wanted('apply-latency'))
      await measure('apply-latency', 'apply of a saved plan, per-endpoint limits 300/min', (o) =>
        applyWithLatency(sandbox, {bots, windowMs: WINDOW_MS, ...o}),
      )
    if (wanted('plan-latency'))
      await measure('plan-latency', 'plan (reads by id), per-endpoint limits 300/min', (o) =>
        planWithLatency(sandbox, {bots, windowMs: WINDOW_MS, ...o}),
      )
    if (wanted('shared-latency'))
      await measure(
        'shared-latency',
        'apply of a saved plan, sandbox with one shared bot/{id} bucket (300/min), rate_limits 150 + 150',
        (o) => applyWithLatency(sandbox, {bots, windowMs: WINDOW_MS, shared: true, ...o}),
        flags['old-shared-latencies'].split(',').map(Number),
      )
    details.push(
      `### Latency (issue 12)\n\n` +
        `A sandbox (\`recallctl sandbox\`, its own process) at Recall's limits, every API answer delayed by the latency fault (\`{"kind": "latency", "latency_ms": L}\`). ` +
        `Bounds: apply of a saved plan \`(N/R − 1) × 60 s + 2L\` (a read then a write per bot), plan's reads \`(N/R − 1) × 60 s + L\`. ` +
        `This build verifies a saved plan (issue 11): every bot is read again before the first write, so reads and writes are two phases and its ` +
        `bound is \`2 × (N/R − 1) × 60 s + 2L\`; its apply is timed from the start of that verification to apply_complete, as its summary says. ` +
        `The build before issue 12 did not verify and is timed from apply_start. The process time is shown too (it adds the start). ` +
        `Plan is timed by its reads at the sandbox, from the first ` +
        `arrival to the last answer (the process, shown too, adds its start and the rendering). "This build" is ${flags['new-ref'] ? `the build of ${flags['new-ref']}` : "the working tree's build"}. ` +
        `"Before issue 12" is the build of ${flags['old-ref']} (apply.concurrency 8 fixed), run in the same session against the same sandbox.\n\n` +
        latencyLines.map((line) => `- ${line}`).join('\n'),
    )
  }
} finally {
  await sandbox?.stop()
}

const elapsed = performance.now() - benchStarted
const table = [
  '| figure | target | measured | pass |',
  '|---|---|---|---|',
  ...rows.map(
    (r) =>
      `| ${r.figure} | ${r.target} | ${r.measured} | ${r.pass === null ? (r.target === 'for comparison' ? '—' : 'not judged (scaled)') : r.pass ? 'pass' : '**FAIL**'} |`,
  ),
].join('\n')
const cpus = os.cpus()
const machine = [
  `- machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${(os.totalmem() / 1024 ** 3).toFixed(1)} GB memory, ${os.platform()} ${os.release()}`,
  `- Node ${process.version}`,
  `- date: ${new Date().toISOString()}`,
  `- load average at start ${loadAtStart.map((n) => n.toFixed(2)).join(' ')}, at end ${os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' ')}`,
  `- run: ${flags.quick ? '`npm run bench -- --quick` (rate windows scaled to 6 s)' : "`npm run bench` (Recall's 60 s windows)"}${flags.only ? `, --only ${flags.only}` : ''}; took ${seconds(elapsed)}`,
].join('\n')

process.stdout.write(`\n${table}\n\n${machine}\n`)
const failed = rows.filter((r) => r.pass === false)
if (!flags['no-write']) {
  const doc = [
    '# recallctl benchmarks',
    '',
    'Generated by `npm run bench` (scripts/bench.mjs); targets from issue 8. Do not edit by hand: run it again.',
    '',
    machine,
    '',
    table,
    '',
    ...details.flatMap((d) => [d, '']),
  ].join('\n')
  await writeFile(flags.out, doc)
  log(`wrote ${flags.out}`)
}
log(`${rows.filter((r) => r.pass === true).length} passed, ${failed.length} failed, took ${seconds(elapsed)}`)
process.exitCode = failed.length > 0 ? 1 : 0
