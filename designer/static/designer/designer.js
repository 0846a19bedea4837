/* The designer's canvas: a view of the graph the server builds from the BASIC (DESIGN.md §7).
 *
 * The graph is a tree of statement sequences; every canvas action (add from the palette,
 * connect, nest, reorder, delete, edit a field) makes a new graph, which the server renders to
 * BASIC over HTMX (the preview and the BASIC text follow). Typing BASIC asks the server for the
 * graph; a program that does not parse leaves the canvas on its last good graph. Undo/redo are
 * snapshots of the graph. drawflow (vendored, see vendor/drawflow/VENDORED.md) only draws:
 * edges are derived from the order of statements, never stored. A node's note is the comment
 * lines above its statement (its ``lead``). The minimap is minimap.js.
 */
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const read = (id) => JSON.parse($(id).textContent);
  const urls = read("designer-urls");
  const palette = Object.fromEntries(read("designer-palette").map((p) => [p.kind, p]));
  let graph = read("designer-initial-graph");
  // the program as the server has it, line endings included (a textarea's value has only \n)
  let source = read("designer-initial-source");
  const positions = read("designer-positions") || {};
  const undoStack = [];
  const redoStack = [];
  let selected = null;
  let rendering = false;
  let dfOf = {};
  let nodeOf = {};
  let fresh = 0;

  const editor = new Drawflow($("canvas"));
  editor.reroute = false;
  editor.start();
  const minimap = window.designerMinimap(editor, $("minimap"));
  const COMMENT = /^\s*(?:'|REM\b)\s?/i;

  // -- the graph ------------------------------------------------------------------------------

  function bodies(list, out) {
    out = out || [];
    out.push(list);
    list.forEach((n) => (n.slots || []).forEach((s) => bodies(s.body, out)));
    return out;
  }

  function locate(id) {
    for (const list of bodies(graph.body)) {
      const index = list.findIndex((n) => n.id === id);
      if (index >= 0) return { list, index, node: list[index] };
    }
    return null;
  }

  function contains(node, id) {
    return (node.slots || []).some((s) => s.body.some((c) => c.id === id || contains(c, id)));
  }

  function summary(node) {
    const f = node.fields || {};
    if (node.kind === "code") return (f.code || "").trim().split("\n")[0];
    if ("header" in f) return f.header;
    return Object.values(f).join(" · ");
  }

  // a node's note: the comment lines of its lead, without their quote marks
  function noteOf(node) {
    return (node.lead || "").split(/\r\n|\r|\n/).filter((l) => COMMENT.test(l))
      .map((l) => l.replace(COMMENT, "")).join("\n");
  }

  // the lead holding ``note`` as comments: the blank lines before it stay, indented like the node
  function leadWith(node, note) {
    const nl = graph.newline || "\n";
    const blanks = (node.lead || "").split(/(?<=\n)/).filter((l) => !l.trim()).join("");
    const indent = ((node.src || "").match(/^[ \t]*/) || [""])[0];
    const lines = note.trimEnd().split(/\r\n|\r|\n/).map((l) => l.trimEnd());
    return blanks + (note.trim() ? lines.map((l) => `${indent}' ${l}`.trimEnd() + nl).join("") : "");
  }

  // the STEP label of a node: its step field, or the STEP n: its first line starts with
  function stepOf(node) {
    const f = node.fields || {};
    if (f.step) return String(f.step);
    const match = /^\s*STEP\s+(\w+)\s*:/i.exec(f.header || f.code || "");
    return match ? match[1] : "";
  }

  function esc(text) {
    return String(text).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]));
  }

  // -- drawing --------------------------------------------------------------------------------

  function autoLayout() {
    let y = 20;
    const place = (list, depth) => list.forEach((node) => {
      positions[node.id] = [20 + depth * 280, y];
      y += 90 + 18 * (node.slots || []).length;
      (node.slots || []).forEach((slot) => place(slot.body, depth + 1));
    });
    place(graph.body, 0);
  }

  function problemsByNode() {
    const found = {};
    document.querySelectorAll("#problems li[data-node]").forEach((li) => {
      if (li.dataset.node) found[li.dataset.node] = li.className.includes("dz-error") ? "error" : found[li.dataset.node] || "warning";
    });
    return found;
  }

  function draw() {
    rendering = true;
    editor.clear();
    dfOf = {};
    nodeOf = {};
    const marks = problemsByNode();
    const missing = [];
    bodies(graph.body).forEach((list) => list.forEach((n) => { if (!positions[n.id]) missing.push(n.id); }));
    if (missing.length) autoLayout();
    const add = (list) => list.forEach((node) => {
      const slots = node.slots || [];
      const lanes = slots.map((s, k) => `<li>${esc(k === 0 ? "then" : (s.fields || {}).header || "")}</li>`).join("");
      const label = (palette[node.kind] || { label: node.kind }).label;
      const note = noteOf(node);
      const html = `<div class="dz-node-body" data-node-id="${esc(node.id)}"><b>${esc(label)}</b>` +
        (note ? `<i class="dz-note">${esc(note.split("\n")[0])}</i>` : "") +
        `<code>${esc(summary(node))}</code>${lanes ? `<ol class="dz-lanes">${lanes}</ol>` : ""}</div>`;
      const [x, y] = positions[node.id];
      const mark = marks[node.id] ? ` dz-has-${marks[node.id]}` : "";
      const df = editor.addNode(node.kind, 1, 1 + slots.length, x, y, `dz-kind-${node.kind}${mark}`, { id: node.id }, html);
      dfOf[node.id] = df;
      nodeOf[df] = node.id;
      slots.forEach((slot) => add(slot.body));
    });
    add(graph.body);
    bodies(graph.body).forEach((list) => list.forEach((node, k) => {
      if (k + 1 < list.length) editor.addConnection(dfOf[node.id], dfOf[list[k + 1].id], "output_1", "input_1");
      (node.slots || []).forEach((slot, s) => {
        if (slot.body.length) editor.addConnection(dfOf[node.id], dfOf[slot.body[0].id], `output_${s + 2}`, "input_1");
      });
    }));
    if (selected && dfOf[selected]) document.getElementById(`node-${dfOf[selected]}`).classList.add("selected");
    rendering = false;
    colour();
  }

  function mark() {
    const marks = problemsByNode();
    Object.entries(dfOf).forEach(([id, df]) => {
      const el = document.getElementById(`node-${df}`);
      if (!el) return;
      el.classList.toggle("dz-has-error", marks[id] === "error");
      el.classList.toggle("dz-has-warning", marks[id] === "warning");
    });
    minimap.refresh();
  }

  // -- edits ----------------------------------------------------------------------------------

  // one preview request at a time, then one with the graph as it is by then: htmx would queue
  // the next request on the #preview the answer replaces, and that answer would be lost
  let previewing = false;
  let previewAgain = false;
  function sendGraph() {
    if (previewing) { previewAgain = true; return; }
    previewing = true;
    htmx.ajax("POST", urls.preview, { target: "#preview", swap: "outerHTML", values: { graph: JSON.stringify(graph) } })
      .finally(() => {
        previewing = false;
        if (previewAgain) { previewAgain = false; sendGraph(); }
      });
  }

  function commit(change) {
    undoStack.push(JSON.stringify(graph));
    redoStack.length = 0;
    change();
    draw();
    sendGraph();
  }

  function refuse(message) {
    const list = $("problems");
    list.insertAdjacentHTML("afterbegin", `<li class="dz-error dz-refused">${esc(message)}</li>`);
    draw();
  }

  function newNode(kind) {
    const spec = palette[kind];
    fresh += 1;
    const node = { id: `new${Date.now().toString(36)}${fresh}`, kind, fields: JSON.parse(JSON.stringify(spec.fields)) };
    if (spec.dividers !== undefined) {
      node.slots = [{ body: [] }, ...spec.dividers.map((h) => ({ fields: { header: h }, body: [] }))];
    }
    return node;
  }

  function insert(kind) {
    const node = newNode(kind);
    commit(() => {
      const at = selected && locate(selected);
      if (at) at.list.splice(at.index + 1, 0, node);
      else graph.body.push(node);
      selected = node.id;
      delete positions[node.id];
    });
    inspect();
  }

  function remove(id) {
    const at = locate(id);
    if (!at) return;
    commit(() => { at.list.splice(at.index, 1); if (selected === id) selected = null; });
    inspect();
  }

  function move(id, delta) {
    const at = locate(id);
    if (!at || at.index + delta < 0 || at.index + delta >= at.list.length) return;
    commit(() => {
      at.list.splice(at.index, 1);
      at.list.splice(at.index + delta, 0, at.node);
      autoLayout();
    });
  }

  function connect(fromId, toId, output) {
    const from = locate(fromId);
    const to = locate(toId);
    if (!from || !to) return draw();
    if (fromId === toId || contains(to.node, fromId)) {
      const name = (n) => `${(palette[n.kind] || { label: n.kind }).label} ${summary(n)}`;
      return refuse(`BASIC cannot express that connection: ${name(from.node)} is inside ${name(to.node)}, ` +
                    "and a block cannot follow or hold a statement of its own body");
    }
    const lane = parseInt(output.replace("output_", ""), 10) - 2;
    commit(() => {
      to.list.splice(to.index, 1);
      if (lane < 0) {
        const again = locate(fromId);
        again.list.splice(again.index + 1, 0, to.node);
      } else {
        from.node.slots[lane].body.unshift(to.node);
      }
      autoLayout();
    });
  }

  function restore(stack, other) {
    if (!stack.length) return;
    other.push(JSON.stringify(graph));
    graph = JSON.parse(stack.pop());
    if (selected && !locate(selected)) selected = null;
    draw();
    sendGraph();
    inspect();
  }

  // -- the inspector: the selected node's fields ------------------------------------------------

  function inspect() {
    const form = $("inspector");
    const at = selected && locate(selected);
    if (!at) { form.hidden = true; form.innerHTML = ""; return; }
    const node = at.node;
    const rows = Object.entries(node.fields).map(([name, value]) => {
      const input = name === "code"
        ? `<textarea name="${esc(name)}" rows="4">${esc(value)}</textarea>`
        : name === "bot"
          ? `<input name="bot" list="designer-bot-names" value="${esc(value)}">`
          : `<input name="${esc(name)}" value="${esc(value)}">`;
      return `<label>${esc(name)} ${input}</label>`;
    });
    (node.slots || []).forEach((slot, k) => {
      if (k > 0) rows.push(`<label>branch ${k + 1} <input name="slot-${k}" value="${esc((slot.fields || {}).header || "")}"></label>`);
    });
    rows.push(`<label>note <textarea name="note" rows="2" placeholder="a comment above the statement">${esc(noteOf(node))}</textarea></label>`);
    const names = read("designer-bots").map((b) => `<option value="${esc(b)}">`).join("");
    form.innerHTML = `<h3>${esc((palette[node.kind] || { label: node.kind }).label)}</h3>${rows.join("")}` +
      `<datalist id="designer-bot-names">${names}</datalist>` +
      `<button type="submit">Apply</button> <button type="button" data-action="delete">Delete</button>`;
    form.hidden = false;
  }

  $("inspector").addEventListener("submit", (event) => {
    event.preventDefault();
    const values = Object.fromEntries(new FormData(event.target));
    commit(() => {
      const node = locate(selected).node;
      Object.keys(node.fields).forEach((name) => { if (name in values) node.fields[name] = values[name]; });
      (node.slots || []).forEach((slot, k) => {
        if (`slot-${k}` in values) slot.fields = { ...(slot.fields || {}), header: values[`slot-${k}`] };
      });
      if ("note" in values && values.note.trim() !== noteOf(node).trim()) node.lead = leadWith(node, values.note);
    });
  });
  $("inspector").addEventListener("click", (event) => {
    if (event.target.dataset.action === "delete" && selected) remove(selected);
  });

  // -- drawflow events ------------------------------------------------------------------------

  editor.on("nodeSelected", (df) => { selected = nodeOf[df]; inspect(); });
  editor.on("nodeUnselected", () => { selected = null; inspect(); });
  editor.on("nodeRemoved", (df) => { if (!rendering && nodeOf[df]) remove(nodeOf[df]); });
  editor.on("connectionCreated", (c) => {
    if (!rendering) connect(nodeOf[c.output_id], nodeOf[c.input_id], c.output_class);
  });
  editor.on("connectionRemoved", () => { if (!rendering) draw(); });
  editor.on("nodeMoved", (df) => {
    const d = editor.getNodeFromId(df);
    positions[nodeOf[df]] = [d.pos_x, d.pos_y];
  });

  // -- palette, buttons, keyboard -------------------------------------------------------------

  document.querySelectorAll(".dz-palette-item").forEach((item) => {
    item.addEventListener("click", () => insert(item.dataset.kind));
    item.addEventListener("dragstart", (e) => e.dataTransfer.setData("text/plain", item.dataset.kind));
  });
  $("canvas").addEventListener("dragover", (e) => e.preventDefault());
  $("canvas").addEventListener("drop", (e) => {
    e.preventDefault();
    const kind = e.dataTransfer.getData("text/plain");
    if (palette[kind]) insert(kind);
  });
  $("undo").addEventListener("click", () => restore(undoStack, redoStack));
  $("redo").addEventListener("click", () => restore(redoStack, undoStack));
  $("layout").addEventListener("click", () => { autoLayout(); draw(); });
  $("zoom-in").addEventListener("click", () => editor.zoom_in());
  $("zoom-out").addEventListener("click", () => editor.zoom_out());
  $("save").addEventListener("click", () => {
    htmx.ajax("POST", urls.save, { target: "#save-status", swap: "outerHTML", values: {
      source, revision: $("save-status").dataset.revision, positions: JSON.stringify(positions) } });
  });
  document.addEventListener("keydown", (e) => {
    const typing = ["INPUT", "TEXTAREA", "SELECT"].includes(e.target.tagName);
    if (typing) return;
    const key = e.key.toLowerCase();
    if ((e.ctrlKey || e.metaKey) && key === "z" && !e.shiftKey) { e.preventDefault(); restore(undoStack, redoStack); }
    else if ((e.ctrlKey || e.metaKey) && (key === "y" || (key === "z" && e.shiftKey))) { e.preventDefault(); restore(redoStack, undoStack); }
    else if (e.altKey && e.key === "ArrowUp" && selected) { e.preventDefault(); move(selected, -1); }
    else if (e.altKey && e.key === "ArrowDown" && selected) { e.preventDefault(); move(selected, 1); }
    else if (key === "l" && !e.ctrlKey && !e.metaKey) { autoLayout(); draw(); }
    else if ((key === "+" || key === "=") && !e.ctrlKey && !e.metaKey) { editor.zoom_in(); }
    else if (key === "-" && !e.ctrlKey && !e.metaKey) { editor.zoom_out(); }
    else if (key === "0" && !e.ctrlKey && !e.metaKey) { editor.zoom_reset(); }
    else if ((key === "delete" || key === "backspace") && selected) { e.preventDefault(); remove(selected); }
  });

  // -- the server's answer to an edit ---------------------------------------------------------

  document.body.addEventListener("htmx:afterSwap", (e) => {
    if (e.detail.target.id !== "preview" || !$("designer-graph")) return;  // not the answer to an edit
    const fromGraph = read("designer-from-graph");
    const next = read("designer-graph");
    source = read("designer-source");
    if (fromGraph) {
      $("source").value = source;
      mark();
    } else if (next !== null) {
      undoStack.push(JSON.stringify(graph));
      redoStack.length = 0;
      graph = next;
      if (selected && !locate(selected)) selected = null;
      draw();
      inspect();
    }
  });
  // -- a run started from the designer: each STEP node coloured by its own step's status -----
  // ``steps`` holds the latest attempt of each (label, line) of the followed run, from the run's
  // step list (#run-steps, asked for when the socket opens and when the run ends) and from the
  // ``workflow.step`` messages of its socket, whichever is newer.

  let following = null;
  let socket = null;
  let steps = {};
  const FINISHED = ["completed", "failed", "cancelled", "timeout"];
  const CLASS_OF = { running: "running", waiting: "waiting", completed: "completed", failed: "failed",
                     timeout: "failed", cancelled: "failed" };

  function learn(step) {
    const key = `${step.label}@${step.line}`;
    const known = steps[key];
    const attempt = Number(step.attempt || 1);
    if (known && (known.attempt > attempt || (known.attempt === attempt && FINISHED.includes(known.status) &&
        !FINISHED.includes(step.status)))) return;
    steps[key] = { label: String(step.label), line: Number(step.line), attempt, status: step.status };
  }

  function follow(runId) {
    if (socket) socket.close();
    following = runId;
    steps = {};
    colour();
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    socket = new WebSocket(`${scheme}://${location.host}/ws/workflows/runs/${runId}/`);
    socket.onmessage = (message) => {
      const event = JSON.parse(message.data);
      const run = event.run || event.data;
      if (!run || run.id !== runId) return;  // a child's change reaches its parent's socket too
      const state = document.querySelector("#run-status .dz-run-state");
      if (state && run.status) state.textContent = run.status;
      if (event.type === "hello" || FINISHED.includes(run.status)) htmx.trigger(document.body, "run-steps");
      (run.steps || []).forEach(learn);
      colour();
    };
  }

  function colour() {
    const all = Object.values(steps);
    bodies(graph.body).forEach((list) => list.forEach((node) => {
      const el = dfOf[node.id] && document.getElementById(`node-${dfOf[node.id]}`);
      if (!el) return;
      const label = stepOf(node);
      const mine = label ? all.filter((s) => s.line === node.line && s.label === label) : [];
      const found = mine.length ? mine : all.filter((s) => label && s.label === label);
      const latest = found.sort((a, b) => a.attempt - b.attempt).pop();
      const status = latest ? CLASS_OF[latest.status] || "" : "";
      ["running", "completed", "failed", "waiting"].forEach((s) => el.classList.toggle(`dz-status-${s}`, s === status));
    }));
    minimap.refresh();
  }

  document.body.addEventListener("htmx:afterSettle", () => {
    const started = document.getElementById("run-status");
    if (started && !started.dataset.followed) {
      started.dataset.followed = "1";
      follow(started.dataset.run);
    }
    const list = document.getElementById("run-steps");
    if (list && list.dataset.run === following && !list.dataset.read) {
      list.dataset.read = "1";
      list.querySelectorAll("li[data-label]").forEach((li) => learn(li.dataset));
      colour();
    }
  });

  document.body.addEventListener("htmx:responseError", (e) => {
    const target = e.detail.target && e.detail.target.id === "save-status" ? $("save-status") : $("problems");
    target.insertAdjacentHTML("afterbegin", e.detail.xhr.responseText);
  });

  window.designer = {
    revision: () => Number($("save-status").dataset.revision),
    graph: () => graph,
    editor,
  };
  draw();
})();
