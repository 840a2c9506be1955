// Domain text for the link inspector in the browser (netwise/content/links.py: normalize, to_unicode).
//
// The answer key (each link's registrable domain, from the Public Suffix List) is computed in
// Python at export time and comes with the activity (netwise.site.keys), so no suffix list ships
// here. What remains is the learner's side: putting a picked domain in comparable ASCII form and
// showing it back in Unicode. Labels of the lesson's own links come with a table (`known`, ASCII
// and Unicode forms as Python's IDNA library wrote them); any other non-ASCII label goes through
// the browser's own IDNA (WHATWG URL) and any other xn-- label through the punycode decoder below.

function isAscii(text) {
  return /^[\x00-\x7f]*$/.test(text);
}

function asciiLabel(label, known) {
  if (isAscii(label)) return label.toLowerCase();
  if (known.ascii && Object.hasOwn(known.ascii, label)) return known.ascii[label];
  try {
    const host = new URL(`http://${label}/`).hostname;
    if (host && !host.includes(".")) return host;
  } catch {
    // not a label a browser accepts: kept as typed, as Python's fallback does
  }
  return label.toLowerCase();
}

/** A domain typed or picked by a learner, in comparable form ("" if unusable). */
export function normalize(domain, known = {}) {
  if (typeof domain !== "string" || !domain.trim() || [...domain].length > 253) return "";
  return toAscii(domain.trim().toLowerCase(), known);
}

export function toAscii(host, known = {}) {
  return host
    .trim()
    .replace(/^\.+|\.+$/g, "")
    .split(".")
    .filter(Boolean)
    .map((label) => asciiLabel(label, known))
    .join(".");
}

function unicodeLabel(label, known) {
  if (!label.toLowerCase().startsWith("xn--")) return label;
  if (known.unicode && Object.hasOwn(known.unicode, label)) return known.unicode[label];
  try {
    return decodePunycode(label.slice(4).toLowerCase());
  } catch {
    return label;
  }
}

/** A host as it looks on screen (xn-- labels decoded). */
export function toUnicode(host, known = {}) {
  return host
    .split(".")
    .filter(Boolean)
    .map((label) => unicodeLabel(label, known))
    .join(".");
}

// RFC 3492 punycode decoding (the part after "xn--"); throws on a malformed label.
const BASE = 36;
const T_MIN = 1;
const T_MAX = 26;
const SKEW = 38;
const DAMP = 700;

function adapt(delta, points, first) {
  delta = first ? Math.floor(delta / DAMP) : delta >> 1;
  delta += Math.floor(delta / points);
  let k = 0;
  while (delta > ((BASE - T_MIN) * T_MAX) >> 1) {
    delta = Math.floor(delta / (BASE - T_MIN));
    k += BASE;
  }
  return k + Math.floor(((BASE - T_MIN + 1) * delta) / (delta + SKEW));
}

function digit(code) {
  if (code >= 48 && code <= 57) return code - 22; // 0-9 -> 26-35
  if (code >= 97 && code <= 122) return code - 97; // a-z -> 0-25
  throw new Error("bad punycode digit");
}

export function decodePunycode(input) {
  const out = [];
  const dash = input.lastIndexOf("-");
  for (let j = 0; j < Math.max(dash, 0); j++) {
    if (input.charCodeAt(j) >= 0x80) throw new Error("non-basic code point");
    out.push(input.charCodeAt(j));
  }
  let n = 128;
  let bias = 72;
  let i = 0;
  for (let pos = dash > 0 ? dash + 1 : 0; pos < input.length; ) {
    const old = i;
    for (let w = 1, k = BASE; ; k += BASE) {
      if (pos >= input.length) throw new Error("truncated punycode");
      const d = digit(input.charCodeAt(pos++));
      i += d * w;
      const t = k <= bias ? T_MIN : k >= bias + T_MAX ? T_MAX : k - bias;
      if (d < t) break;
      w *= BASE - t;
      if (w > 0x7fffffff) throw new Error("punycode overflow");
    }
    bias = adapt(i - old, out.length + 1, old === 0);
    n += Math.floor(i / (out.length + 1));
    i %= out.length + 1;
    if (n > 0x10ffff) throw new Error("punycode overflow");
    out.splice(i++, 0, n);
  }
  return String.fromCodePoint(...out);
}
