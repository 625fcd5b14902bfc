import {cliEnv, parseJson, REPO_ROOT, runCliIn, type CliResult} from '../../support/e2e.js'

/** The plan suite's names for the one harness and builder (test/support/). */
export {parseJson, REPO_ROOT, type CliResult}

/**
 * Runs the built CLI as a user would: production mode, no colour, and only the environment given (never
 * the test runner's, so no stray RECALL_API_KEY).
 */
export const runCli = (args: readonly string[], options: {cwd: string; env?: Record<string, string>}): Promise<CliResult> =>
  runCliIn(args, {cwd: options.cwd, env: cliEnv(options.cwd, options.env)})
