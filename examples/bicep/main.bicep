// A spoke network and an AKS cluster on Azure CNI Overlay, deployed together.
targetScope = 'resourceGroup'

@description('Address space of the spoke virtual network.')
param spokeAddressSpace string = '10.60.0.0/16'

@description('Pod range for Azure CNI Overlay: outside the VNet.')
param podCidr string = '10.244.0.0/16'

param location string = resourceGroup().location

module spoke './network.bicep' = {
  name: 'spoke-network'
  params: {
    location: location
    addressSpace: spokeAddressSpace
  }
}

resource aks 'Microsoft.ContainerService/managedClusters@2024-09-01' = {
  name: 'aks-bicep-demo'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    dnsPrefix: 'aks-bicep-demo'
    agentPoolProfiles: [
      {
        name: 'system'
        mode: 'System'
        count: 3
        vmSize: 'Standard_D4s_v5'
        osType: 'Linux'
        maxPods: 110
        vnetSubnetID: spoke.outputs.nodeSubnetId
      }
    ]
    networkProfile: {
      networkPlugin: 'azure'
      networkPluginMode: 'overlay'
      podCidr: podCidr
      serviceCidr: cidrSubnet(spokeAddressSpace, 20, 15) // mistake: the service range is carved out of the spoke VNet
      dnsServiceIP: '10.60.240.10'
    }
  }
}
