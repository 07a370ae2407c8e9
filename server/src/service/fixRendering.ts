// Writing a fix's edit in the syntax the value has where it is written. A rule says what the value must become (a
// CIDR, an IP); where the file computes it with Bicep's cidrHost() or cidrSubnet() and a literal index, the edit
// changes the index, so the value keeps its link to the parameter it is computed from:
// `dnsServiceIP: cidrHost(serviceCidr, 0)` becomes `cidrHost(serviceCidr, 9)`, not the literal '10.0.0.10'. Terraform's
// cidrhost() and cidrsubnet() move the same way: one more index, one more address or block, whatever the index starts at.
import { type Cidr, containsCidr, containsIp, parseCidr, parseIp } from '../cidr/cidr';
import type { NetworkModel, TextEdit } from '../model/network';

/** A call whose last argument is a whole-number literal: the function, everything before the index, the index. */
const INDEXED_CALL = /^(cidrHost|cidrSubnet|cidrhost|cidrsubnet)(\([\s\S]*,\s*)(\d+)(\s*\))$/;

/** Terraform's cidrsubnet(prefix, newbits, netnum): both numbers can move, so a fix may also change the size. */
const TERRAFORM_SUBNET_CALL = /^cidrsubnet(\(\s*[^,()]+?\s*,)\s*(\d+)\s*,\s*(\d+)\s*\)$/;

/** The edit as it should be written into `written` (the text at the edit's source now). */
export function renderEdit(model: NetworkModel, edit: TextEdit, written: string): TextEdit {
  const terraform = TERRAFORM_SUBNET_CALL.exec(written.trim());
  if (terraform) return terraformSubnet(model, edit, written, terraform[1]!) ?? edit;
  const call = INDEXED_CALL.exec(written.trim());
  if (!call) return edit;
  const [, name, head, index, tail] = call;
  // The value the call gives now: one, or the call stands for several (a loop), and no one index fits them all.
  const values = new Set(
    model.addressLiterals
      .filter((l) => l.source.uri === edit.source.uri && l.source.start === edit.source.start && l.source.end === edit.source.end && l.parse.ok)
      .map((l) => l.parse.text),
  );
  if (values.size !== 1) return edit;
  const [now] = values;
  const wanted = edit.newText.replace(/^'(.*)'$|^"(.*)"$/, '$1$2');
  const host = name === 'cidrHost' || name === 'cidrhost';
  const step = host ? hostStep(now!, wanted) : subnetStep(now!, wanted);
  if (step === undefined) return edit;
  const next = BigInt(index!) + step;
  // The new index must stay inside the block the call takes (else the call fails and the literal is the fix).
  const block = blockArgument(model, edit.source, written, head!);
  if (next < 0n || !block || !inside(block, wanted, host)) return edit;
  return { source: edit.source, newText: `${name}${head}${next}${tail}` };
}

/**
 * A block written as Terraform's `cidrsubnet(prefix, newbits, netnum)` whatever its size: the block the fix wants, as
 * new bits and a number inside the same first argument (`cidrsubnet(var.vnet_cidr, 12, 1)` to grow into a /24 becomes
 * `cidrsubnet(var.vnet_cidr, 8, 0)`), or undefined when it is not inside it.
 */
function terraformSubnet(model: NetworkModel, edit: TextEdit, written: string, head: string): TextEdit | undefined {
  const block = blockArgument(model, edit.source, written, head);
  const wanted = parseCidr(edit.newText.replace(/^"(.*)"$/, '$1'));
  if (!block || !wanted.ok || wanted.cidr.family !== block.family || !containsCidr(block, wanted.cidr)) return undefined;
  const bits = block.family === 4 ? 32 : 128;
  const netnum = (wanted.cidr.network - block.network) >> BigInt(bits - wanted.cidr.prefix);
  return { source: edit.source, newText: `cidrsubnet${head} ${wanted.cidr.prefix - block.prefix}, ${netnum})` };
}

/** The call's first argument, evaluated: a quoted literal, or a parameter or variable use the evaluator recorded. */
function blockArgument(model: NetworkModel, source: TextEdit['source'], written: string, head: string): Cidr | undefined {
  const argument = /^\(\s*([^,()]+?)\s*,/.exec(head);
  if (!argument) return undefined;
  const text = argument[1]!;
  const quoted = /^'([^']*)'$|^"([^"]*)"$/.exec(text);
  if (quoted) {
    const parsed = parseCidr(quoted[1] ?? quoted[2]!);
    return parsed.ok ? parsed.cidr : undefined;
  }
  const start = source.start + (written.length - written.trimStart().length) + written.trimStart().indexOf(text);
  const values = new Set(model.valueUses.filter((u) => u.source.uri === source.uri && u.source.start === start && u.source.end === start + text.length).flatMap((u) => u.values));
  if (values.size !== 1) return undefined;
  const parsed = parseCidr([...values][0]!);
  return parsed.ok ? parsed.cidr : undefined;
}

/** True when the wanted host (after the network address) or block lies inside the block. */
function inside(block: Cidr, wanted: string, host: boolean): boolean {
  if (host) {
    const ip = parseIp(wanted);
    return ip.ok && ip.ip.family === block.family && ip.ip.value > block.network && containsIp(block, ip.ip);
  }
  const sub = parseCidr(wanted);
  return sub.ok && containsCidr(block, sub.cidr);
}

/** How many addresses on the wanted IP is from the current one. */
function hostStep(now: string, wanted: string): bigint | undefined {
  const from = parseIp(now);
  const to = parseIp(wanted);
  if (!from.ok || !to.ok || from.ip.family !== to.ip.family) return undefined;
  return to.ip.value - from.ip.value;
}

/** How many blocks of the same size on the wanted block is from the current one. */
function subnetStep(now: string, wanted: string): bigint | undefined {
  const from = parseCidr(now);
  const to = parseCidr(wanted);
  if (!from.ok || !to.ok || from.cidr.family !== to.cidr.family || from.cidr.prefix !== to.cidr.prefix) return undefined;
  const size = 1n << BigInt((from.cidr.family === 4 ? 32 : 128) - from.cidr.prefix);
  const distance = to.cidr.network - from.cidr.network;
  return distance % size === 0n ? distance / size : undefined;
}
