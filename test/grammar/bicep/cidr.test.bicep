// SYNTAX TEST "source.bicep.aks-network-lens" "CIDR and IP injection inside Bicep strings"

param vnetPrefix string = '10.224.0.0/12'
//                         ^^^^^^^^^^^^^ string.quoted.single.bicep constant.numeric.cidr.aks-network-lens
//                        ^ string.quoted.single.bicep - constant.numeric.cidr.aks-network-lens
param dnsServiceIp string = '10.0.0.10'
//                           ^^^^^^^^^ string.quoted.single.bicep constant.numeric.ip-address.aks-network-lens
var v6 = ['fd12:3456:789a::/64', '::/0', 'fe80::1', '::1', '2001:db8:0:0:0:ff00:42:8329', 'fd00::']
//         ^^^^^^^^^^^^^^^^^^^ constant.numeric.cidr.aks-network-lens
//                                ^^^^ constant.numeric.cidr.aks-network-lens
//                                        ^^^^^^^ constant.numeric.ip-address.aks-network-lens
//                                                   ^^^ constant.numeric.ip-address.aks-network-lens
//                                                          ^^^^^^^^^^^^^^^^^^^^^^^^^^^ constant.numeric.ip-address.aks-network-lens
//                                                                                         ^^^^^^ constant.numeric.ip-address.aks-network-lens
var inInterpolation = '${cidrSubnet('10.0.0.0/16', 24, 0)}/x ${prefix}.0.0.0/8'
//                                   ^^^^^^^^^^^ string.quoted.single.bicep meta.template.expression.bicep string.quoted.single.bicep constant.numeric.cidr.aks-network-lens
//                                                 ^^ constant.numeric.bicep - constant.numeric.cidr.aks-network-lens constant.numeric.ip-address.aks-network-lens
//                                                                    ^^^^^^^^ - constant.numeric.cidr.aks-network-lens constant.numeric.ip-address.aks-network-lens
var multi = '''
  range 172.16.0.0/12 and host 192.168.1.1 in a raw string
//      ^^^^^^^^^^^^^ string.quoted.multi.bicep constant.numeric.cidr.aks-network-lens
//                             ^^^^^^^^^^^ string.quoted.multi.bicep constant.numeric.ip-address.aks-network-lens
'''

// Comments keep the plain comment colour: 10.0.0.0/8 fd00::/8 10.0.0.1
var afterComment = 1 // 10.0.0.0/8 and 10.0.0.1
//                      ^^^^^^^^^^ comment.line.double-slash.bicep - constant.numeric.cidr.aks-network-lens constant.numeric.ip-address.aks-network-lens
//                                     ^^^^^^^^ comment.line.double-slash.bicep - constant.numeric.cidr.aks-network-lens constant.numeric.ip-address.aks-network-lens
/* block 10.0.0.0/8 fe80::1 */ var afterBlock = 2
//       ^^^^^^^^^^ comment.block.bicep - constant.numeric.cidr.aks-network-lens constant.numeric.ip-address.aks-network-lens
//                  ^^^^^^^ comment.block.bicep - constant.numeric.cidr.aks-network-lens constant.numeric.ip-address.aks-network-lens

// Outside strings Bicep has no IP literals; the nested-resource accessor is no IPv6 address.
output id string = vnet::snet.id
//                 ^^^^^^^^^^ - constant.numeric.cidr.aks-network-lens constant.numeric.ip-address.aks-network-lens
output id2 string = '${ab::cd.id}'
//                     ^^^^^^ - constant.numeric.cidr.aks-network-lens constant.numeric.ip-address.aks-network-lens

// Look-alikes inside strings stay plain.
var lookAlikes = ['1.2.3', '2023-11-01', '12:30', '12:30:45', 'deadbeef', 'cafe:babe', 'dead::beef', 'v1.2.3.4', '1.2.3.4.5']
//                 ^^^^^ - constant.numeric.cidr.aks-network-lens constant.numeric.ip-address.aks-network-lens
//                          ^^^^^^^^^^ - constant.numeric.cidr.aks-network-lens constant.numeric.ip-address.aks-network-lens
//                                        ^^^^^ - constant.numeric.cidr.aks-network-lens constant.numeric.ip-address.aks-network-lens
//                                                 ^^^^^^^^ - constant.numeric.cidr.aks-network-lens constant.numeric.ip-address.aks-network-lens
//                                                             ^^^^^^^^ - constant.numeric.cidr.aks-network-lens constant.numeric.ip-address.aks-network-lens
//                                                                         ^^^^^^^^^ - constant.numeric.cidr.aks-network-lens constant.numeric.ip-address.aks-network-lens
//                                                                                      ^^^^^^^^^^ - constant.numeric.cidr.aks-network-lens constant.numeric.ip-address.aks-network-lens
//                                                                                                    ^^^^^^^^ - constant.numeric.cidr.aks-network-lens constant.numeric.ip-address.aks-network-lens
//                                                                                                                ^^^^^^^^^ - constant.numeric.cidr.aks-network-lens constant.numeric.ip-address.aks-network-lens
var template = { contentVersion: '1.0.0.0', ip: '1.0.0.0' }
//                                ^^^^^^^ - constant.numeric.cidr.aks-network-lens constant.numeric.ip-address.aks-network-lens
//                                               ^^^^^^^ constant.numeric.ip-address.aks-network-lens
var apiVersion = 'Microsoft.Network/virtualNetworks@2023-11-01'
//                ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ - constant.numeric.cidr.aks-network-lens constant.numeric.ip-address.aks-network-lens
var invalid = ['10.0.0.0/33', '256.1.1.1', '10.0.0.01', 'fd00::/129', '1:2:3:4:5:6:7']
//              ^^^^^^^^^^^ - constant.numeric.cidr.aks-network-lens constant.numeric.ip-address.aks-network-lens
//                             ^^^^^^^^^ - constant.numeric.cidr.aks-network-lens constant.numeric.ip-address.aks-network-lens
//                                          ^^^^^^^^^ - constant.numeric.cidr.aks-network-lens constant.numeric.ip-address.aks-network-lens
//                                                       ^^^^^^^^^^ - constant.numeric.cidr.aks-network-lens constant.numeric.ip-address.aks-network-lens
//                                                                     ^^^^^^^^^^^^^ - constant.numeric.cidr.aks-network-lens constant.numeric.ip-address.aks-network-lens
