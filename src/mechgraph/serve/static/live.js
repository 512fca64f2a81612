/* mechgraph serve: follow the graph's version (reload when it changes) and show the
   errors of its files; every text from the server enters the page through textContent. */
(function () {
  "use strict";
  var PERIOD = 1000;
  var body = document.body;
  var banner = document.getElementById("graph-errors");
  var list = document.getElementById("graph-errors-list");
  var shown = body.getAttribute("data-version");

  function showErrors(errors) {
    list.textContent = "";
    errors.forEach(function (e) {
      var item = document.createElement("li");
      var where = document.createElement("code");
      where.textContent = e.file + (e.line ? ":" + e.line : "");
      item.appendChild(where);
      item.appendChild(document.createTextNode(" " + e.message));
      list.appendChild(item);
    });
    banner.hidden = errors.length === 0;
  }

  function poll() {
    fetch("/api/version", {cache: "no-store", credentials: "same-origin"})
      .then(function (response) { return response.json(); })
      .then(function (status) {
        body.removeAttribute("data-offline");
        if (String(status.version) !== shown) {
          window.location.reload();
          return;
        }
        showErrors(status.errors);
        window.setTimeout(poll, PERIOD);
      }, function () {
        body.setAttribute("data-offline", "1");
        window.setTimeout(poll, PERIOD * 3);
      });
  }

  if (body.getAttribute("data-watch") === "1") {
    window.setTimeout(poll, PERIOD);
  }

  // Ctrl+Enter (or Cmd+Enter) in the console runs the query.
  var query = document.getElementById("q");
  if (query) {
    query.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        query.form.requestSubmit();
      }
    });
  }
  window.mechgraphServe = {ready: true};
}());
