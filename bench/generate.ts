// Deterministic benchmark inputs: realistic AKS networking YAML and Bicep, at any size.

/** A small deterministic pseudo-random generator (mulberry32), so every run measures the same input. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One multi-document YAML file of `objects` Kubernetes and ASO objects (~100 bytes of YAML each on average x 1). */
export function yamlWorkload(objects: number, seed = 1): string {
  const next = random(seed);
  const docs: string[] = [];
  // Names are unique per seed, as they are per team in a real workspace.
  for (let n = 0; docs.length < objects; n++) {
    const i = `${seed}-${n}`;
    const octets = seed * 1000 + n;
    const team = `team${octets % 97}`;
    const octet2 = octets % 250;
    const octet3 = Math.floor(octets / 250) % 250;
    docs.push(`apiVersion: network.azure.com/v1api20240301
kind: VirtualNetwork
metadata:
  name: vnet-${i}
  namespace: ${team}
spec:
  location: westeurope
  addressSpace:
    addressPrefixes:
      - 10.${octet2}.0.0/16`);
    docs.push(`apiVersion: network.azure.com/v1api20240301
kind: VirtualNetworksSubnet
metadata:
  name: nodes-${i}
  namespace: ${team}
spec:
  owner:
    name: vnet-${i}
  addressPrefix: 10.${octet2}.${octet3}.0/24`);
    docs.push(`apiVersion: containerservice.azure.com/v20250801
kind: ManagedCluster
metadata:
  name: aks-${i}
  namespace: ${team}
spec:
  networkProfile:
    networkPlugin: azure
    networkPluginMode: overlay
    podCidr: 192.168.0.0/16
    serviceCidr: 172.20.0.0/16
    dnsServiceIP: 172.20.0.10
  agentPoolProfiles:
    - name: system
      count: ${1 + Math.floor(next() * 10)}
      maxPods: 110
      vnetSubnetReference:
        armId: /subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-${i}/subnets/nodes-${i}`);
    docs.push(`apiVersion: v1
kind: Service
metadata:
  name: api-${i}
  namespace: ${team}
  annotations:
    service.beta.kubernetes.io/azure-load-balancer-internal: "true"
spec:
  type: LoadBalancer
  selector:
    app: api-${i}
  ports:
    - port: 443
      targetPort: 8443`);
    docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-api-${i}
  namespace: ${team}
spec:
  podSelector:
    matchLabels:
      app: api-${i}
  ingress:
    - from:
        - podSelector:
            matchLabels:
              role: frontend
      ports:
        - protocol: TCP
          port: 8443`);
  }
  return docs.slice(0, objects).join('\n---\n') + '\n';
}

/** A Bicep file of about `bytes` bytes: VNets with subnets computed by cidrSubnet, clusters, params. */
export function bicepFile(bytes: number, seed = 2): string {
  const next = random(seed);
  const parts: string[] = ["targetScope = 'resourceGroup'", "param location string = 'westeurope'"];
  let size = parts.join('\n').length;
  for (let i = 0; size < bytes; i++) {
    const block = `
@description('Address space of spoke ${i}')
param spoke${i}Cidr string = '10.${i % 250}.0.0/16'

var spoke${i}Subnets = [for s in range(0, 4): {
  name: 'snet-${i}-\${s}'
  properties: {
    addressPrefix: cidrSubnet(spoke${i}Cidr, 24, s)
  }
}]

resource vnet${i} 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: 'vnet-spoke-${i}'
  location: location
  properties: {
    addressSpace: {
      addressPrefixes: [
        spoke${i}Cidr
      ]
    }
    subnets: spoke${i}Subnets
  }
}

resource aks${i} 'Microsoft.ContainerService/managedClusters@2024-09-01' = if (${next() > 0.1 ? 'true' : 'false'}) {
  name: 'aks-${i}'
  location: location
  properties: {
    agentPoolProfiles: [
      {
        name: 'system'
        count: ${1 + Math.floor(next() * 5)}
        maxPods: 30
        vnetSubnetID: resourceId('Microsoft.Network/virtualNetworks/subnets', vnet${i}.name, 'snet-${i}-0')
      }
    ]
    networkProfile: {
      networkPlugin: 'azure'
      networkPluginMode: 'overlay'
      podCidr: '192.168.0.0/16'
      serviceCidr: '172.20.0.0/16'
      dnsServiceIP: '172.20.0.10'
    }
  }
}
`;
    parts.push(block);
    size += block.length;
  }
  return parts.join('\n');
}

/** Pods per namespace in the flow engine's clusters: constant, so a bigger cluster has more namespaces, as teams are added. */
const PODS_PER_NAMESPACE = 25;
/** Each app runs about four pods (two ReplicaSets of two). */
const PODS_PER_APP = 4;
const TIERS = ['web', 'api', 'db', 'cache'];

/**
 * A cluster dump for the NetworkPolicy flow engine: Namespaces, `pods` Pods and `policies` NetworkPolicies that
 * use every feature (matchExpressions, namespace selectors, named ports, endPort, ipBlocks with except, egress).
 * Namespaces grow with the pods (25 pods each) and policies spread evenly over them; team labels stay five
 * (a namespace selector by team matches a fifth of the namespaces, at every size).
 */
export function flowCluster(pods: number, policies: number): string {
  const namespaces = Math.max(1, Math.round(pods / PODS_PER_NAMESPACE));
  const apps = Math.max(1, Math.round(PODS_PER_NAMESPACE / PODS_PER_APP));
  const docs: string[] = [];
  for (let n = 0; n < namespaces; n++) docs.push(flowNamespace(n));
  for (let i = 0; i < pods; i++) docs.push(flowPod(i, i % namespaces, Math.floor(i / namespaces) % apps));
  for (let p = 0; p < policies; p++) docs.push(flowPolicy(p, p % namespaces, Math.floor(p / namespaces) % apps, apps));
  return docs.join('\n---\n') + '\n';
}

function flowNamespace(n: number): string {
  return `apiVersion: v1
kind: Namespace
metadata:
  name: ns${n}
  labels: { team: team${n % 5}, env: ${n % 2 ? 'prod' : 'dev'} }`;
}

function flowPod(i: number, namespace: number, app: number): string {
  // Every other pod belongs to a ReplicaSet (two pods per owner), as in a real cluster dump.
  const owner = i % 2 ? `\n  ownerReferences: [{ kind: ReplicaSet, name: app${app}-rs${Math.floor(i / 4)}, controller: true }]` : '';
  return `apiVersion: v1
kind: Pod
metadata:
  name: pod${i}
  namespace: ns${namespace}
  labels: { app: app${app}, tier: ${TIERS[i % TIERS.length]}, version: v${i % 3} }${owner}
spec:
  containers:
    - name: main
      ports: [{ name: http, containerPort: 8080 }, { name: metrics, containerPort: 9090 }, { name: dns, containerPort: 53, protocol: UDP }]`;
}

function flowPolicy(p: number, namespace: number, app: number, apps: number): string {
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: policy${p}
  namespace: ns${namespace}
spec:
  podSelector:
    matchLabels: { app: app${app} }
  policyTypes: [Ingress${p % 3 === 0 ? ', Egress' : ''}]
  ingress:
    - from:
        - podSelector:
            matchExpressions: [{ key: tier, operator: In, values: [web, api] }]
      ports: [{ port: http }, { port: 8443, endPort: ${8443 + (p % 10)} }]
    - from:
        - namespaceSelector: { matchLabels: { team: team${p % 5} } }
          podSelector: { matchLabels: { tier: ${TIERS[p % TIERS.length]} } }
        - ipBlock: { cidr: 10.${p % 256}.0.0/16, except: [10.${p % 256}.${p % 7}.0/24] }
      ports: [{ port: metrics }, { port: 53, protocol: UDP }]
  egress:
    - to: [{ namespaceSelector: {} }]
      ports: [{ port: 53, protocol: UDP }]
    - to: [{ podSelector: { matchLabels: { app: app${(app + 1) % apps} } } }]
    - to: [{ ipBlock: { cidr: 192.168.${p % 256}.0/24 } }]
      ports: [{ port: 443 }]`;
}

/**
 * One virtual network of `subnets` /24 subnets (Azure allows up to 3,000 per VNet: azure-virtual-network-limits), a few overlapping,
 * and an internal load balancer Service for every tenth subnet: the rules that look inside one VNet.
 */
export function crowdedVnet(subnets: number): string {
  const docs = [`apiVersion: network.azure.com/v1api20240301
kind: VirtualNetwork
metadata:
  name: crowded
spec:
  addressSpace:
    addressPrefixes:
      - 10.0.0.0/8`];
  for (let i = 0; i < subnets; i++) {
    // Every hundredth subnet repeats the one before it: overlaps for the rule to report.
    const n = i % 100 === 99 ? i - 1 : i;
    docs.push(`apiVersion: network.azure.com/v1api20240301
kind: VirtualNetworksSubnet
metadata:
  name: snet-${i}
spec:
  owner:
    name: crowded
  addressPrefix: 10.${(n >> 8) & 255}.${n & 255}.0/24`);
  }
  for (let i = 0; i < subnets; i += 10) {
    docs.push(`apiVersion: v1
kind: Service
metadata:
  name: svc-${i}
  annotations:
    service.beta.kubernetes.io/azure-load-balancer-internal: "true"
spec:
  type: LoadBalancer
  loadBalancerIP: 10.${(i >> 8) & 255}.${i & 255}.7`);
  }
  return docs.join('\n---\n') + '\n';
}
