import type {z} from 'zod'
import {projectConfigSchema, type ProjectConfig} from '../config/project-config-schema.js'
import {resolveBaseUrl} from '../recall/base-url.js'
import {CONFIG_FILE} from '../load/project-files.js'
import {locate, type SourceDocument} from '../load/source-document.js'
import type {Diagnostic} from '../shared/diagnostics.js'
import {checkEnvRefs} from './env-vars.js'
import {issuesToDiagnostics, locateIn} from './zod-diagnostics.js'

/** Checks `recall.config.yaml`. The config is returned only when it has no error. */
export function validateConfigFile(source: SourceDocument | undefined): {
  config: ProjectConfig | undefined
  diagnostics: Diagnostic[]
} {
  if (!source || source.value === undefined) return {config: undefined, diagnostics: []}
  if (source.value === null || typeof source.value !== 'object' || Array.isArray(source.value))
    return {
      config: undefined,
      diagnostics: [
        {
          severity: 'error',
          code: 'not_a_map',
          message: `${CONFIG_FILE} must be a map with version, api and recordings keys.`,
          ...locate(source, []),
        },
      ],
    }
  const parsed = projectConfigSchema.safeParse(source.value, {reportInput: true})
  const diagnostics = parsed.success
    ? []
    : issuesToDiagnostics(parsed.error.issues, {
        locate: locateIn(source, []),
        schema: projectConfigSchema as z.ZodType,
        value: source.value,
      })
  // No setting of the config comes from the environment; the key's variable is named, not referenced.
  diagnostics.push(
    ...checkEnvRefs(
      source.value,
      {source, basePath: [], subject: CONFIG_FILE},
      {env: {}, unset: 'error'},
      {
        refused: () => `a setting of ${CONFIG_FILE}`,
        hint: (path) =>
          path[0] === 'api' && typeof path[1] === 'string' && path[1].endsWith('_env')
            ? `${String(path[1])} takes the variable's name: write ${String(path[1])}: NAME.`
            : undefined,
      },
    ),
  )
  const api = (source.value as {api?: {region?: unknown; base_url?: unknown; allow_custom_base_url?: unknown}}).api
  // A region or base_url that already failed its own check is not reported twice.
  const apiValid = !diagnostics.some(
    (d) =>
      (d.path?.[0] === 'api' && (d.path[1] === 'region' || d.path[1] === 'base_url' || d.code === 'unknown_key')) ||
      d.code === 'env_not_allowed',
  )
  if (api && typeof api === 'object' && apiValid) {
    const resolution = resolveBaseUrl({
      region: typeof api.region === 'string' ? api.region : undefined,
      base_url: typeof api.base_url === 'string' ? api.base_url : undefined,
      allow_custom_base_url: api.allow_custom_base_url === true,
    })
    if (!resolution.ok)
      diagnostics.push({
        severity: 'error',
        code: 'bad_api_endpoint',
        message: resolution.message,
        ...locate(
          source,
          api.base_url !== undefined ? ['api', 'base_url'] : api.region !== undefined ? ['api', 'region'] : ['api'],
        ),
      })
  }
  return {config: diagnostics.some((d) => d.severity === 'error') || !parsed.success ? undefined : parsed.data, diagnostics}
}
