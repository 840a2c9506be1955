// The model a renderer sees: anywidget's model interface (get, set, on, off, send,
// save_changes), and nothing about where its state comes from. A lesson page feeds it from
// the kernel (manager.js); a static lesson site can feed it from specs embedded in the page.

export class Model {
  // transport: { send(data, buffers) } for messages to the kernel, or null (a static page)
  constructor(id, state = {}, transport = null) {
    this.model_id = id;
    this.state = { ...state };
    this.transport = transport;
    this.listeners = new Map();
    this.dirty = new Set();
  }

  get(key) { return this.state[key]; }

  set(key, value) {
    this.state[key] = value;
    this.dirty.add(key);
    this._emit(`change:${key}`, this, value);
    this._emit("change", this);
  }

  save_changes() {
    if (!this.dirty.size || !this.transport) return;
    const state = {};
    for (const key of this.dirty) state[key] = this.state[key];
    this.dirty.clear();
    this.transport.send({ method: "update", state, buffer_paths: [] }, []);
  }

  on(name, callback) {
    if (!this.listeners.has(name)) this.listeners.set(name, new Set());
    this.listeners.get(name).add(callback);
  }

  off(name, callback) {
    if (!name) { this.listeners.clear(); return; }
    if (!callback) { this.listeners.delete(name); return; }
    const set = this.listeners.get(name);
    if (set) set.delete(callback);
  }

  // anywidget: model.send(content, callbacks, buffers) is a custom message to the kernel.
  send(content, _callbacks, buffers = []) {
    if (this.transport) this.transport.send({ method: "custom", content }, buffers || []);
  }

  // --- from the kernel (or a static feed) ---------------------------------------------

  update(state) {
    const changed = [];
    for (const [key, value] of Object.entries(state)) {
      if (this.dirty.has(key)) continue; // a local change not yet saved wins
      this.state[key] = value;
      changed.push(key);
    }
    // Backbone's order and arguments, as anywidget's model gives them: (model, value).
    for (const key of changed) this._emit(`change:${key}`, this, this.state[key]);
    if (changed.length) this._emit("change", this);
  }

  custom(content, buffers) { this._emit("msg:custom", content, buffers); }

  _emit(name, ...args) {
    const set = this.listeners.get(name);
    if (!set) return;
    for (const callback of [...set]) {
      try { callback(...args); } catch (err) { console.error(err); }
    }
  }
}
