// Address and count text, from bigints alone: shared by the server and the network map webview (no Node, no DOM).

/** An address as text: dotted quad, or the shortest IPv6 form (RFC 5952: lower case, longest zero run as '::'). */
export function formatAddress(value: bigint, family: 4 | 6): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((shift) => ((value >> shift) & 255n).toString()).join('.');
  const groups: string[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(((value >> shift) & 0xffffn).toString(16));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === '0') j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  if (bestStart < 0) return groups.join(':');
  return `${groups.slice(0, bestStart).join(':')}::${groups.slice(bestStart + bestLength).join(':')}`;
}

/** An exact count with thousands separators: 65536n -> "65,536". */
export function formatCount(count: bigint | number | string): string {
  return BigInt(count).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
