import {z} from 'zod'
import {sandboxBotSeedSchema} from './sandbox-seed-schema.js'

/** Recall's regions (NOTES.md). A key works only in its own region. */
export const REGIONS = ['us-west-2', 'us-east-1', 'eu-central-1', 'ap-northeast-1'] as const

/** Recall's documented per-workspace limits, requests per minute. */
export const DEFAULT_RATE_LIMITS = {start_recording: 300, retrieve_bot: 300, list_bots: 60} as const

const positiveInt = z.number().int().positive()

/** `recall.config.yaml`, as written. */
export const projectConfigSchema = z
  .object({
    version: z.literal(1).describe('Format version of this file. Always 1.'),
    api: z
      .object({
        region: z.enum(REGIONS).optional().describe('Recall region: the API is https://<region>.recall.ai.'),
        base_url: z
          .string()
          .optional()
          .describe(
            '"sandbox" (the embedded emulator), a loopback URL, or any URL with allow_custom_base_url: true. Not with region.',
          ),
        api_key_env: z
          .string()
          .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
          .default('RECALL_API_KEY')
          .describe('Name of the environment variable holding the API key. The key is never read from a file.'),
        allow_custom_base_url: z
          .boolean()
          .default(false)
          .describe('Allow a base_url that is neither a Recall region nor loopback.'),
        webhook_secret_env: z
          .string()
          .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
          .optional()
          .describe('Name of the environment variable holding the workspace webhook secret (whsec_...), for watch --listen.'),
      })
      .strict()
      .describe('Where the Recall API is.'),
    recordings: z
      .array(z.string().min(1))
      .min(1)
      .default(['recordings/**/*.yaml'])
      .describe('Globs of the recordings files, relative to this file.'),
    rate_limits: z
      .object({
        start_recording: positiveInt.default(DEFAULT_RATE_LIMITS.start_recording),
        retrieve_bot: positiveInt.default(DEFAULT_RATE_LIMITS.retrieve_bot),
        list_bots: positiveInt.default(DEFAULT_RATE_LIMITS.list_bots),
      })
      .strict()
      .default(DEFAULT_RATE_LIMITS)
      .describe('Requests per minute per endpoint for this workspace. Lower them to leave room for other clients.'),
    apply: z
      .object({
        concurrency: positiveInt
          .max(150)
          .optional()
          .describe(
            'Calls in flight at once per endpoint, at most. Unset (the default): automatic, following the rate window up to 150.',
          ),
        allow_restart: z.boolean().default(false).describe('Allow restarting a running recording (splits its media).'),
      })
      .strict()
      .default({allow_restart: false}),
    sandbox: z
      .object({bots: z.array(sandboxBotSeedSchema).default([]).describe('Bots the embedded sandbox starts with.')})
      .strict()
      .optional()
      .describe('The embedded sandbox (api.base_url: sandbox).'),
  })
  .strict()

export type ProjectConfig = z.output<typeof projectConfigSchema>
