// The spoke network: node, ingress and private endpoint subnets, carved out of the address space.
param location string
param addressSpace string

resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: 'vnet-spoke-demo'
  location: location
  properties: {
    addressSpace: {
      addressPrefixes: [
        addressSpace
      ]
    }
    subnets: [
      {
        name: 'snet-nodes'
        properties: {
          addressPrefix: cidrSubnet(addressSpace, 22, 0)
        }
      }
      {
        name: 'snet-ingress'
        properties: {
          addressPrefix: cidrSubnet(addressSpace, 24, 3) // mistake: 10.60.3.0/24 is inside snet-nodes (10.60.0.0/22)
        }
      }
      {
        name: 'snet-private-endpoints'
        properties: {
          addressPrefix: cidrSubnet(addressSpace, 24, 4)
        }
      }
    ]
  }
}

output nodeSubnetId string = resourceId('Microsoft.Network/virtualNetworks/subnets', vnet.name, 'snet-nodes')
