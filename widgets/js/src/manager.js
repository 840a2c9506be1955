// A minimal widget manager for anywidget models, over ipywidgets' comm protocol (version 2):
//
// - the page opens the "jupyter.widget.control" comm and asks "request_states"; the kernel
//   answers "update_states" with every model's state (and binary buffers by buffer_paths);
// - each model's comm id is its model id: the kernel sends comm_msg "update" / "echo_update"
//   (state) and "custom" (a message for the renderer) on iopub; the page sends "custom"
//   (the learner's actions) and "update" (save_changes) as comm_msg on shell;
// - comm_open from the kernel (target "jupyter.widget") is a model created later, comm_close
//   one that is gone.

import { Model } from "./model.js";
import { uuid } from "./kernel.js";

const CONTROL_TARGET = "jupyter.widget.control";
const CONTROL_VERSION = "1.0.0";
const WIDGET_TARGET = "jupyter.widget";
const STATES_TIMEOUT_MS = 30000;

// Put binary buffers back into a state at their paths (ipywidgets' _put_buffers).
export function putBuffers(state, paths = [], buffers = []) {
  paths.forEach((path, i) => {
    let node = state;
    for (const key of path.slice(0, -1)) node = node[key];
    node[path[path.length - 1]] = buffers[i];
  });
  return state;
}

export class WidgetManager {
  constructor(kernel) {
    this.kernel = kernel;
    this.models = new Map();
    this.waiting = new Map(); // control comm id -> resolve
    this.onModel = null; // called with each model created by the kernel after the page loaded
    kernel.onMessage((msg) => this.handle(msg));
  }

  transport(modelId) {
    return {
      send: (data, buffers) => this.kernel.send("comm_msg", { comm_id: modelId, data }, { buffers }),
    };
  }

  // A model the page already knows (its state embedded in the page), or a new one.
  model(id, state) {
    let model = this.models.get(id);
    if (!model) {
      model = new Model(id, state, this.transport(id));
      this.models.set(id, model);
    } else if (state) {
      model.update(state);
    }
    return model;
  }

  // Every model's current state from the kernel; known models are updated in place.
  requestStates() {
    const commId = uuid();
    const answer = new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(commId);
        reject(new Error("the kernel did not send the widget states"));
      }, STATES_TIMEOUT_MS);
      this.waiting.set(commId, (data, buffers) => { clearTimeout(timer); resolve({ data, buffers }); });
    });
    this.kernel.send("comm_open", { comm_id: commId, target_name: CONTROL_TARGET, data: {} },
      { metadata: { version: CONTROL_VERSION } });
    this.kernel.send("comm_msg", { comm_id: commId, data: { method: "request_states" } });
    return answer.then(({ data, buffers }) => {
      this.kernel.send("comm_close", { comm_id: commId, data: {} });
      const grouped = new Map();
      (data.buffer_paths || []).forEach(([id, ...path], i) => {
        if (!grouped.has(id)) grouped.set(id, { paths: [], buffers: [] });
        grouped.get(id).paths.push(path);
        grouped.get(id).buffers.push(buffers[i]);
      });
      for (const [id, entry] of Object.entries(data.states || {})) {
        const extra = grouped.get(id);
        const state = extra ? putBuffers(entry.state, extra.paths, extra.buffers) : entry.state;
        this.model(id, state);
      }
      return this.models;
    });
  }

  handle(msg) {
    if (msg.channel !== "iopub") return;
    const type = msg.header.msg_type;
    const content = msg.content || {};
    const id = content.comm_id;
    if (type === "comm_msg") {
      const data = content.data || {};
      const waiting = this.waiting.get(id);
      if (waiting && data.method === "update_states") {
        this.waiting.delete(id);
        waiting(data, msg.buffers);
        return;
      }
      const model = this.models.get(id);
      if (!model) return;
      if (data.method === "update" || data.method === "echo_update") {
        model.update(putBuffers(data.state || {}, data.buffer_paths, msg.buffers));
      } else if (data.method === "custom") {
        model.custom(data.content, msg.buffers);
      }
    } else if (type === "comm_open" && content.target_name === WIDGET_TARGET) {
      const data = content.data || {};
      const model = this.model(id, putBuffers(data.state || {}, data.buffer_paths, msg.buffers));
      if (this.onModel) this.onModel(model);
    } else if (type === "comm_close") {
      const model = this.models.get(id);
      if (model) {
        this.models.delete(id);
        model._emit("destroy");
      }
    }
  }
}
