/** The API key is read from the environment only. Errors name the variable, never its value. */
export class MissingApiKeyError extends Error {
  override readonly name = 'MissingApiKeyError'
  constructor(
    readonly envName: string,
    message: string,
  ) {
    super(message)
  }
}

/**
 * The Recall API key held by environment variable `envName`, surrounding whitespace removed (keys pasted
 * from a file often end in a newline). Throws a MissingApiKeyError naming the variable when it is unset,
 * empty, or holds characters an HTTP header cannot carry.
 */
export function readApiKey(envName: string, env: Readonly<Record<string, string | undefined>>): string {
  const raw = env[envName]
  if (raw === undefined) {
    throw new MissingApiKeyError(
      envName,
      `The environment variable ${envName} is not set. recallctl reads the Recall API key from it ` +
        `(api.api_key_env in recall.config.yaml); set it to your workspace's key, or use api.base_url: sandbox to try recallctl without one.`,
    )
  }
  const key = raw.trim()
  if (key === '') {
    throw new MissingApiKeyError(
      envName,
      `The environment variable ${envName} is empty; set it to your Recall workspace's API key.`,
    )
  }
  if (/^token\s/i.test(key)) {
    throw new MissingApiKeyError(
      envName,
      `The environment variable ${envName} starts with "Token "; set it to the key alone, recallctl adds the prefix itself.`,
    )
  }
  // Visible ASCII only: a control character or a line break would break (or smuggle) the header.
  if (!/^[\x21-\x7e]+$/.test(key)) {
    throw new MissingApiKeyError(
      envName,
      `The environment variable ${envName} holds spaces, line breaks or non-ASCII characters, so it is not a Recall API key; check how it was set.`,
    )
  }
  return key
}
