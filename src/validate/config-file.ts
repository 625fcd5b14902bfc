import {z} from 'zod'
import {projectConfigSchema, type ProjectConfig} from '../config/project-config-schema.js'
import {CONFIG_FILE} from '../load/read-project.js'
import {locate, type SourceDocument} from '../load/source-document.js'
import type {Diagnostic} from '../shared/diagnostics.js'
import {issuesToDiagnostics, locateIn} from './zod-diagnostics.js'

/** Checks `recall.config.yaml`. The config is returned only when it has no error. */
export function validateConfigFile(source: SourceDocument | undefined): {config: ProjectConfig | undefined; diagnostics: Diagnostic[]} {
  if (!source || source.value === undefined) return {config: undefined, diagnostics: []}
  if (source.value === null || typeof source.value !== 'object' || Array.isArray(source.value))
    return {
      config: undefined,
      diagnostics: [{severity: 'error', code: 'not_a_map', message: `${CONFIG_FILE} must be a map with version, api and recordings keys.`, ...locate(source, [])}],
    }
  const parsed = projectConfigSchema.safeParse(source.value, {reportInput: true})
  const diagnostics = parsed.success
    ? []
    : issuesToDiagnostics(parsed.error.issues, {locate: locateIn(source, []), schema: projectConfigSchema as z.ZodType, value: source.value})
  const api = (source.value as {api?: {region?: unknown; base_url?: unknown}}).api
  if (api && typeof api === 'object') {
    if (api.region !== undefined && api.base_url !== undefined)
      diagnostics.push({
        severity: 'error',
        code: 'region_and_base_url',
        message: `api has both region (${String(api.region)}) and base_url (${String(api.base_url)}). Keep one: region for Recall, base_url for the sandbox or a proxy.`,
        ...locate(source, ['api', 'base_url'], {key: true}),
      })
    if (api.region === undefined && api.base_url === undefined)
      diagnostics.push({
        severity: 'error',
        code: 'no_api_endpoint',
        message: 'api needs region (us-west-2, us-east-1, eu-central-1, ap-northeast-1) or base_url (sandbox for the embedded emulator).',
        ...locate(source, ['api']),
      })
  }
  return {config: diagnostics.some((d) => d.severity === 'error') || !parsed.success ? undefined : parsed.data, diagnostics}
}
