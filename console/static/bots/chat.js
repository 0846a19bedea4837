// The web chat: one websocket per page; messages in order, each once (by id).
(function () {
  "use strict";
  var root = document.querySelector(".gb-chat");
  var list = document.getElementById("messages");
  var typing = document.getElementById("typing");
  var suggestions = document.getElementById("suggestions");
  var statusLine = document.getElementById("status");
  var form = document.getElementById("form");
  var input = document.getElementById("text");
  var seen = {};
  var socket;
  var draft = null;  // the LLM answer while it streams in; the stored message replaces it

  function dropDraft() {
    if (draft) { draft.remove(); draft = null; }
  }

  function showDelta(text) {
    if (!draft) {
      draft = document.createElement("li");
      draft.className = "gb-message gb-bot gb-draft";
      list.appendChild(draft);
    }
    draft.textContent += text;
    list.scrollTop = list.scrollHeight;
  }

  function show(message) {
    if (seen[message.id] || (message.role !== "user" && message.role !== "bot")) { return; }
    seen[message.id] = true;
    if (message.role === "bot") { dropDraft(); }
    var item = document.createElement("li");
    item.className = "gb-message gb-" + message.role;
    item.dataset.id = message.id;
    item.textContent = message.text;
    list.appendChild(item);
    list.scrollTop = list.scrollHeight;
  }

  function showSuggestions(labels) {
    suggestions.textContent = "";
    (labels || []).forEach(function (label) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = label;
      button.addEventListener("click", function () { send(label); });
      suggestions.appendChild(button);
    });
  }

  function showError(error) {
    var item = document.createElement("li");
    item.className = "gb-error-text";
    item.textContent = error.message;
    list.appendChild(item);
  }

  // A workflow bot asks before its run starts (the server refuses a message until then): the
  // page where the user already said yes (data-confirmed) answers at once, else a button does.
  function askToStart(question) {
    if (root.dataset.confirmed === "yes") { socket.send(JSON.stringify({ type: "confirm" })); return; }
    var item = document.createElement("li");
    item.className = "gb-message gb-bot gb-confirm";
    item.textContent = question + " ";
    var button = document.createElement("button");
    button.type = "button";
    button.id = "confirm-run";
    button.textContent = "Start the run";
    button.addEventListener("click", function () {
      socket.send(JSON.stringify({ type: "confirm" }));
      item.remove();
    });
    item.appendChild(button);
    list.appendChild(item);
  }

  function send(text) {
    if (!text || !socket || socket.readyState !== WebSocket.OPEN) { return; }
    socket.send(JSON.stringify({ type: "message", text: text, stream: true }));
  }

  // A dropped socket (server restart, network change) comes back by itself: 1 s, 2 s, 4 s ...
  // up to 30 s, with some jitter so many pages do not return at the same instant. A refusal
  // (4401 not logged in, 4404 no such bot) is final and said as such.
  var retryMs = 1000;
  var retryTimer = null;
  var countdown = null;

  function setStatus(state, text) {
    statusLine.dataset.state = state;
    statusLine.textContent = text;
  }

  function scheduleReconnect() {
    var wait = Math.round(retryMs * (0.8 + Math.random() * 0.4));
    var due = Date.now() + wait;
    retryMs = Math.min(retryMs * 2, 30000);
    function tick() {
      var left = Math.max(0, Math.ceil((due - Date.now()) / 1000));
      setStatus("offline", "offline, reconnecting in " + left + " s…");
    }
    tick();
    clearInterval(countdown);
    countdown = setInterval(tick, 1000);
    retryTimer = setTimeout(function () { clearInterval(countdown); connect(); }, wait);
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    retryTimer = null;
    setStatus("connecting", "connecting…");
    socket = new WebSocket(scheme + location.host + root.dataset.wsPath);
    socket.onopen = function () { retryMs = 1000; setStatus("online", "online"); };
    socket.onclose = function (event) {
      typing.hidden = true;
      dropDraft();
      if (event.code === 4401) { setStatus("error", "signed out: reload the page to sign in"); return; }
      if (event.code === 4404) { setStatus("error", "this bot is not available"); return; }
      scheduleReconnect();
    };
    socket.onmessage = function (event) {
      var data = JSON.parse(event.data);
      if (data.type === "history") { data.messages.forEach(show); showSuggestions(data.suggestions); }
      else if (data.type === "message") { show(data.message); }
      else if (data.type === "suggestions") { showSuggestions(data.suggestions); }
      else if (data.type === "delta") { showDelta(data.text); }
      else if (data.type === "typing") { typing.hidden = !data.on; if (!data.on) { dropDraft(); } }
      else if (data.type === "error") { showError(data.error); }
      else if (data.type === "confirm") { askToStart(data.question); }
    };
  }

  // Coming back online or to the tab: try at once instead of waiting for the backoff.
  function reconnectNow() {
    if (retryTimer !== null) { clearTimeout(retryTimer); clearInterval(countdown); retryMs = 1000; connect(); }
  }
  window.addEventListener("online", reconnectNow);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { reconnectNow(); } });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    send(input.value);
    input.value = "";
  });
  connect();
}());
