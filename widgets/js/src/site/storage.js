// A static lesson page's memory: the visitor's answers for one page in the browser's own
// localStorage, under one key per page (language, kind, id), and nothing else. Nothing is
// sent anywhere. Storage can be blocked or full (private windows, settings): then the page
// still works, it only forgets on reload.

const VERSION = 1; // the shape of what is stored; another version is ignored, not misread

function area() {
  try {
    const store = window.localStorage;
    const probe = "netwise-site:probe";
    store.setItem(probe, "1");
    store.removeItem(probe);
    return store;
  } catch (err) {
    return null;
  }
}

export class PageStore {
  constructor(key) {
    this.key = key;
    this.store = area();
  }

  get available() { return this.store !== null; }

  // The saved answers, or null (none, blocked, damaged or from another version).
  load() {
    if (!this.store) return null;
    try {
      const saved = JSON.parse(this.store.getItem(this.key) || "null");
      if (!saved || saved.version !== VERSION || typeof saved.data !== "object") return null;
      return saved.data;
    } catch (err) {
      return null;
    }
  }

  save(data) {
    if (!this.store) return false;
    try {
      this.store.setItem(this.key, JSON.stringify({ version: VERSION, data }));
      return true;
    } catch (err) {
      return false; // full: the answers stay on the page until it is left
    }
  }

  clear() {
    if (!this.store) return;
    try { this.store.removeItem(this.key); } catch (err) { /* blocked: nothing was kept */ }
  }
}
