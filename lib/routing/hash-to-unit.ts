/**
 * A sticky key's point in [0, 1): FNV-1a over the key's UTF-8 bytes, then murmur3's 32-bit finalizer so that
 * keys differing only in their last character ("user-1", "user-2") still land far apart. No randomness and no
 * per-process seed: every replica, and the same replica after a restart, computes the same point. Changing this
 * function re-shuffles every sticky assignment in production, so it is frozen; the test pins known values. Pure.
 */
export function hashToUnit(key: string, salt = ""): number {
  let h = 0x811c9dc5;
  const text = salt ? `${salt}\u0000${key}` : key;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    // UTF-8 encode on the fly (no TextEncoder allocation on the request path).
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    if (c < 0x80) h = fnv(h, c);
    else if (c < 0x800) h = fnv(fnv(h, 0xc0 | (c >> 6)), 0x80 | (c & 0x3f));
    else if (c < 0x10000) h = fnv(fnv(fnv(h, 0xe0 | (c >> 12)), 0x80 | ((c >> 6) & 0x3f)), 0x80 | (c & 0x3f));
    else {
      h = fnv(fnv(h, 0xf0 | (c >> 18)), 0x80 | ((c >> 12) & 0x3f));
      h = fnv(fnv(h, 0x80 | ((c >> 6) & 0x3f)), 0x80 | (c & 0x3f));
    }
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 0x1_0000_0000;
}

function fnv(h: number, byte: number): number {
  return Math.imul(h ^ byte, 0x01000193);
}
