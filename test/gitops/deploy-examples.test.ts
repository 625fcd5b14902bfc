import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {parseAllDocuments} from 'yaml'
import {EXAMPLES_DIR} from './support/examples.js'

/**
 * The container and Kubernetes examples for `watch`. No Docker engine or cluster runs here, so the
 * Dockerfile is not built: these tests read it (and the manifests) for the properties a platform team
 * checks in review.
 */

/** Dockerfile instructions: continuation lines joined, comments dropped. */
function instructions(text: string): Array<{op: string; args: string}> {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [op, ...rest] = line.split(/\s+/)
      return {op: op!.toUpperCase(), args: rest.join(' ')}
    })
}

describe('examples/docker/Dockerfile', () => {
  const steps = instructions(readFileSync(`${EXAMPLES_DIR}docker/Dockerfile`, 'utf8'))
  const froms = steps.map((s, i) => ({...s, i})).filter((s) => s.op === 'FROM')
  const final = steps.slice(froms.at(-1)!.i)

  it('is multi-stage, on a slim Node LTS image of 20 or newer', () => {
    expect(froms.length).toBeGreaterThanOrEqual(2)
    for (const from of froms) {
      const version = /^node:(\d+)-slim\b/.exec(from.args)?.[1]
      expect(version, from.args).toBeDefined()
      expect(Number(version) % 2, 'an LTS (even) major').toBe(0)
      expect(Number(version)).toBeGreaterThanOrEqual(20)
    }
  })

  it('builds in the first stage and keeps only production dependencies', () => {
    const build = steps
      .slice(froms[0]!.i, froms[1]!.i)
      .filter((s) => s.op === 'RUN')
      .map((s) => s.args)
      .join('\n')
    expect(build).toContain('npm run build')
    expect(build).toMatch(/npm prune --omit=dev|npm ci [^\n]*--omit=dev/)
    expect(final.filter((s) => s.op === 'COPY').every((s) => s.args.startsWith('--from='))).toBe(true)
    expect(
      final.some((s) => s.op === 'COPY' && /\/src\/src\b|\s(\.\/)?src\/?(\s|$)/.test(s.args)),
      'sources in the runtime image',
    ).toBe(false)
    expect(final.some((s) => s.op === 'COPY' && s.args.includes('/dist'))).toBe(true)
  })

  it('runs as a non-root user, with a HEALTHCHECK on /healthz, and starts watch listening', () => {
    const user = final.filter((s) => s.op === 'USER').at(-1)
    expect(user?.args).toBeDefined()
    expect(['root', '0', '0:0']).not.toContain(user!.args)
    const health = final.find((s) => s.op === 'HEALTHCHECK')
    expect(health?.args).toContain('/healthz')
    expect(health?.args).toMatch(/\bCMD\b/)
    const cmd = JSON.parse(final.find((s) => s.op === 'CMD')!.args) as string[]
    expect(cmd.slice(0, 3)).toEqual(['watch', '--listen', '0.0.0.0:8080'])
    expect(final.find((s) => s.op === 'EXPOSE')?.args).toBe('8080')
  })
})

describe('examples/kubernetes/recallctl-watch.yaml', () => {
  const docs = parseAllDocuments(readFileSync(`${EXAMPLES_DIR}kubernetes/recallctl-watch.yaml`, 'utf8')).map((d) => {
    expect(d.errors).toEqual([])
    return d.toJS() as Record<string, any>
  })
  const deployment = docs.find((d) => d['kind'] === 'Deployment')!
  const service = docs.find((d) => d['kind'] === 'Service')!
  const container = deployment?.['spec']['template']['spec']['containers'][0]

  it('runs two replicas of watch, listening', () => {
    expect(deployment['spec']['replicas']).toBe(2)
    expect(container['args'].slice(0, 3)).toEqual(['watch', '--listen', '0.0.0.0:8080'])
    expect(deployment['spec']['template']['spec']['securityContext']['runAsNonRoot']).toBe(true)
  })

  it('probes liveness on /healthz and readiness on /readyz', () => {
    expect(container['livenessProbe']['httpGet']['path']).toBe('/healthz')
    expect(container['readinessProbe']['httpGet']['path']).toBe('/readyz')
  })

  it('takes the API key and the webhook secret from a Secret, never as plain values', () => {
    const env = container['env'] as Array<{name: string; value?: string; valueFrom?: {secretKeyRef?: {name: string}}}>
    for (const name of ['RECALL_API_KEY', 'RECALL_WEBHOOK_SECRET']) {
      const entry = env.find((e) => e.name === name)
      expect(entry?.value, name).toBeUndefined()
      expect(entry?.valueFrom?.secretKeyRef?.name, name).toBeDefined()
    }
  })

  it('has a Service for the webhooks that selects the pods and targets the listening port', () => {
    expect(service['spec']['selector']).toEqual(deployment['spec']['template']['metadata']['labels'])
    const port = container['ports'].find((p: {containerPort: number}) => p.containerPort === 8080)
    expect(service['spec']['ports'][0]['targetPort']).toBe(port.name)
  })
})
