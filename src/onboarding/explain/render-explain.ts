import {stringify} from 'yaml'
import {recordingsYaml} from '../yaml-text.js'
import type {FieldExplanation, FieldVariant} from './explain-path.js'

const flow = (value: unknown): string => stringify(value, {collectionStyle: 'flow', lineWidth: 0}).trim()

/** The example as a recordings file: the field inside a profile. */
export function exampleYaml(explanation: FieldExplanation): string {
  return recordingsYaml({profiles: {'my-profile': explanation.example}})
}

/** `recallctl explain PATH` for a person (pure). */
export function renderExplanation(e: FieldExplanation): string {
  const lines: string[] = [e.path]
  if (e.description) lines.push(`  ${e.description}`)
  lines.push('')
  const shared = e.variants.length === 1 ? e.variants[0] : undefined
  if (shared) lines.push(...variantLines(shared, '  '))
  else {
    lines.push(`  type: ${[...new Set(e.variants.map((v) => v.type))].join('; ')}, depending on the endpoint's type:`)
    for (const v of e.variants) {
      lines.push(`    ${v.when ?? '(any)'}:${v.description && !e.description ? ` ${v.description}` : ''}`)
      if (v.allowed) lines.push(`      allowed: ${v.allowed.map(String).join(', ')}`)
    }
  }
  if (e.default)
    lines.push(
      `  default: ${flow(e.default.value)} (${e.default.from === 'endpoint' ? "the endpoint's, written out when the profile chain leaves it unset" : 'when left out'})`,
    )
  else if (e.path.startsWith('transcript.provider.'))
    lines.push("  default: the provider's (provider options are sent as written)")
  lines.push('')
  if (e.rules.length === 0) lines.push('  rules: none involve it')
  else {
    lines.push('  rules (checked on the merged profile, after extends):')
    for (const rule of e.rules) lines.push(`    ${rule.severity.padEnd(7)} ${rule.code}: ${rule.summary}`)
  }
  lines.push(
    '',
    '  example:',
    ...exampleYaml(e)
      .trimEnd()
      .split('\n')
      .map((l) => `    ${l}`),
  )
  return lines.join('\n')
}

function variantLines(v: FieldVariant, indent: string): string[] {
  const lines = [`${indent}type: ${v.type}`]
  if (v.options) {
    lines.push(`${indent}shapes:`)
    for (const option of v.options) {
      const keys = (option.keys ?? []).map((k) => `${k.name}${k.required ? '' : '?'}: ${k.type}`).join(', ')
      lines.push(`${indent}  {${keys}}${option.description ? `  ${option.description}` : ''}`)
    }
  } else if (v.allowed) lines.push(`${indent}allowed: ${v.allowed.map(String).join(', ')}`)
  if (!v.options && v.keys && v.keys.length > 0) {
    lines.push(`${indent}keys:`)
    const width = Math.max(...v.keys.map((k) => k.name.length + (k.required ? 0 : 1)))
    for (const k of v.keys)
      lines.push(
        `${indent}  ${`${k.name}${k.required ? '' : '?'}`.padEnd(width)}  ${k.type}${k.description ? `. ${k.description}` : ''}`,
      )
  }
  return lines
}
