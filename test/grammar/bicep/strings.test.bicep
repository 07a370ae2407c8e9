// SYNTAX TEST "source.bicep.aks-network-lens" "strings: escapes, interpolation, multi-line"

var plain = 'aks-${env}-vnet'
//          ^ string.quoted.single.bicep punctuation.definition.string.begin.bicep
//           ^^^^ string.quoted.single.bicep - meta.template.expression.bicep
//               ^^ string.quoted.single.bicep meta.template.expression.bicep punctuation.definition.template-expression.begin.bicep
//                 ^^^ string.quoted.single.bicep meta.template.expression.bicep variable.other.readwrite.bicep
//                    ^ string.quoted.single.bicep meta.template.expression.bicep punctuation.definition.template-expression.end.bicep
//                     ^^^^^ string.quoted.single.bicep - meta.template.expression.bicep
//                          ^ string.quoted.single.bicep punctuation.definition.string.end.bicep

var nested = '${toLower(name)}-${empty(suffix) ? 'x' : '${suffix}'}' // done
//              ^^^^^^^ meta.template.expression.bicep entity.name.function.bicep
//                                             ^ meta.template.expression.bicep keyword.operator.ternary.bicep
//                                               ^^^ meta.template.expression.bicep string.quoted.single.bicep
//                                                      ^^ string.quoted.single.bicep meta.template.expression.bicep string.quoted.single.bicep meta.template.expression.bicep punctuation.definition.template-expression.begin.bicep
//                                                        ^^^^^^ string.quoted.single.bicep meta.template.expression.bicep string.quoted.single.bicep meta.template.expression.bicep variable.other.readwrite.bicep
//                                                              ^ string.quoted.single.bicep meta.template.expression.bicep string.quoted.single.bicep meta.template.expression.bicep punctuation.definition.template-expression.end.bicep
//                                                               ^ string.quoted.single.bicep meta.template.expression.bicep string.quoted.single.bicep punctuation.definition.string.end.bicep
//                                                                ^ string.quoted.single.bicep meta.template.expression.bicep punctuation.definition.template-expression.end.bicep
//                                                                 ^ string.quoted.single.bicep punctuation.definition.string.end.bicep
//                                                                   ^^^^^^^ comment.line.double-slash.bicep - string

var escapes = 'it\'s \\ \n \r \t \$ \${notAHole} \u{1F600} \q'
//               ^^ constant.character.escape.bicep
//                   ^^ constant.character.escape.bicep
//                      ^^ constant.character.escape.bicep
//                         ^^ constant.character.escape.bicep
//                            ^^ constant.character.escape.bicep
//                               ^^ constant.character.escape.bicep
//                                  ^^ constant.character.escape.bicep
//                                    ^^^^^^^^^^ string.quoted.single.bicep - meta.template.expression.bicep
//                                               ^^^^^^^^^ constant.character.escape.bicep
//                                                         ^^ invalid.illegal.escape.bicep
//                                                           ^ string.quoted.single.bicep punctuation.definition.string.end.bicep

var unterminated = 'no closing quote
//                 ^^^^^^^^^^^^^^^^^ string.quoted.single.bicep
var afterUnterminated = 1
// <--- keyword.control.declaration.bicep - string
//                      ^ constant.numeric.bicep

var raw = '''
//        ^^^ string.quoted.multi.bicep punctuation.definition.string.begin.bicep
  raw text: ${notAHole} \n param 'quotes' '' // not a comment
//^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ string.quoted.multi.bicep - meta.template.expression.bicep constant.character.escape.bicep keyword comment variable
''''
// <- string.quoted.multi.bicep - punctuation.definition.string.end.bicep
// <~--- string.quoted.multi.bicep punctuation.definition.string.end.bicep
var afterRaw = true
// <--- keyword.control.declaration.bicep - string
//             ^^^^ constant.language.bicep

var oneLine = '''single line''' // comment
//            ^^^^^^^^^^^^^^^^^ string.quoted.multi.bicep
//                              ^^^^^^^^^^ comment.line.double-slash.bicep - string

var interp = $'''
//           ^^^^ string.quoted.multi.bicep punctuation.definition.string.begin.bicep
  name: ${name}, literal \n
//^^^^^ string.quoted.multi.bicep - variable.other.property.bicep
//      ^^ string.quoted.multi.bicep meta.template.expression.bicep punctuation.definition.template-expression.begin.bicep
//        ^^^^ string.quoted.multi.bicep meta.template.expression.bicep variable.other.readwrite.bicep
//            ^ string.quoted.multi.bicep meta.template.expression.bicep punctuation.definition.template-expression.end.bicep
//                       ^^ string.quoted.multi.bicep - constant.character.escape.bicep
'''
// <--- string.quoted.multi.bicep punctuation.definition.string.end.bicep

var twoDollars = $$'''
//               ^^^^^ string.quoted.multi.bicep punctuation.definition.string.begin.bicep
  ${literal} $${hole}
//^^^^^^^^^^^ string.quoted.multi.bicep - meta.template.expression.bicep
//           ^^^ string.quoted.multi.bicep meta.template.expression.bicep punctuation.definition.template-expression.begin.bicep
//              ^^^^ string.quoted.multi.bicep meta.template.expression.bicep variable.other.readwrite.bicep
'''

var threeDollars = $$$'''
//                 ^^^^^^ string.quoted.multi.bicep punctuation.definition.string.begin.bicep
  ${a} $${b} $$${c}
//^^^^^^^^^^^ string.quoted.multi.bicep - meta.template.expression.bicep
//           ^^^^ string.quoted.multi.bicep meta.template.expression.bicep punctuation.definition.template-expression.begin.bicep
//               ^ string.quoted.multi.bicep meta.template.expression.bicep variable.other.readwrite.bicep
'''

var fourDollars = $$$$'''
//                ^^^^^^^ string.quoted.multi.bicep punctuation.definition.string.begin.bicep
  $$$${shownWithoutHoles}
//^^^^^^^^^^^^^^^^^^^^^^^ string.quoted.multi.bicep - meta.template.expression.bicep
'''
var afterAll = 0
// <--- keyword.control.declaration.bicep - string
