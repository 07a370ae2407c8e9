// Rewriting a v1beta1 Ingress spec in networking.k8s.io/v1's shape, as text edits in the file's own style:
// spec.backend -> spec.defaultBackend, serviceName/servicePort -> service.name/service.port.number|name, and
// pathType: ImplementationSpecific (v1beta1's behaviour) on every path without one. Values are copied as written.
import { isMap, isScalar, type Node } from 'yaml';
import type { TextEdit } from '../../model/network';
import { CannotEdit, columnOf, editsOrUndefined, insertFirstPair, lineBreak, pairNamed, rangeOf, removeBlockPair, writer } from './yamlEdits';
import { isPlaceholder, itemsAt, nodeAt, type ReadContext } from './yamlTree';

/** The edits for one backend with serviceName and servicePort; none for a resource backend. */
function backendEdits(ctx: ReadContext, backend: Node): TextEdit[] {
  if (!isMap(backend)) throw new CannotEdit();
  const name = pairNamed(backend, 'serviceName');
  const port = pairNamed(backend, 'servicePort');
  if (!name && !port) return [];
  if (!name || !port || !isScalar(port.value) || !isScalar(name.value)) throw new CannotEdit();
  const portValue = port.value.value;
  const portText = String(portValue);
  if (isPlaceholder(portText)) throw new CannotEdit();
  const numeric = typeof portValue === 'number' || /^\d+$/.test(portText);
  const write = writer(ctx);
  const nameText = ctx.text.slice(...rangeOf(name.value));
  const portWritten = numeric ? String(Number(portText)) : ctx.text.slice(...rangeOf(port.value));
  const portKey = write.key(numeric ? 'number' : 'name');
  const source = (start: number, end: number) => ({ uri: ctx.uri, start, end });
  if (backend.flow) {
    if (backend.items.length !== 2) throw new CannotEdit();
    const [start, end] = rangeOf(backend);
    return [{ source: source(start, end), newText: `{ ${write.key('service')}: { ${write.key('name')}: ${nameText}, ${write.key('port')}: { ${portKey}: ${portWritten} } } }` }];
  }
  // Block style: the first of the two pairs becomes the service block, the second goes with its line.
  const [first, second] = rangeOf(name.key)[0] < rangeOf(port.key)[0] ? [name, port] : [port, name];
  const [firstStart] = rangeOf(first.key);
  const column = columnOf(ctx.text, firstStart);
  if (columnOf(ctx.text, rangeOf(second.key)[0]) !== column) throw new CannotEdit();
  const pad = ' '.repeat(column);
  const br = lineBreak(ctx);
  return [
    { source: source(firstStart, rangeOf(first.value)[1]), newText: `service:${br}${pad}  name: ${nameText}${br}${pad}  port:${br}${pad}    ${portKey}: ${portWritten}` },
    removeBlockPair(ctx, backend, second),
  ];
}

/** pathType: ImplementationSpecific before the first key of a path that has none. */
function pathTypeEdit(ctx: ReadContext, path: Node): TextEdit[] {
  if (!isMap(path)) throw new CannotEdit();
  if (pairNamed(path, 'pathType')) return [];
  const write = writer(ctx);
  return [insertFirstPair(ctx, path, `${write.key('pathType')}: ${write.string('ImplementationSpecific')}`)];
}

/** The edits that turn a v1beta1 Ingress's spec into v1's shape; undefined when a part cannot be rewritten. */
export function ingressV1SpecEdits(ctx: ReadContext, resource: Node): TextEdit[] | undefined {
  return editsOrUndefined(() => {
    const edits: TextEdit[] = [];
    const spec = nodeAt(ctx, resource, 'spec');
    const backend = isMap(spec) ? pairNamed(spec, 'backend') : undefined;
    if (backend) {
      const [start, end] = rangeOf(backend.key);
      edits.push({ source: { uri: ctx.uri, start, end }, newText: writer(ctx).key('defaultBackend') }, ...backendEdits(ctx, backend.value as Node));
    }
    for (const rule of itemsAt(ctx, resource, 'spec', 'rules')) {
      for (const path of itemsAt(ctx, rule, 'http', 'paths')) {
        edits.push(...pathTypeEdit(ctx, path));
        const pathBackend = nodeAt(ctx, path, 'backend');
        if (pathBackend) edits.push(...backendEdits(ctx, pathBackend));
      }
    }
    return edits;
  });
}
