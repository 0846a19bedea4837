// Live dashboard: one websocket per page. Each workflow.* message asks the server again for
// the page's partial (HTMX), at most once per 150 ms; the socket reconnects when it drops.
(function () {
  "use strict";
  var main = document.querySelector("main[data-ws-path]");
  var statusLine = document.getElementById("live-status");
  if (!main) { if (statusLine) { statusLine.hidden = true; } return; }
  var target = main.dataset.refreshTarget;
  var pending = null;
  var retryMs = 500;

  function show(state, text) {
    statusLine.dataset.state = state;
    statusLine.textContent = text;
  }

  function refresh() {
    if (pending) { return; }
    pending = setTimeout(function () {
      pending = null;
      var url = main.dataset.refreshUrl || (location.pathname + location.search);
      // A form being filled in (an approval comment) is left alone until it is sent.
      var active = document.activeElement;
      if (active && active.tagName === "INPUT" && active.value && document.querySelector(target).contains(active)) {
        return;
      }
      htmx.ajax("GET", url, { target: target, select: target, swap: "outerHTML" });
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
      else if (data.type.indexOf("workflow.") === 0) { refresh(); }
    };
    socket.onclose = function (event) {
      if (event.code === 4401 || event.code === 4404) { if (statusLine.dataset.state !== "error") { show("error", "not allowed"); } return; }
      show("offline", "offline, reconnecting…");
      setTimeout(function () { connect(); refresh(); }, retryMs);
      retryMs = Math.min(retryMs * 2, 10000);
    };
  }

  connect();
})();
