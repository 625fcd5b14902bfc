import path from 'node:path'
import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {SANDBOX_STATE_FILE} from '../app/connect.js'
import {UserError} from '../shared/user-error.js'
import {describeOsError} from '../shared/os-error.js'

export const DEFAULT_SANDBOX_PORT = 8790

export default class Sandbox extends BaseCommand {
  static override summary = 'Run the local Recall API emulator.'
  static override description = [
    `Starts the Recall sandbox: a local emulator of the Recall API endpoints recallctl uses (get, list and create bots; start, stop, pause and resume recording), with Recall's authentication, errors, bot lifecycle, idempotency and per-endpoint rate limits. It listens on loopback only and prints its URL, the API key clients must send, and the admin token for its /_sandbox/ control endpoints (seed bots, move their status, inject faults, read the request log; see src/sandbox/README.md). It runs until Ctrl-C (SIGINT) or SIGTERM.`,
    `Point a project at it with api.base_url: http://127.0.0.1:<port> and the printed key in the variable that api.api_key_env names. (api.base_url: sandbox needs no server: plan and apply run an embedded sandbox in-process, with its world in .recallctl/sandbox.json.)`,
    `Without --state the world lives in memory and is gone when the sandbox stops. With --state FILE it is read from FILE at start and saved to it on every change, atomically; --state .recallctl/sandbox.json serves the embedded sandbox's world, to inspect or change it by hand.`,
    `--reset deletes the state file (the --state FILE, or the project's .recallctl/sandbox.json) and exits without starting a server: the next plan or apply with base_url: sandbox starts again from the bots in recall.config.yaml.`,
  ].join('\n\n')

  static override examples = [
    {description: 'Run a sandbox on the default port', command: '<%= config.bin %> sandbox'},
    {
      description: 'Any free port; print the connection details as one JSON line',
      command: '<%= config.bin %> sandbox --port 0 --json',
    },
    {
      description: "Serve the embedded sandbox's world (what base_url: sandbox sees)",
      command: '<%= config.bin %> sandbox --state .recallctl/sandbox.json',
    },
    {
      description: "Forget the embedded sandbox's world; the next plan starts from the config's seeds",
      command: '<%= config.bin %> sandbox --reset',
    },
    {description: 'Fast rate-limit experiments: a 5-second window', command: '<%= config.bin %> sandbox --rate-window-ms 5000'},
  ]

  static override flags = {
    port: Flags.integer({
      summary: 'TCP port to listen on; 0 picks a free one.',
      default: DEFAULT_SANDBOX_PORT,
      min: 0,
      max: 65_535,
      env: 'RECALLCTL_SANDBOX_PORT',
    }),
    host: Flags.string({
      summary: 'Loopback address to listen on.',
      options: ['127.0.0.1', '::1', 'localhost'],
      default: '127.0.0.1',
      env: 'RECALLCTL_SANDBOX_HOST',
    }),
    state: Flags.file({
      summary: 'Keep the world in this file (read at start, saved on every change). In memory when absent.',
      env: 'RECALLCTL_SANDBOX_STATE',
    }),
    reset: Flags.boolean({
      summary: "Delete the state file (--state, or the project's .recallctl/sandbox.json) and exit.",
      env: 'RECALLCTL_SANDBOX_RESET',
    }),
    'api-key': Flags.string({
      summary: 'The API key clients must send (default: the fixed sandbox key, printed at start).',
      env: 'RECALLCTL_SANDBOX_API_KEY',
    }),
    'admin-token': Flags.string({
      summary: 'Token for the /_sandbox/ control endpoints (default: a random one, printed at start).',
      env: 'RECALLCTL_SANDBOX_ADMIN_TOKEN',
    }),
    'rate-limits': Flags.boolean({
      summary: "Enforce Recall's per-endpoint rate limits (--no-rate-limits turns them off).",
      default: true,
      allowNo: true,
      env: 'RECALLCTL_SANDBOX_RATE_LIMITS',
    }),
    'rate-window-ms': Flags.integer({
      summary: 'Length of the sliding rate-limit window in ms (Recall: 60000).',
      default: 60_000,
      min: 1,
      env: 'RECALLCTL_SANDBOX_RATE_WINDOW_MS',
    }),
    'shared-bucket': Flags.boolean({
      summary: 'All bot/{id} calls share one rate-limit bucket instead of one per endpoint.',
      env: 'RECALLCTL_SANDBOX_SHARED_BUCKET',
    }),
    'page-size': Flags.integer({summary: 'List Bots page size.', default: 50, min: 1, env: 'RECALLCTL_SANDBOX_PAGE_SIZE'}),
    json: Flags.boolean({
      summary: 'Print the URL, API key, admin token and state file as one JSON line on stdout.',
      env: 'RECALLCTL_SANDBOX_JSON',
    }),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Sandbox)
    this.noColorFlag = flags['no-color']
    const stateFile = flags.state === undefined ? undefined : path.resolve(flags.state)

    if (flags.reset) {
      const {deleteStateFile} = await import('../sandbox/persistence.js')
      const file = stateFile ?? path.resolve(flags.dir, SANDBOX_STATE_FILE)
      const deleted = await deleteStateFile(file)
      if (flags.json) this.out(JSON.stringify({reset: true, state_file: file, deleted}))
      else
        this.out(
          deleted
            ? `Deleted ${file}: the sandbox starts over from the configured bots next time.`
            : `Nothing to reset: ${file} does not exist.`,
        )
      return
    }

    const {runStandalone} = await import('../sandbox/standalone.js')
    const stop = new AbortController()
    const onSignal = () => stop.abort()
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
    try {
      await runStandalone(
        {
          port: flags.port,
          host: flags.host,
          stateFile,
          ...(flags['api-key'] === undefined ? {} : {apiKey: flags['api-key']}),
          ...(flags['admin-token'] === undefined ? {} : {adminToken: flags['admin-token']}),
          rateLimits: flags['rate-limits'] ? undefined : false,
          rateWindowMs: flags['rate-window-ms'],
          sharedBucket: flags['shared-bucket'],
          pageSize: flags['page-size'],
        },
        (info) => {
          if (flags.json) {
            this.out(JSON.stringify(info))
            return
          }
          this.out(
            [
              `Recall sandbox listening on ${info.url}`,
              `  API key:      ${info.api_key}   (header "Authorization: Token <key>")`,
              `  Admin token:  ${info.admin_token}   (for ${info.url}/_sandbox/, header "Authorization: Bearer <token>")`,
              `  State:        ${info.state_file ?? 'in memory (use --state FILE to keep it)'}`,
              `  Rate limits:  ${flags['rate-limits'] ? `Recall's, per ${flags['rate-window-ms']} ms window${flags['shared-bucket'] ? ', one shared bot/{id} bucket' : ''}` : 'off'}`,
              'Press Ctrl-C to stop.',
            ].join('\n'),
          )
        },
        stop.signal,
      )
    } catch (error) {
      throw toUserError(error, flags.port, stateFile)
    } finally {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
    if (!flags.json) this.note(`Sandbox stopped${stateFile === undefined ? '' : `; state saved to ${stateFile}`}.`)
  }
}

function toUserError(error: unknown, port: number, stateFile: string | undefined): unknown {
  const {code, syscall} = error as NodeJS.ErrnoException
  if (syscall === 'listen' && code === 'EADDRINUSE')
    return new UserError(`port ${port} is already in use; pass --port with another port, or --port 0 for any free one.`)
  if (syscall === 'listen' && code === 'EACCES')
    return new UserError(`not allowed to listen on port ${port}; pass --port with a port above 1023, or --port 0.`)
  const name = (error as Error).name
  if (name === 'SandboxStateFileError' || name === 'SeedError') return new UserError((error as Error).message)
  if (stateFile !== undefined && code !== undefined && syscall !== 'listen')
    return new UserError(
      describeOsError(error, 'cannot use the state file', stateFile) ??
        `cannot use the state file ${stateFile}: ${(error as Error).message}`,
    )
  return error
}
