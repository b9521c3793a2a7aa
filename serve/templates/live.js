// constat serve: the class grid, live. Each "row" event carries one learner's row, rendered
// and escaped by the server; "reload" asks for a full reload (the server lagged behind, or
// may have missed another instance's events).
(function () {
  var live = document.getElementById("live");
  if (!live || !window.EventSource) { return; }
  var source = new EventSource(live.dataset.events);
  // Rows stored while the stream was down (a server restarted, an instance behind the load
  // balancer gone) were never sent: once the stream is back, reload the whole grid.
  var lost = false;
  source.onopen = function () {
    if (lost) { location.reload(); return; }
    live.textContent = live.dataset.on; live.className = "live on";
  };
  source.onerror = function () { lost = true; live.textContent = live.dataset.lost; live.className = "live lost"; };
  source.addEventListener("row", function (event) {
    var body = document.createElement("tbody");
    body.innerHTML = event.data;
    var row = body.firstElementChild;
    if (!row) { return; }
    var old = document.getElementById(row.id);
    if (old) { old.replaceWith(row); } else { document.getElementById("rows").appendChild(row); }
    row.classList.add("flash");
    setTimeout(function () { row.classList.remove("flash"); }, 1500);
  });
  source.addEventListener("reload", function () { location.reload(); });
})();
