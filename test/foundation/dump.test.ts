import {test} from 'vitest'
import {writeFileSync} from 'node:fs'
import {formatLocation} from '../../src/shared/diagnostics.js'
import {CORPUS} from './corpus-cases.js'
import {runProject} from './support/project.js'
test('dump', () => {
  const out: string[] = []
  for (const c of CORPUS) {
    out.push(`== ${c.name}`)
    for (const d of runProject(c.files, c.options).diagnostics) out.push(`  ${formatLocation(d)} «${d.file && d.line ? (c.files[d.file]??'').split('\n')[d.line-1]?.slice((d.column??1)-1,(d.column??1)+17) : ''}» ${d.severity} [${d.code}] ${d.message}${(d.related??[]).map(r=>`\n     rel ${formatLocation(r)} ${r.message}`).join('')}`)
  }
  writeFileSync('/tmp/scratch/dump.txt', out.join('\n'))
})
