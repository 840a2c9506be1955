// The kernel connection: one websocket to jupyter_server's /api/kernels/<id>/channels,
// speaking its "v1.kernel.websocket.jupyter.org" protocol (binary frames: offsets, the channel
// name, header, parent header, metadata, content, then any buffers). Nothing from JupyterLab.
//
// Only what a lesson page sends: comm_open (the widget control comm), comm_msg, comm_close.
// The server refuses anything else (netwise/app/channels.py); no execute_request ever.

export const PROTOCOL = "v1.kernel.websocket.jupyter.org";
const VERSION = "5.3";
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function uuid() {
  if (globalThis.crypto && crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
  return Array.from({ length: 32 }, () => Math.floor(Math.random() * 16).toString(16)).join("");
}

// Offsets are 64-bit little-endian; a message is far below 4 GiB, so the high words are 0.
export function encode(channel, parts) {
  const name = encoder.encode(channel);
  const count = parts.length + 2;
  const offsets = [8 * (count + 1), 8 * (count + 1) + name.byteLength];
  for (const part of parts) offsets.push(offsets[offsets.length - 1] + part.byteLength);
  const out = new Uint8Array(offsets[offsets.length - 1]);
  const view = new DataView(out.buffer);
  view.setUint32(0, count, true);
  offsets.forEach((offset, i) => view.setUint32(8 * (i + 1), offset, true));
  out.set(name, offsets[0]);
  parts.forEach((part, i) => out.set(part, offsets[i + 1]));
  return out;
}

export function decode(data) {
  const view = new DataView(data);
  const count = view.getUint32(0, true);
  const offsets = [];
  for (let i = 0; i < count; i++) offsets.push(view.getUint32(8 * (i + 1), true));
  const slice = (i) => new Uint8Array(data, offsets[i], offsets[i + 1] - offsets[i]);
  const channel = decoder.decode(slice(0));
  const parts = [];
  for (let i = 1; i < count - 1; i++) parts.push(slice(i));
  const json = (part) => JSON.parse(decoder.decode(part) || "{}");
  return {
    channel,
    header: json(parts[0]),
    parent_header: json(parts[1]),
    metadata: json(parts[2]),
    content: json(parts[3]),
    buffers: parts.slice(4).map((p) => new DataView(p.buffer, p.byteOffset, p.byteLength)),
  };
}

function bytes(buffer) {
  if (buffer instanceof Uint8Array) return buffer;
  if (ArrayBuffer.isView(buffer)) return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  return new Uint8Array(buffer);
}

// status: "connecting" | "connected" | "disconnected" | "gone" (the server says the kernel is not there)
export class KernelConnection {
  constructor({ baseUrl, kernelId }) {
    this.baseUrl = baseUrl || "/";
    this.kernelId = kernelId;
    this.session = uuid();
    this.status = "disconnected";
    this.socket = null;
    this.handlers = new Set();
    this.statusHandlers = new Set();
    this.queue = [];
    this.closing = false;
  }

  get url() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    return `${scheme}//${location.host}${this.baseUrl}api/kernels/${encodeURIComponent(this.kernelId)}/channels?session_id=${this.session}`;
  }

  onMessage(handler) { this.handlers.add(handler); }
  onStatus(handler) { this.statusHandlers.add(handler); }

  _setStatus(status) {
    if (this.status === status) return;
    this.status = status;
    for (const handler of this.statusHandlers) handler(status);
  }

  connect() {
    if (this.socket || this.status === "gone") return;
    this._setStatus("connecting");
    const socket = new WebSocket(this.url, [PROTOCOL]);
    socket.binaryType = "arraybuffer";
    this.socket = socket;
    socket.onopen = () => {
      this._setStatus("connected");
      const waiting = this.queue;
      this.queue = [];
      for (const frame of waiting) socket.send(frame);
    };
    socket.onmessage = (event) => {
      if (!(event.data instanceof ArrayBuffer)) return; // the v1 protocol is binary only
      let msg;
      try { msg = decode(event.data); } catch (err) { return; }
      for (const handler of this.handlers) handler(msg);
    };
    socket.onclose = (event) => {
      this.closeCode = event.code; // 4004: the server shut the kernel down on purpose (netwise/app/channels.py)
      this.socket = null;
      if (this.status !== "gone") this._setStatus("disconnected");
    };
  }

  close() {
    this.closing = true;
    if (this.socket) this.socket.close();
  }

  markGone() { this._setStatus("gone"); }

  // Send one message on the shell channel; queued while (re)connecting. Returns its msg_id.
  send(msgType, content, { metadata = {}, buffers = [] } = {}) {
    const header = {
      msg_id: uuid(), msg_type: msgType, username: "", session: this.session,
      date: new Date().toISOString(), version: VERSION,
    };
    const parts = [header, {}, metadata, content].map((part) => encoder.encode(JSON.stringify(part)));
    const frame = encode("shell", [...parts, ...buffers.map(bytes)]);
    if (this.socket && this.socket.readyState === WebSocket.OPEN) this.socket.send(frame);
    else this.queue.push(frame);
    return header.msg_id;
  }
}
