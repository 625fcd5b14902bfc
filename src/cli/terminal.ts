/** Facts about where output goes, read once at the edge so the core never looks at `process`. */
export interface TerminalInfo {
  color: boolean
  interactive: boolean
  ci: boolean
}

const CI_VARIABLES = ['CI', 'GITHUB_ACTIONS', 'GITLAB_CI', 'BUILDKITE', 'CIRCLECI', 'JENKINS_URL', 'TF_BUILD']

export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  return CI_VARIABLES.some((name) => {
    const value = env[name]
    return value !== undefined && value !== '' && value !== 'false' && value !== '0'
  })
}

/** Colour only on a TTY, never with NO_COLOR (any value) or --no-color, never in CI logs. */
export function terminalInfo(options: {noColor?: boolean; stream?: NodeJS.WriteStream} = {}): TerminalInfo {
  const stream = options.stream ?? process.stdout
  const ci = isCi()
  const tty = Boolean(stream.isTTY)
  return {
    color: tty && !ci && !options.noColor && process.env['NO_COLOR'] === undefined && process.env['TERM'] !== 'dumb',
    interactive: tty && Boolean(process.stdin.isTTY) && !ci,
    ci,
  }
}
