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

  function send(text) {
    if (!text || !socket || socket.readyState !== WebSocket.OPEN) { return; }
    socket.send(JSON.stringify({ type: "message", text: text, stream: true }));
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + root.dataset.wsPath);
    socket.onopen = function () { statusLine.textContent = "online"; };
    socket.onclose = function () { statusLine.textContent = "offline"; typing.hidden = true; };
    socket.onmessage = function (event) {
      var data = JSON.parse(event.data);
      if (data.type === "history") { data.messages.forEach(show); showSuggestions(data.suggestions); }
      else if (data.type === "message") { show(data.message); }
      else if (data.type === "suggestions") { showSuggestions(data.suggestions); }
      else if (data.type === "delta") { showDelta(data.text); }
      else if (data.type === "typing") { typing.hidden = !data.on; if (!data.on) { dropDraft(); } }
      else if (data.type === "error") { showError(data.error); }
    };
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    send(input.value);
    input.value = "";
  });
  connect();
}());
