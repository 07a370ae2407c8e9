// One template, two environments: dev.bicepparam and prod.bicepparam give it its values. Each is checked on
// its own, and a finding a value causes is reported where the environment writes it (`netlens explain` lists them).
param nodeSubnetPrefix string
param nodeCount int

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: 'vnet-shop'
  properties: {
    addressSpace: {
      addressPrefixes: [
        '10.70.0.0/16'
      ]
    }
    subnets: [
      {
        name: 'aks-nodes'
        properties: {
          addressPrefix: nodeSubnetPrefix
        }
      }
    ]
  }
}

resource aks 'Microsoft.ContainerService/managedClusters@2024-09-01' = {
  name: 'aks-shop'
  properties: {
    networkProfile: {
      networkPlugin: 'azure'
      serviceCidr: '10.71.0.0/16'
      dnsServiceIP: '10.71.0.10'
    }
    agentPoolProfiles: [
      {
        name: 'system'
        mode: 'System'
        count: nodeCount
        maxPods: 30
        vnetSubnetID: vnet.properties.subnets[0].id
      }
    ]
  }
}
