// The YAML reader: which objects it recognises, what it lowers, what stays unknown, and source ranges.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatCidr } from '../../server/src/cidr/cidr.ts';
import type { Cidr } from '../../server/src/cidr/cidr.ts';
import type { Value } from '../../server/src/model/source.ts';
import { readYamlFile } from '../../server/src/readers/yaml/yamlReader.ts';

const URI = 'file:///test.yaml';
const shown = (values: Value<Cidr>[]) => values.map((v) => (v.known ? formatCidr(v.value) : `unknown(${v.reason})`));

describe('YAML reader', () => {
  it('reads an ASO managed cluster, its pools and their subnet references', () => {
    const text = `apiVersion: containerservice.azure.com/v20250801
kind: ManagedCluster
metadata:
  name: aks-1
spec:
  networkProfile:
    networkPlugin: azure
    networkPluginMode: overlay
    podCidrs: [10.244.0.0/16, fd12:3456:789a::/64]
    serviceCidrs: [10.0.0.0/16, fd12:3456:789a:1::/108]
    dnsServiceIP: 10.0.0.10
  agentPoolProfiles:
    - name: sys
      count: 3
      maxPods: 50
      osType: Linux
      vnetSubnetReference:
        armId: /subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-1/subnets/nodes
---
apiVersion: containerservice.azure.com/v20250801
kind: ManagedClustersAgentPool
metadata:
  name: user
spec:
  owner:
    name: aks-1
  enableAutoScaling: true
  minCount: 1
  maxCount: "\${MAX_NODES}"
  osType: Windows
`;
    const facts = readYamlFile(URI, text);
    assert.equal(facts.clusters.length, 1);
    const [cluster] = facts.clusters;
    assert.equal(cluster!.name, 'aks-1');
    assert.deepEqual(shown(cluster!.podCidrs), ['10.244.0.0/16', 'fd12:3456:789a::/64']);
    assert.deepEqual(shown(cluster!.serviceCidrs), ['10.0.0.0/16', 'fd12:3456:789a:1::/108']);
    assert.ok(cluster!.networkPluginMode.known && cluster!.networkPluginMode.value === 'overlay');
    const dns = cluster!.dnsServiceIp;
    assert.ok(dns.known);
    assert.equal(text.slice(dns.source.start, dns.source.end), '10.0.0.10');
    assert.deepEqual(
      facts.nodePools.map((p) => [p.name, p.clusterName, p.nodeSubnet?.vnetKey, p.nodeSubnet?.subnetName]),
      [
        ['sys', 'aks-1', 'vnet-1', 'nodes'],
        ['user', 'aks-1', undefined, undefined],
      ],
    );
    const user = facts.nodePools[1]!;
    assert.ok(user.minCount.known && user.minCount.value === 1);
    assert.equal(user.maxCount.known, false, 'a templated count is unknown');
  });

  it('joins a CAPI Cluster to its CAPZ control plane and reads the VNet it declares', () => {
    const facts = readYamlFile(
      URI,
      `apiVersion: infrastructure.cluster.x-k8s.io/v1beta1
kind: AzureManagedControlPlane
metadata:
  name: cp
spec:
  dnsServiceIP: 10.96.0.10
  virtualNetwork:
    name: vnet-x
    cidrBlock: 10.1.0.0/16
    subnet:
      name: nodes-x
      cidrBlock: 10.1.0.0/24
---
apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata:
  name: dev
spec:
  clusterNetwork:
    pods:
      cidrBlocks: [192.168.0.0/16]
    services:
      cidrBlocks: [10.96.0.0/12]
  controlPlaneRef:
    kind: AzureManagedControlPlane
    name: cp
`,
    );
    const [cluster] = facts.clusters;
    assert.equal(cluster!.name, 'dev');
    assert.deepEqual(shown(cluster!.podCidrs), ['192.168.0.0/16']);
    assert.deepEqual(shown(cluster!.serviceCidrs), ['10.96.0.0/12']);
    assert.deepEqual(cluster!.defaultNodeSubnet && [cluster!.defaultNodeSubnet.vnetKey, cluster!.defaultNodeSubnet.subnetName], ['vnet-x', 'nodes-x']);
    assert.deepEqual(facts.vnets.map((v) => [v.key, shown(v.addressSpace)]), [['vnet-x', ['10.1.0.0/16']]]);
    assert.deepEqual(facts.subnets.map((s) => [s.name, s.vnetKey, shown(s.prefixes)]), [['nodes-x', 'vnet-x', ['10.1.0.0/24']]]);
  });

  it('reads ASO resources embedded in a CAPZ AzureASOManagedControlPlane', () => {
    const facts = readYamlFile(
      URI,
      `apiVersion: infrastructure.cluster.x-k8s.io/v1alpha1
kind: AzureASOManagedControlPlane
metadata:
  name: aso-cp
spec:
  resources:
    - apiVersion: containerservice.azure.com/v1api20240901
      kind: ManagedCluster
      metadata:
        name: embedded
      spec:
        networkProfile:
          serviceCidr: 10.0.0.0/16
`,
    );
    assert.deepEqual(facts.clusters.map((c) => [c.name, shown(c.serviceCidrs)]), [['embedded', ['10.0.0.0/16']]]);
  });

  it('keeps template placeholders unknown and records no literal for them', () => {
    const facts = readYamlFile(
      URI,
      `apiVersion: network.azure.com/v1api20240301
kind: VirtualNetwork
metadata:
  name: \${CLUSTER_NAME}-vnet
spec:
  addressSpace:
    addressPrefixes: ["\${VNET_CIDR}", "<your-range>", "{{ .Values.cidr }}", 10.0.0.0/16]
`,
    );
    const [vnet] = facts.vnets;
    assert.equal(vnet!.name, 'virtual network', 'a placeholder name is not used as a name');
    // A templated name keys the VNet within its file only (its subnets in the same file find it by that name).
    assert.equal(vnet!.key, 'file:///test.yaml|${CLUSTER_NAME}-vnet');
    assert.deepEqual(shown(vnet!.addressSpace).map((s) => s.split('(')[0]), ['unknown', 'unknown', 'unknown', '10.0.0.0/16']);
    assert.equal(vnet!.addressSpaceComplete, false);
    assert.equal(facts.addressLiterals.length, 1);
  });

  it('reads Services, NetworkPolicies and workloads, also inside a List', () => {
    const facts = readYamlFile(
      URI,
      `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Service
    metadata:
      name: api
      namespace: shop
      annotations:
        service.beta.kubernetes.io/azure-load-balancer-internal: "true"
        service.beta.kubernetes.io/azure-load-balancer-ipv4: 10.240.0.25
    spec:
      type: LoadBalancer
  - apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata:
      name: deny-all
  - apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
`,
    );
    const [service] = facts.services;
    assert.equal(service!.name, 'api');
    assert.equal(service!.namespace, 'shop');
    assert.ok(service!.loadBalancerIp.known);
    assert.equal(service!.annotations.get('service.beta.kubernetes.io/azure-load-balancer-internal')?.known, true);
    assert.deepEqual(facts.policies.map((p) => p.name), ['deny-all']);
    assert.deepEqual(facts.workloads.map((w) => `${w.kind}/${w.name}`), ['Deployment/web']);
  });

  it('reads what it can of a half-typed file and reports the syntax error', () => {
    const facts = readYamlFile(
      URI,
      `apiVersion: network.azure.com/v1api20240301
kind: VirtualNetworksSubnet
metadata:
  name: half
spec:
  owner:
    name: vnet
  addressPrefix: 10.0.0.0/24
  delegations: [
`,
    );
    assert.ok(facts.problems.some((p) => p.kind === 'yaml-syntax'));
    assert.deepEqual(facts.subnets.map((s) => shown(s.prefixes)), [['10.0.0.0/24']]);
  });

  it('follows aliases and bounds alias expansion', () => {
    const facts = readYamlFile(
      URI,
      `apiVersion: network.azure.com/v1api20240301
kind: VirtualNetwork
metadata:
  name: aliased
spec:
  addressSpace:
    addressPrefixes: &space [10.5.0.0/16]
  copy: *space
`,
    );
    assert.deepEqual(shown(facts.vnets[0]!.addressSpace), ['10.5.0.0/16']);
    const bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    // 9^9 strings if expanded: the reader must resolve aliases lazily, one level at a time.
    assert.doesNotThrow(() => readYamlFile(URI, bomb.join('\n')));
  });
});
