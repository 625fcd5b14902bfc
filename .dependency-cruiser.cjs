// The layers of recallctl, enforced over the whole import graph (`npm run lint`). ARCHITECTURE.md
// explains them; in short, data flows
//   load → validate → resolve → refresh → diff → (plan) → render | execute
// and each stage imports only what comes before it. app/ composes the stages for plan, apply and
// watch; commands/ parse flags and pick views from cli/. Core stages are pure: no filesystem, network,
// child process or HTTP client (the clock, timers and `process` are globals rather than imports: ESLint
// forbids them in the same files, eslint.config.js).

const picomatch = require('picomatch')
const {CORE_FILES} = require('./core-files.cjs')

/** Stages that must stay pure, and the pure files of the stages that sit at an edge (core-files.cjs). */
const CORE = CORE_FILES.map((glob) => picomatch.makeRe(glob).source).join('|')
const IO_MODULES =
  '^(node:)?(fs|fs/promises|net|http|https|http2|tls|dgram|dns|child_process|worker_threads|cluster|process|timers|timers/promises|perf_hooks|os)$|^(undici|p-queue|prom-client|cli-progress)$|^src/recall/client/(?!endpoints[.]ts$)|^src/sandbox/|^src/load/read-[^/]+[.]ts$'

/** A stage and what may not be imported from it (what comes later, or sits above). */
const stage = (name, later) => ({
  name: `no-upward-from-${name}`,
  comment: `${name}/ comes before ${later.join(', ')} in the pipeline: it may not import them`,
  severity: 'error',
  from: {path: `^src/${name}/`},
  to: {path: `^src/(${later.join('|')})/`},
})

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-is-pure',
      comment: 'core stages are pure functions over plain data: no filesystem, network, child process, HTTP client or sandbox',
      severity: 'error',
      from: {path: CORE},
      to: {path: IO_MODULES},
    },
    stage('shared', [
      'config',
      'recall',
      'load',
      'validate',
      'resolve',
      'refresh',
      'diff',
      'plan',
      'render',
      'execute',
      'app',
      'watch',
      'cli',
      'commands',
      'sandbox',
      'onboarding',
    ]),
    stage('config', [
      'load',
      'validate',
      'resolve',
      'refresh',
      'diff',
      'plan',
      'render',
      'execute',
      'app',
      'watch',
      'cli',
      'commands',
      'sandbox',
      'onboarding',
    ]),
    stage('load', [
      'validate',
      'resolve',
      'refresh',
      'diff',
      'render',
      'execute',
      'app',
      'watch',
      'cli',
      'commands',
      'onboarding',
    ]),
    stage('validate', ['resolve', 'refresh', 'diff', 'render', 'execute', 'app', 'watch', 'cli', 'commands', 'onboarding']),
    stage('resolve', ['refresh', 'diff', 'render', 'execute', 'app', 'watch', 'cli', 'commands', 'onboarding']),
    stage('refresh', ['diff', 'render', 'execute', 'app', 'watch', 'cli', 'commands', 'onboarding']),
    stage('diff', ['render', 'execute', 'app', 'watch', 'cli', 'commands', 'onboarding']),
    stage('plan', ['render', 'execute', 'app', 'watch', 'cli', 'commands', 'onboarding']),
    stage('render', ['load', 'refresh', 'execute', 'app', 'watch', 'cli', 'commands', 'onboarding']),
    stage('execute', ['render', 'app', 'watch', 'cli', 'commands', 'onboarding']),
    stage('recall', [
      'config',
      'load',
      'validate',
      'resolve',
      'refresh',
      'diff',
      'plan',
      'render',
      'execute',
      'app',
      'watch',
      'cli',
      'commands',
      'onboarding',
    ]),
    stage('watch', ['app', 'cli', 'commands']),
    stage('app', ['cli', 'commands']),
    stage('onboarding', ['app', 'cli', 'commands']),
    stage('cli', ['commands']),
    {
      name: 'sandbox-only-where-started',
      comment:
        'the sandbox is imported only by the places that start it (the sandbox command and the connection that opens `base_url: sandbox`)',
      severity: 'error',
      from: {path: '^src/', pathNot: '^src/(sandbox/|commands/sandbox[.]ts$|app/connect[.]ts$)'},
      to: {path: '^src/sandbox/'},
    },
    {
      name: 'sandbox-stands-alone',
      comment: 'the sandbox emulates Recall with the product schemas only; it does not use the product pipeline',
      severity: 'error',
      from: {path: '^src/sandbox/'},
      to: {path: '^src/(load|validate|resolve|refresh|diff|plan|render|execute|app|watch|cli|commands|onboarding)/'},
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: {circular: true},
    },
    {
      name: 'no-orphans',
      comment: 'a module nothing imports is dead code (commands are entry points)',
      severity: 'error',
      from: {orphan: true, path: '^src/', pathNot: '^src/commands/|[.]d[.]ts$|README'},
      to: {},
    },
  ],
  options: {
    doNotFollow: {path: 'node_modules'},
    exclude: {path: '^(dist|node_modules)/'},
    tsConfig: {fileName: 'tsconfig.json'},
    tsPreCompilationDeps: true,
    reporterOptions: {text: {highlightFocused: true}},
  },
}
