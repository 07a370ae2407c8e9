# SYNTAX TEST "source.hcl.terraform" "CIDR and IP injection in Terraform strings"
# Uses test/grammar/terraform.tmLanguage.json, a minimal test-only stand-in for HashiCorp's grammar.
  address_space = ["10.60.0.0/16"]
#                   ^^^^^^^^^^^^ string.quoted.double.hcl constant.numeric.cidr.aks-network-lens
  dns_service_ip = "172.16.0.10"
#                   ^^^^^^^^^^^ string.quoted.double.hcl constant.numeric.ip-address.aks-network-lens
  prefix = "fd00::/64"
#           ^^^^^^^^^ string.quoted.double.hcl constant.numeric.cidr.aks-network-lens
  # the old range was 10.1.0.0/16
#                    ^^^^^^^^^^^ comment.line.number-sign.hcl - constant.numeric.cidr.aks-network-lens
  // and 10.2.0.0/16 before it
#        ^^^^^^^^^^^ comment.line.double-slash.hcl - constant.numeric.cidr.aks-network-lens
  version = "1.29.2"
#            ^^^^^^ string.quoted.double.hcl - constant.numeric.cidr.aks-network-lens constant.numeric.ip-address.aks-network-lens
