# A spoke for one AKS cluster, written in Terraform (azurerm provider v4).
# The node subnet is carved with cidrsubnet(): 12 new bits on a /16 give a /28, far too
# small for Azure CNI's 3 nodes x 31 addresses. AKS Network Lens says so while you type.

variable "vnet_cidr" {
  type    = string
  default = "10.60.0.0/16"
}

variable "node_count" {
  type    = number
  default = 3
}

locals {
  node_subnet  = cidrsubnet(var.vnet_cidr, 12, 1) # mistake: a /28 (11 usable) for 124 addresses
  ingress_cidr = cidrsubnet(var.vnet_cidr, 8, 10)
}

resource "azurerm_virtual_network" "spoke" {
  name                = "vnet-spoke-tf"
  location            = "westeurope"
  resource_group_name = "rg-spoke-tf"
  address_space       = [var.vnet_cidr]
}

resource "azurerm_subnet" "nodes" {
  name                 = "snet-nodes"
  resource_group_name  = "rg-spoke-tf"
  virtual_network_name = azurerm_virtual_network.spoke.name
  address_prefixes     = [local.node_subnet]
}

resource "azurerm_subnet" "ingress" {
  name                 = "snet-ingress"
  resource_group_name  = "rg-spoke-tf"
  virtual_network_name = azurerm_virtual_network.spoke.name
  address_prefixes     = [local.ingress_cidr]
}

resource "azurerm_kubernetes_cluster" "aks" {
  name                = "aks-spoke-tf"
  location            = "westeurope"
  resource_group_name = "rg-spoke-tf"
  dns_prefix          = "aks-spoke-tf"

  default_node_pool {
    name           = "system"
    vm_size        = "Standard_D4ds_v5"
    node_count     = var.node_count
    max_pods       = 30
    vnet_subnet_id = azurerm_subnet.nodes.id
  }

  network_profile {
    network_plugin = "azure"
    service_cidr   = "172.16.0.0/16"
    dns_service_ip = "172.16.0.10"
  }

  identity {
    type = "SystemAssigned"
  }
}
