// A Service's nodePort must lie in the API server's node port range.
import { NODE_PORT_RANGE } from '../facts';
import { knownValues } from '../model/source';
import { defineRule } from './rule';

export const nodePortRange = defineRule({
  id: 'node-port-range',
  title: 'nodePort outside 30000-32767',
  defaultSeverity: 'warning',
  facts: [NODE_PORT_RANGE],
  check: (model) =>
    model.services.flatMap((service) =>
      knownValues(service.nodePorts)
        .filter((port) => port.value < NODE_PORT_RANGE.value.min || port.value > NODE_PORT_RANGE.value.max)
        .map((port) => ({
          message: `nodePort ${port.value} on Service ${service.name} is outside ${NODE_PORT_RANGE.value.min}-${NODE_PORT_RANGE.value.max}, the Kubernetes API server's node port range.`,
          source: port.source,
        })),
    ),
});
