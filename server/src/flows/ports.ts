// Port sets: for each protocol (SCTP, TCP, UDP) a sorted list of disjoint, non-adjacent port ranges.
// Sets are interned: equal sets are the same object, so union and intersection can be memoised by identity,
// which keeps the pairwise flow computation cheap.

export type Protocol = 'SCTP' | 'TCP' | 'UDP';

/** The protocols NetworkPolicy ports can name, in the order connections are printed (alphabetical). */
export const PROTOCOLS: readonly Protocol[] = ['SCTP', 'TCP', 'UDP'];

export const MIN_PORT = 1;
export const MAX_PORT = 65535;

/** An inclusive range of ports. */
export type PortRange = readonly [number, number];

/** The protocol of a NetworkPolicy or container port: upper-cased; undefined when not one of the three. */
export function parseProtocol(text: string | undefined): Protocol | undefined {
  if (text === undefined) return 'TCP';
  const upper = text.toUpperCase();
  return (PROTOCOLS as readonly string[]).includes(upper) ? (upper as Protocol) : undefined;
}

/** Sorts ranges, clips them to 1-65535 and joins overlapping and adjacent ones. */
function normalise(ranges: readonly PortRange[]): PortRange[] {
  const clipped = ranges
    .map(([low, high]): PortRange => [Math.max(low, MIN_PORT), Math.min(high, MAX_PORT)])
    .filter(([low, high]) => low <= high)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const [low, high] of clipped) {
    const last = merged[merged.length - 1];
    if (last && low <= last[1] + 1) last[1] = Math.max(last[1], high);
    else merged.push([low, high]);
  }
  return merged;
}

const rangesText = (ranges: readonly PortRange[]): string =>
  ranges.map(([low, high]) => (low === high ? `${low}` : `${low}-${high}`)).join(',');

/** An immutable, interned set of (protocol, port) pairs. Build with `PortSet.of` or the constants. */
export class PortSet {
  private static readonly interned = new Map<string, PortSet>();
  private static nextId = 0;
  /** Results by the other set's id: an array read is cheaper than a map lookup in the pairwise loop. */
  private readonly unions: (PortSet | undefined)[] = [];
  private readonly intersections: (PortSet | undefined)[] = [];
  private rendered: string | undefined;
  private inverse: PortSet | undefined;

  private constructor(
    /** Canonical text: equal sets have equal keys. */
    readonly key: string,
    readonly ranges: Readonly<Record<Protocol, readonly PortRange[]>>,
    readonly id: number,
  ) {}

  /** The set of the given ranges per protocol (any order, overlaps allowed). */
  static of(ranges: Partial<Record<Protocol, readonly PortRange[]>>): PortSet {
    const normalised = {
      SCTP: normalise(ranges.SCTP ?? []),
      TCP: normalise(ranges.TCP ?? []),
      UDP: normalise(ranges.UDP ?? []),
    };
    const key = PROTOCOLS.map((protocol) => `${protocol}:${rangesText(normalised[protocol])}`).join(' ');
    let set = PortSet.interned.get(key);
    if (!set) {
      set = new PortSet(key, normalised, PortSet.nextId++);
      PortSet.interned.set(key, set);
    }
    return set;
  }

  /** One protocol, the given ports or ranges. */
  static ports(protocol: Protocol, ...ranges: PortRange[]): PortSet {
    return PortSet.of({ [protocol]: ranges });
  }

  /** Every port of one protocol. */
  static protocol(protocol: Protocol): PortSet {
    return PortSet.of({ [protocol]: [[MIN_PORT, MAX_PORT]] });
  }

  static readonly EMPTY: PortSet = PortSet.of({});
  static readonly ALL: PortSet = PortSet.of({ SCTP: [[MIN_PORT, MAX_PORT]], TCP: [[MIN_PORT, MAX_PORT]], UDP: [[MIN_PORT, MAX_PORT]] });

  isEmpty(): boolean {
    return this === PortSet.EMPTY;
  }

  isAll(): boolean {
    return this === PortSet.ALL;
  }

  has(protocol: Protocol, port: number): boolean {
    return this.ranges[protocol].some(([low, high]) => low <= port && port <= high);
  }

  /** True when every (protocol, port) of `other` is in this set. */
  contains(other: PortSet): boolean {
    return other.intersect(this) === other;
  }

  union(other: PortSet): PortSet {
    if (other === this || other.isEmpty() || this.isAll()) return this;
    if (this.isEmpty() || other.isAll()) return other;
    let result = this.unions[other.id];
    if (!result) {
      result = PortSet.of({
        SCTP: [...this.ranges.SCTP, ...other.ranges.SCTP],
        TCP: [...this.ranges.TCP, ...other.ranges.TCP],
        UDP: [...this.ranges.UDP, ...other.ranges.UDP],
      });
      this.unions[other.id] = result;
      other.unions[this.id] = result;
    }
    return result;
  }

  intersect(other: PortSet): PortSet {
    if (other === this || other.isAll() || this.isEmpty()) return this;
    if (this.isAll() || other.isEmpty()) return other;
    let result = this.intersections[other.id];
    if (!result) {
      const both = (protocol: Protocol): PortRange[] => {
        const out: PortRange[] = [];
        const a = this.ranges[protocol];
        const b = other.ranges[protocol];
        let i = 0;
        let j = 0;
        while (i < a.length && j < b.length) {
          const low = Math.max(a[i]![0], b[j]![0]);
          const high = Math.min(a[i]![1], b[j]![1]);
          if (low <= high) out.push([low, high]);
          if (a[i]![1] < b[j]![1]) i++;
          else j++;
        }
        return out;
      };
      result = PortSet.of({ SCTP: both('SCTP'), TCP: both('TCP'), UDP: both('UDP') });
      this.intersections[other.id] = result;
      other.intersections[this.id] = result;
    }
    return result;
  }

  /** Every (protocol, port) not in this set (memoised: admin policies subtract in the pairwise work). */
  complement(): PortSet {
    if (this.inverse === undefined) {
      this.inverse = this.invert();
      this.inverse.inverse = this;
    }
    return this.inverse;
  }

  private invert(): PortSet {
    const inverse = (ranges: readonly PortRange[]): PortRange[] => {
      const out: PortRange[] = [];
      let next = MIN_PORT;
      for (const [low, high] of ranges) {
        if (low > next) out.push([next, low - 1]);
        next = high + 1;
      }
      if (next <= MAX_PORT) out.push([next, MAX_PORT]);
      return out;
    };
    return PortSet.of({ SCTP: inverse(this.ranges.SCTP), TCP: inverse(this.ranges.TCP), UDP: inverse(this.ranges.UDP) });
  }

  /** The ports of this set that are not in `other`. */
  minus(other: PortSet): PortSet {
    return this.intersect(other.complement());
  }

  /**
   * The connection as netpol-analyzer prints it: `All Connections`, `No Connections`, or protocol groups in
   * alphabetical order, each with its ports and ranges ascending: `TCP 10053-10054,UDP 10053`.
   */
  toString(): string {
    if (this.rendered === undefined) {
      if (this.isAll()) this.rendered = 'All Connections';
      else if (this.isEmpty()) this.rendered = 'No Connections';
      else {
        this.rendered = PROTOCOLS.filter((protocol) => this.ranges[protocol].length > 0)
          .map((protocol) => `${protocol} ${rangesText(this.ranges[protocol])}`)
          .join(',');
      }
    }
    return this.rendered;
  }
}
