// SYNTAX TEST "source.bicep.aks-network-lens" "keywords, decorators, comments, directives, literals, operators"

targetScope = 'subscription'
// <----------- keyword.control.declaration.bicep
//          ^ keyword.operator.assignment.bicep

metadata owner = 'network-team'
// <-------- keyword.control.declaration.bicep
//       ^^^^^ variable.other.readwrite.bicep

import { subnetType as snet } from './types.bicep'
// <------ keyword.control.declaration.bicep
//                  ^^ keyword.control.declaration.bicep
//                            ^^^^ keyword.control.declaration.bicep

extension microsoftGraph with { version: 1 } as graph
// <--------- keyword.control.declaration.bicep
//                       ^^^^ keyword.control.declaration.bicep
//                              ^^^^^^^ variable.other.property.bicep
//                                     ^ punctuation.separator.key-value.bicep
//                                           ^^ keyword.control.declaration.bicep

@description('Address space of the spoke VNet')
// <- meta.decorator.bicep punctuation.definition.decorator.bicep
//^^^^^^^^^^ meta.decorator.bicep entity.name.function.bicep
//          ^ - meta.decorator.bicep
//           ^ string.quoted.single.bicep punctuation.definition.string.begin.bicep
@sys.minLength(1)
// <- punctuation.definition.decorator.bicep
//^^ meta.decorator.bicep variable.other.readwrite.bicep
//  ^ meta.decorator.bicep punctuation.accessor.bicep
//   ^^^^^^^^^ meta.decorator.bicep entity.name.function.bicep
//             ^ constant.numeric.bicep
  @secure()
//^ punctuation.definition.decorator.bicep
// ^^^^^^ entity.name.function.bicep
param vnetAddressPrefix string = '10.240.0.0/16'
// <----- keyword.control.declaration.bicep
//    ^^^^^^^^^^^^^^^^^ variable.other.readwrite.bicep
//                      ^^^^^^ variable.other.readwrite.bicep

var subnets = [for (cidr, i) in prefixes: { name: 'snet-${i}', prefix: cidr }]
// <--- keyword.control.declaration.bicep
//             ^^^ keyword.control.declaration.bicep
//                           ^^ keyword.control.declaration.bicep
//                                          ^^^^ variable.other.property.bicep
//                                                             ^^^^^^ variable.other.property.bicep

resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' existing = {
// <-------- keyword.control.declaration.bicep
//       ^^^^ variable.other.readwrite.bicep
//            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ string.quoted.single.bicep
//                                                           ^^^^^^^^ keyword.control.declaration.bicep
  name: vnetName
//^^^^ variable.other.property.bicep
//    ^ punctuation.separator.key-value.bicep
  type: 'keys may be keywords'
//^^^^ variable.other.property.bicep - keyword
  if: true
//^^ variable.other.property.bicep - keyword
//    ^^^^ constant.language.bicep
}

module spoke './spoke.bicep' = if (deploySpoke) {
// <------ keyword.control.declaration.bicep
//                             ^^ keyword.control.declaration.bicep
  params: {
    addressPrefixes: [vnetAddressPrefix, 'fd12:3456:789a::/64']
//  ^^^^^^^^^^^^^^^ variable.other.property.bicep
  }
}

output snetId string = vnet::snetNodes.id
// <------ keyword.control.declaration.bicep
//                         ^^ punctuation.accessor.bicep
//                                    ^ punctuation.accessor.bicep
//                                     ^^ variable.other.readwrite.bicep - keyword

output kind string = vnet.properties.type
//                                   ^^^^ variable.other.readwrite.bicep - keyword

type cidrList = string[]
// <---- keyword.control.declaration.bicep

func half(n int) int => n / 2
// <---- keyword.control.declaration.bicep
//   ^^^^ entity.name.function.bicep
//                   ^^ storage.type.function.arrow.bicep
//                        ^ keyword.operator.arithmetic.bicep
//                          ^ constant.numeric.bicep

var count = length(subnets) + 42 - half(-1)
//          ^^^^^^ entity.name.function.bicep
//                 ^^^^^^^ variable.other.readwrite.bicep
//                            ^^ constant.numeric.bicep
//                                 ^^^^ entity.name.function.bicep
var ok = !empty(x) && (a == b || c != d) ? x.?y ?? null : false
//       ^ keyword.operator.logical.bicep
//                 ^^ keyword.operator.logical.bicep
//                       ^^ keyword.operator.comparison.bicep
//                            ^^ keyword.operator.logical.bicep
//                                 ^^ keyword.operator.comparison.bicep
//                                       ^ keyword.operator.ternary.bicep
//                                          ^^ punctuation.accessor.optional.bicep
//                                              ^^ keyword.operator.logical.bicep
//                                                 ^^^^ constant.language.bicep
//                                                      ^ keyword.operator.ternary.bicep
//                                                        ^^^^^ constant.language.bicep
var merged = { ...base, extra: 1 }
//             ^^^ keyword.operator.spread.bicep
//                      ^^^^^ variable.other.property.bicep
var last = prefixes[^1]
//                  ^ keyword.operator.from-end.bicep
var a1b2 = 10 + 0
//  ^^^^ variable.other.readwrite.bicep - constant.numeric.bicep
//         ^^ constant.numeric.bicep

// A line comment: param var resource 'not a string'
// <-- comment.line.double-slash.bicep
//  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.line.double-slash.bicep - keyword string
/* A block comment
   param x string = 'still a comment'
// ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.block.bicep - keyword string
*/ var afterComment = 1
// <-- comment.block.bicep
// ^^^ keyword.control.declaration.bicep
var inline = /* note */ 3 // trailing
//           ^^^^^^^^^^ comment.block.bicep
//                      ^ constant.numeric.bicep
//                        ^^^^^^^^^^^ comment.line.double-slash.bicep

#disable-next-line BCP036 no-unused-params // why
// <------------------ meta.directive.bicep keyword.control.directive.bicep
//                 ^^^^^^ meta.directive.bicep variable.other.directive.bicep
//                        ^^^^^^^^^^^^^^^^ meta.directive.bicep variable.other.directive.bicep
//                                         ^^^^^^ comment.line.double-slash.bicep
