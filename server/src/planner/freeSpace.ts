// Free address space around what a workspace already uses: for quick fixes and Plan IPs.
import { aksDefaultRanges } from '../capacity/defaultRanges';
import { allocate, sortCidrs } from '../cidr/addressSpace';
import { type Cidr, cidr, overlaps, sameCidr } from '../cidr/cidr';
import { AKS_RESERVED_RANGES, AZURE_VNET_FORBIDDEN_RANGES, PRIVATE_ADDRESS_SPACES } from '../facts';
import type { NetworkModel } from '../model/network';
import { knownValues } from '../model/source';
import { namedRanges } from '../model/topology';

/** Private space AKS accepts for pod and service ranges, in order of preference. */
export const PRIVATE_SPACES: readonly Cidr[] = PRIVATE_ADDRESS_SPACES.value.map((space) => cidr(space));

/**
 * Every range the workspace uses or Azure and AKS reserve, in address order; `except` leaves out the range being
 * replaced. Collected and sorted once per model: each quick fix asks (and allocation then sorts an already
 * sorted list in linear time).
 */
export function usedRanges(model: NetworkModel, except?: Cidr): Cidr[] {
  let used = usedByModel.get(model);
  if (!used) {
    used = sortCidrs([
      ...namedRanges(model).map((named) => named.range.value),
      // A cluster that leaves its service or pod CIDR out uses AKS's default one.
      ...model.clusters.flatMap((cluster) => aksDefaultRanges(model, cluster).map((range) => range.range)),
      ...model.vnets.flatMap((vnet) => knownValues(vnet.addressSpace).map((v) => v.value)),
      ...AZURE_VNET_FORBIDDEN_RANGES.value.map((r) => cidr(r.cidr)),
      ...AKS_RESERVED_RANGES.value.map((r) => cidr(r.cidr)),
    ]);
    usedByModel.set(model, used);
  }
  return except ? used.filter((range) => !sameCidr(range, except)) : [...used];
}

const usedByModel = new WeakMap<NetworkModel, readonly Cidr[]>();

/** The first free aligned block of a prefix in the given spaces, clear of `used`. */
export function freeBlock(prefix: number, spaces: readonly Cidr[], used: readonly Cidr[]): Cidr | undefined {
  for (const space of spaces) {
    if (space.prefix > prefix) continue;
    const block = allocate(space, prefix, used);
    if (block && !used.some((range) => overlaps(range, block))) return block;
  }
  return undefined;
}
