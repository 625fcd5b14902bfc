import {Document, isCollection, visit} from 'yaml'

/**
 * YAML for a recordings document: block style for its structure (files, profiles, assignments), flow
 * style (`{type: timed, hours: 720}`) for small values from `flowDepth` collections down.
 */
export function recordingsYaml(document: unknown, flowDepth = 3): string {
  const doc = new Document(document, {aliasDuplicateObjects: false})
  visit(doc, {
    Collection(_key, node, path) {
      const depth = path.filter((p) => isCollection(p)).length
      if (depth >= flowDepth && JSON.stringify(node.toJSON()).length <= 60) node.flow = true
    },
  })
  return doc.toString({lineWidth: 0})
}
