/**
 * Validation errors shaped like Django REST Framework's (Recall's backend): field-keyed, nested the
 * way the body is, each leaf a list of messages. Errors in a list of objects line up with its items
 * (valid items are `{}`); errors in a list of plain values are keyed by index (`{"1": [...]}`).
 * Errors about a value as a whole go under `non_field_errors`.
 */
export type DrfErrorTree = {[key: string]: DrfErrorNode}
export type DrfErrorList = Array<string | DrfErrorNode>
export type DrfErrorNode = DrfErrorList | DrfErrorTree

export const NON_FIELD_ERRORS = 'non_field_errors'

type Container = DrfErrorTree | DrfErrorList

/**
 * Keys come from the request (a field the client sent): read and written as own properties only, so a
 * key like `__proto__` or `toString` is a field like any other and never reaches Object.prototype.
 */
const own = (tree: DrfErrorTree, key: string): DrfErrorNode | undefined => (Object.hasOwn(tree, key) ? tree[key] : undefined)

function setOwn(tree: DrfErrorTree, key: string, value: DrfErrorNode): void {
  Object.defineProperty(tree, key, {value, enumerable: true, writable: true, configurable: true})
}

export function addDrfError(root: DrfErrorTree, path: ReadonlyArray<PropertyKey>, message: string): void {
  if (path.length === 0) {
    appendMessage(root, NON_FIELD_ERRORS, message)
    return
  }
  let node: Container = root
  for (let i = 0; i < path.length - 1; i++) {
    // A list of objects (DRF ListSerializer) lines its errors up with the items; a list of plain
    // values (DRF ListField) keys them by index: {"events": {"0": ["..."]}}.
    const itemIsObject = typeof path[i + 1] === 'number' && i + 2 < path.length
    node = childContainer(node, path[i]!, itemIsObject)
  }
  const last = path[path.length - 1]!
  if (Array.isArray(node)) {
    const index = Number(last)
    padTo(node, index)
    const item = asTree(node[index]!)
    node[index] = item
    appendMessage(item, NON_FIELD_ERRORS, message)
  } else appendMessage(node, String(last), message)
}

function childContainer(node: Container, segment: PropertyKey, wantArray: boolean): Container {
  if (Array.isArray(node)) {
    const index = Number(segment)
    padTo(node, index)
    const existing = node[index]!
    if (wantArray) {
      if (Array.isArray(existing) && !isMessageList(existing)) return existing
      // A list inside a list is unusual in a body; keep errors readable by nesting an object.
      const tree = asTree(existing)
      node[index] = tree
      return childContainer(tree, NON_FIELD_ERRORS, true)
    }
    const tree = asTree(existing)
    node[index] = tree
    return tree
  }
  const key = String(segment)
  const existing = own(node, key)
  if (wantArray) {
    if (Array.isArray(existing) && !isMessageList(existing)) return existing
    if (existing === undefined) {
      const list: DrfErrorList = []
      setOwn(node, key, list)
      return list
    }
    // Messages about the list itself were recorded first: keep them beside the item errors.
    const tree = asTree(existing)
    setOwn(node, key, tree)
    return tree
  }
  const tree = existing === undefined ? {} : asTree(existing)
  setOwn(node, key, tree)
  return tree
}

function padTo(list: DrfErrorList, index: number): void {
  while (list.length <= index) list.push({})
}

function isMessageList(node: DrfErrorList): boolean {
  return node.length > 0 && node.every((item) => typeof item === 'string')
}

function asTree(node: string | DrfErrorNode | undefined): DrfErrorTree {
  if (node === undefined) return {}
  if (typeof node === 'string') return {[NON_FIELD_ERRORS]: [node]}
  if (Array.isArray(node)) {
    if (isMessageList(node)) return {[NON_FIELD_ERRORS]: node}
    return node.length === 0 ? {} : {[NON_FIELD_ERRORS]: node.flatMap((item) => (typeof item === 'string' ? [item] : []))}
  }
  return node
}

function appendMessage(tree: DrfErrorTree, key: string, message: string): void {
  const existing = own(tree, key)
  if (existing === undefined) setOwn(tree, key, [message])
  else if (Array.isArray(existing) && (existing.length === 0 || isMessageList(existing))) existing.push(message)
  else {
    const inner = asTree(existing)
    setOwn(tree, key, inner)
    appendMessage(inner, NON_FIELD_ERRORS, message)
  }
}
