// The example the walkthrough's first step opens as a new, never-saved YAML document: a virtual network, two
// subnets and an AKS cluster as Azure Service Operator writes them, with one mistake (the ingress subnet lies inside
// the node subnet) for the second step's squiggle. No `vscode` import: a unit test checks what the server makes of it.

export const EXAMPLE_YAML = `# AKS Network Lens example: a virtual network, two subnets and a cluster (Azure Service Operator).
apiVersion: network.azure.com/v1api20240301
kind: VirtualNetwork
metadata:
  name: example-vnet
spec:
  location: westeurope
  owner:
    name: example-rg
  addressSpace:
    addressPrefixes: [10.42.0.0/16]
---
apiVersion: network.azure.com/v1api20240301
kind: VirtualNetworksSubnet
metadata:
  name: example-nodes
spec:
  owner:
    name: example-vnet
  addressPrefix: 10.42.0.0/20
---
apiVersion: network.azure.com/v1api20240301
kind: VirtualNetworksSubnet
metadata:
  name: example-ingress
spec:
  owner:
    name: example-vnet
  addressPrefix: 10.42.8.0/24  # mistake: inside example-nodes (10.42.0.0 - 10.42.15.255)
---
apiVersion: containerservice.azure.com/v20250801
kind: ManagedCluster
metadata:
  name: aks-example
spec:
  location: westeurope
  owner:
    name: example-rg
  dnsPrefix: aks-example
  networkProfile:
    networkPlugin: azure
    serviceCidr: 10.43.0.0/16
    dnsServiceIP: 10.43.0.10
  agentPoolProfiles:
    - name: system
      mode: System
      count: 3
      vmSize: Standard_D2s_v5
      osType: Linux
      maxPods: 30
      vnetSubnetReference:
        armId: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/example-rg/providers/Microsoft.Network/virtualNetworks/example-vnet/subnets/example-nodes
`;

/** The line the overlap is reported on (1-based, the line that says "mistake"): the walkthrough's media page names it. */
export const EXAMPLE_OVERLAP_LINE = EXAMPLE_YAML.split('\n').findIndex((line) => line.includes('# mistake')) + 1;
