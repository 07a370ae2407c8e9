// Flows from the cluster's ingress controller: Ingress (or OpenShift Route) backend -> Service -> the pods the
// Service selects, at the resolved target (container) port. The controller is an arbitrary pod of some other
// namespace, so a flow appears only where the pod's ingress policies let any pod of any namespace in.
import type { IngressBackend, KubernetesService, NetworkModel, ServicePort } from '../model/network';
import { isNotSet } from '../model/source';
import type { Side } from './engine';
import { mapSelectorMatches } from './labels';
import { parseProtocol, PortSet, type Protocol } from './ports';
import { DEFAULT_NAMESPACE, type Instance, type Topology } from './topology';

/** The Service ports a backend names: by number or name (Ingress), by target port (Route), or all of them. */
function backendPorts(backend: IngressBackend, service: KubernetesService): ServicePort[] {
  const wanted = backend.servicePort;
  if (!wanted.known) return isNotSet(wanted) ? [...service.ports] : [];
  const value = wanted.value;
  return service.ports.filter((port) => {
    if (typeof value === 'string') return port.name === value;
    if (backend.kind === 'Ingress') return port.port.known && port.port.value === value;
    // A Route's numeric targetPort is the pod port the Service forwards to.
    const target = port.targetPort.known ? port.targetPort.value : port.port.known ? port.port.value : undefined;
    return target === value;
  });
}

/** The pod ports a Service port forwards to on one instance. */
function targetPorts(port: ServicePort, instance: Instance): PortSet {
  const protocol: Protocol | undefined = port.protocol.known ? parseProtocol(port.protocol.value) : isNotSet(port.protocol) ? 'TCP' : undefined;
  if (!protocol) return PortSet.EMPTY;
  const target = port.targetPort.known ? port.targetPort.value : isNotSet(port.targetPort) && port.port.known ? port.port.value : undefined;
  if (target === undefined) return PortSet.EMPTY;
  if (typeof target === 'number') return PortSet.ports(protocol, [target, target]);
  let ports = PortSet.EMPTY;
  for (const named of instance.ports) {
    if (named.name === target && named.protocol === protocol) ports = ports.union(PortSet.ports(protocol, [named.port, named.port]));
  }
  return ports;
}

/** Allowed ingress-controller connections per peer index. */
export function ingressControllerFlows(
  model: NetworkModel,
  topology: Topology,
  ingress: readonly Side[],
  warn: (message: string) => void,
): Map<number, PortSet> {
  const byPeer = new Map<number, PortSet>();
  for (const backend of model.ingressBackends) {
    const label = `${backend.kind} ${backend.name}`;
    if (backend.namespaceUnknown || !backend.serviceName.known) {
      warn(`${label}: its namespace or Service is not known; left out of the ingress-controller flows.`);
      continue;
    }
    const namespace = backend.namespace ?? DEFAULT_NAMESPACE;
    const serviceName = backend.serviceName.value;
    for (const service of model.services) {
      if (service.namespaceUnknown || (service.namespace ?? DEFAULT_NAMESPACE) !== namespace || service.name !== serviceName) continue;
      if (!service.selector.known) {
        if (!isNotSet(service.selector)) warn(`Service ${service.name}: its selector is not known; left out of the ingress-controller flows.`);
        continue;
      }
      const selector = service.selector.value;
      if (selector.size === 0) continue;
      const ports = backendPorts(backend, service);
      for (const instance of topology.instances) {
        if (instance.namespace !== namespace || mapSelectorMatches(selector, instance.labels) !== true) continue;
        let allowed = PortSet.EMPTY;
        for (const port of ports) allowed = allowed.union(targetPorts(port, instance));
        const side = ingress[instance.index]!;
        allowed = allowed.intersect(side.pods);
        if (!allowed.isEmpty()) byPeer.set(instance.peer, (byPeer.get(instance.peer) ?? PortSet.EMPTY).union(allowed));
      }
    }
  }
  return byPeer;
}
