// Live dashboard: one websocket per page (the path in <main data-ws-path>). Each workflow.*
// message fires "workflow-changed" on <body>, at most once per 150 ms; the live parts of the
// page ask for their partial again themselves (hx-trigger="workflow-changed ... from:body").
// The socket reconnects when it drops, and the page refreshes once it is back.
(function () {
  "use strict";
  var main = document.querySelector("main[data-ws-path]");
  var statusLine = document.getElementById("live-status");
  var pending = null;
  var retryMs = 500;

  // The filter of the live parts' hx-trigger: a form being filled in (an approval comment)
  // inside the part is left alone until it is sent.
  window.gbEditing = function (part) {
    var active = document.activeElement;
    return Boolean(active && active.tagName === "INPUT" && active.value && part.contains(active));
  };

  // A child run expanded inline (<details class="gb-expand">) stays open when the part around
  // it is redrawn: reopened, it asks for its partial again, so it is live too. ``toggle`` does
  // not bubble, hence the capturing listener.
  var expanded = {};
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (!details.classList || !details.classList.contains("gb-expand")) { return; }
    if (details.open) { expanded[details.id] = true; } else { delete expanded[details.id]; }
  }, true);
  document.body.addEventListener("htmx:afterSettle", function () {
    Object.keys(expanded).forEach(function (id) {
      var details = document.getElementById(id);
      if (details && !details.open) { details.open = true; }
    });
  });

  if (!main) { if (statusLine) { statusLine.hidden = true; } return; }

  function show(state, text) {
    statusLine.dataset.state = state;
    statusLine.textContent = text;
  }

  function changed() {
    if (pending) { return; }
    pending = setTimeout(function () {
      pending = null;
      htmx.trigger(document.body, "workflow-changed");
    }, 150);
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + main.dataset.wsPath);
    socket.onopen = function () { retryMs = 500; };
    socket.onmessage = function (event) {
      var data = JSON.parse(event.data);
      if (data.type === "hello") { show("live", "live"); }
      else if (data.type === "error") { show("error", data.error.message); }
      else if (data.type.indexOf("workflow.") === 0) { changed(); }
    };
    socket.onclose = function (event) {
      if (event.code === 4401 || event.code === 4404) { if (statusLine.dataset.state !== "error") { show("error", "not allowed"); } return; }
      show("offline", "offline, reconnecting…");
      setTimeout(function () { connect(); changed(); }, retryMs);
      retryMs = Math.min(retryMs * 2, 10000);
    };
  }

  connect();
})();
