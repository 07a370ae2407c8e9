// The free space inside a parent block, kept between allocations: many allocations in a row cost a heap
// operation each instead of recomputing every gap of the parent (addressSpace.ts's allocate does that per call).
import { addressBits, type Cidr } from './cidr';
import { freeGaps } from './addressSpace';

/** Aligned free blocks of one prefix length, lowest address first. */
class BlockHeap {
  private readonly networks: bigint[] = [];

  get size(): number {
    return this.networks.length;
  }

  push(network: bigint): void {
    const heap = this.networks;
    heap.push(network);
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (heap[parent]! <= heap[i]!) break;
      [heap[parent], heap[i]] = [heap[i]!, heap[parent]!];
      i = parent;
    }
  }

  popLowest(): bigint {
    const heap = this.networks;
    const lowest = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < heap.length && heap[left]! < heap[smallest]!) smallest = left;
        if (right < heap.length && heap[right]! < heap[smallest]!) smallest = right;
        if (smallest === i) break;
        [heap[smallest], heap[i]] = [heap[i]!, heap[smallest]!];
        i = smallest;
      }
    }
    return lowest;
  }
}

/**
 * Allocates blocks inside `parent` around `used`, choosing exactly what `allocate(parent, prefix, used)` would
 * with every earlier allocation added to `used`: the lowest address of the smallest free aligned block that fits.
 * The free space is the same list of aligned blocks freeGaps gives; taking a block off the start of a free block
 * leaves its buddies (one block of each size from the taken one up) free.
 */
export class FreeList {
  private readonly bits: number;
  /** Free blocks by prefix length. */
  private readonly free: BlockHeap[];

  constructor(
    private readonly parent: Cidr,
    used: readonly Cidr[],
  ) {
    this.bits = addressBits(parent.family);
    this.free = Array.from({ length: this.bits + 1 }, () => new BlockHeap());
    for (const gap of freeGaps(parent, used)) this.free[gap.prefix]!.push(gap.network);
  }

  /** An aligned block of the prefix that overlaps nothing used or allocated, or undefined when none is free. */
  allocate(prefix: number): Cidr | undefined {
    if (prefix < this.parent.prefix || prefix > this.bits) return undefined;
    for (let size = prefix; size >= this.parent.prefix; size--) {
      const heap = this.free[size]!;
      if (heap.size === 0) continue;
      const network = heap.popLowest();
      // What is left of the free block: the buddies of the taken block, up to the free block's size.
      for (let buddy = prefix; buddy > size; buddy--) this.free[buddy]!.push(network + (1n << BigInt(this.bits - buddy)));
      return { family: this.parent.family, network, prefix };
    }
    return undefined;
  }
}
