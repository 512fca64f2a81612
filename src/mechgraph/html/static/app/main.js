/* Wiring: view tabs, legend and filters, groups, selection and neighbourhoods, history and
 * the trail, search, language, and the page's start. */

// ---- selection ----------------------------------------------------------------------------------
function selectEntity(id, options) {
  if (!DATA.entities[id]) { return; }
  if (!(options && options.noHistory)) { pushHistory(); }
  if (!inView(id)) { bringIn([id], null); }
  openGroupsOf(id);
  state.selected = id;
  state.path = null;
  api.highlighted = null;
  render();
  if (nodes.get(id)) {
    network.selectNodes([id]);
    var n = network.body.nodes[id];
    if (n && !(options && options.keepView)) {
      var dom = network.canvasToDOM({ x: n.x, y: n.y });
      if (dom.x < 0 || dom.y < 0 || dom.x > container.clientWidth || dom.y > container.clientHeight) {
        network.moveTo({ position: { x: n.x, y: n.y }, animation: false });
      }
    }
  }
  showEntity(id);
  updateTrail();
}
function selectAssertion(id) {
  if (edges.get(id)) { network.setSelection({ nodes: [], edges: [id] }, { unselectAll: true, highlightEdges: false }); }
  showAssertion(id);
}
function toggleExpand(id) {
  pushHistory();
  if (state.expanded[id]) { collapse(id); } else { expand(id); }
  state.selected = id;
  render();
  showEntity(id);
  updateTrail();
}
function toggleGroup(groupId, noHistory) {
  if (!noHistory) { pushHistory(); }
  if (state.collapsed[groupId]) {
    delete state.collapsed[groupId];
    state.opened = (state.opened || []).filter(function (g) { return g !== groupId; }).concat([groupId]);
  } else { state.collapsed[groupId] = true; }
  render();
  buildGroups();
  if (state.panel && state.panel.kind === "group") { showGroup(groupId); }
}
network.on("click", function (params) {
  var pointer = params.pointer.DOM;
  var title = labelBoxes.filter(function (b) {
    return b.kind === "group" && pointer.x >= b.x && pointer.x <= b.x + b.w && pointer.y >= b.y && pointer.y <= b.y + b.h;
  })[0];
  if (title && !params.nodes.length) { toggleGroup(title.id); return; }
  if (params.nodes.length) {
    var id = params.nodes[0];
    if (id.indexOf(GROUP_PREFIX) === 0) {
      if (state.selected) { state.selected = null; render(); }  // redrawing a large view takes long: only when needed
      showGroup(id.slice(GROUP_PREFIX.length));
      return;
    }
    selectEntity(id, { keepView: true });
  } else if (params.edges.length) {
    var edge = params.edges[0];
    if (DATA.assertions[edge]) { showAssertion(edge); }
  } else if (state.selected || state.path) {
    state.selected = null; state.path = null; api.highlighted = null;
    render(); showEmpty(); updateTrail();
  }
});
network.on("doubleClick", function (params) {
  if (!params.nodes.length) { return; }
  var id = params.nodes[0];
  if (id.indexOf(GROUP_PREFIX) === 0) { toggleGroup(id.slice(GROUP_PREFIX.length)); return; }
  toggleExpand(id);
});

// ---- history and the trail ----------------------------------------------------------------------------
var past = [];
function snapshot() {
  return { view: state.view, collapsed: Object.assign({}, state.collapsed),
    added: JSON.parse(JSON.stringify(state.added)), expanded: JSON.parse(JSON.stringify(state.expanded)),
    selected: state.selected, path: state.path, panel: state.panel, opened: (state.opened || []).slice() };
}
function pushHistory() {
  past.push(snapshot());
  if (past.length > 50) { past.shift(); }
  $("back").disabled = false;
}
function restore(s) {
  var switched = s.view !== state.view;
  state.view = s.view; state.collapsed = s.collapsed; state.added = s.added; state.expanded = s.expanded;
  state.selected = s.selected; state.path = s.path; state.panel = s.panel; state.opened = s.opened;
  api.highlighted = s.path ? { nodes: s.path.nodes.slice(), edges: s.path.hops.slice() } : null;
  render();
  if (switched) { buildLegendTypes(); buildGroups(); markTabs(); fit(); }
  network.unselectAll();
  if (state.selected && nodes.get(state.selected)) { network.selectNodes([state.selected]); }
  rerenderPanel();
  updateTrail();
}
function back() {
  if (!past.length) { return; }
  restore(past.pop());
  $("back").disabled = !past.length;
}
function crumbLabel(s) {
  var label = t("view_" + s.view);
  if (s.selected) { label += " \u203a " + entityName(s.selected); }
  else if (s.path) { label += " \u203a " + s.path.nodes.map(entityName).join(" \u2192 "); }
  return label;
}
function updateTrail() {
  var trail = $("trail");
  clear(trail);
  trail.appendChild(h("span", "trail-label", t("trail") + ":"));
  var shown = past.slice(-5), offset = past.length - shown.length, previous = null;
  shown.forEach(function (s, i) {
    var label = crumbLabel(s);
    if (label === previous) { return; }
    previous = label;
    trail.appendChild(linkButton(label, function () {
      var target = past[offset + i];
      past = past.slice(0, offset + i);
      restore(target);
      $("back").disabled = !past.length;
    }, "crumb"));
    trail.appendChild(h("span", "sep", "\u203a"));
  });
  trail.appendChild(h("span", "crumb current", crumbLabel(snapshot())));
}

// ---- views --------------------------------------------------------------------------------------------------
function markTabs() {
  document.querySelectorAll("#views button").forEach(function (b) {
    b.setAttribute("aria-selected", b.getAttribute("data-view") === state.view ? "true" : "false");
  });
}
function setView(id, options) {
  if (!DATA.views[id]) { return; }
  if (!(options && options.noHistory)) { pushHistory(); }
  state.view = id;
  state.collapsed = {};
  DATA.views[id].collapsed.forEach(function (g) { state.collapsed[g] = true; });
  state.opened = [];
  state.added = {}; state.expanded = {}; state.selected = null; state.path = null; api.highlighted = null;
  network.unselectAll();
  render();
  buildLegendTypes();
  buildGroups();
  markTabs();
  fit();
  showEmpty();
  updateTrail();
}
function buildTabs() {
  var tabs = $("views");
  clear(tabs);
  if (DATA.view_order.length < 2) { tabs.hidden = true; return; }
  DATA.view_order.forEach(function (id) {
    var b = h("button", "tab", t("view_" + id));
    b.type = "button"; b.setAttribute("role", "tab"); b.setAttribute("data-view", id);
    b.setAttribute("data-i18n", "view_" + id);
    if (!DATA.views[id].entities.length) { b.classList.add("empty"); }
    b.addEventListener("click", function () { setView(id); });
    tabs.appendChild(b);
  });
  markTabs();
}

// ---- legend and filters ---------------------------------------------------------------------------------------------
function shapeSwatch(type) {
  var style = DATA.types[type], svg = document.createElementNS(SVG, "svg"), shape;
  svg.setAttribute("width", "16"); svg.setAttribute("height", "16"); svg.setAttribute("class", "swatch");
  var points = {
    diamond: "8,1 15,8 8,15 1,8", triangle: "8,1 15,14 1,14", triangleDown: "1,2 15,2 8,15",
    hexagon: "4,1.5 12,1.5 15.5,8 12,14.5 4,14.5 0.5,8",
    star: "8,0.5 10,6 15.5,6 11,9.5 12.8,15 8,11.6 3.2,15 5,9.5 0.5,6 6,6"
  }[style.shape];
  if (points) {
    shape = document.createElementNS(SVG, "polygon"); shape.setAttribute("points", points);
  } else if (style.shape === "square") {
    shape = document.createElementNS(SVG, "rect");
    shape.setAttribute("x", "2"); shape.setAttribute("y", "2"); shape.setAttribute("width", "12"); shape.setAttribute("height", "12");
  } else {
    shape = document.createElementNS(SVG, "circle");
    shape.setAttribute("cx", "8"); shape.setAttribute("cy", "8"); shape.setAttribute("r", "6.5");
  }
  shape.setAttribute("fill", style.color); shape.setAttribute("stroke", "#263238");
  svg.appendChild(shape);
  return svg;
}
function edgeSwatch(color, head, dashes) {
  var svg = document.createElementNS(SVG, "svg"), line = document.createElementNS(SVG, "line"), mark;
  svg.setAttribute("width", "34"); svg.setAttribute("height", "14"); svg.setAttribute("class", "swatch");
  line.setAttribute("x1", "1"); line.setAttribute("y1", "7"); line.setAttribute("x2", "27"); line.setAttribute("y2", "7");
  line.setAttribute("stroke", color); line.setAttribute("stroke-width", "2.5");
  if (dashes) { line.setAttribute("stroke-dasharray", dashes); }
  svg.appendChild(line);
  if (head === "bar") {
    mark = document.createElementNS(SVG, "line");
    mark.setAttribute("x1", "28"); mark.setAttribute("y1", "1"); mark.setAttribute("x2", "28"); mark.setAttribute("y2", "13");
    mark.setAttribute("stroke", color); mark.setAttribute("stroke-width", "3");
  } else if (head) {
    mark = document.createElementNS(SVG, "polygon");
    mark.setAttribute("points", head === "vee" ? "33,7 24,2 27,7 24,12" : "33,7 24,2 24,12");
    mark.setAttribute("fill", color);
  }
  if (mark) { svg.appendChild(mark); }
  return svg;
}
var typeLabels = {};
function buildLegendTypes() {
  // the types of the current view, with how many of its entities each has
  var list = $("legend-types"), counts = {};
  clear(list);
  typeLabels = {};
  view().entities.concat(Object.keys(state.added)).forEach(function (id) {
    counts[typeOf(id)] = (counts[typeOf(id)] || 0) + 1;
  });
  DATA.type_order.forEach(function (type) {
    if (!counts[type]) { return; }
    var item = h("li"), label = h("label"), box = h("input"), name = h("span", "type-name", vocab(type));
    box.type = "checkbox"; box.checked = !state.hiddenTypes[type]; box.value = type; box.setAttribute("data-type", type);
    box.addEventListener("change", function () {
      if (box.checked) { delete state.hiddenTypes[type]; } else { state.hiddenTypes[type] = true; }
      filtersChanged();
    });
    typeLabels[type] = name;
    label.appendChild(box); label.appendChild(shapeSwatch(type)); label.appendChild(name);
    label.appendChild(h("span", "count", counts[type]));
    item.appendChild(label); list.appendChild(item);
  });
  api.legendTypes = counts;
}
function buildLegendEdges() {
  var list = $("legend-edges");
  clear(list);
  [["legend_activation", DATA.signs["+"].color, DATA.signs["+"].head, null],
   ["legend_inhibition", DATA.signs["-"].color, DATA.signs["-"].head, null],
   ["legend_association", DATA.signs.None.color, DATA.signs.None.head, null],
   ["legend_contested", "#546e7a", null, "5,3"],
   ["below_floor", "#546e7a", null, "2,4"],
   ["legend_width", "#546e7a", null, null]].forEach(function (row) {
    if (row[0] === "below_floor" && !(DATA.pinned || []).length) { return; }
    var item = h("li"), text = h("span", null, t(row[0]));
    text.setAttribute("data-i18n", row[0]);
    var swatch = edgeSwatch(row[1], row[2], row[3]);
    if (row[0] === "legend_width") { swatch.firstChild.setAttribute("stroke-width", "6"); }
    item.appendChild(swatch); item.appendChild(text); list.appendChild(item);
  });
}
function filtersChanged() {
  render();
  fit();
  if (state.panel && state.panel.kind === "entity") { showEntity(state.panel.id); }
}
function buildLevelSelect() {
  var select = $("min-level");
  clear(select);
  var any = h("option", null, t("any_level")); any.value = ""; select.appendChild(any);
  LEVELS.forEach(function (level) {
    var option = h("option", null, vocab(level)); option.value = level; select.appendChild(option);
  });
  select.value = state.minRank ? LEVELS[LEVELS.length - state.minRank] : "";
}
$("min-level").addEventListener("change", function () {
  var value = $("min-level").value;
  state.minRank = value ? rankOf(value) : 0;
  filtersChanged();
});
$("min-score").addEventListener("input", function () {
  state.minScore = parseFloat($("min-score").value) || 0;
  $("min-score-value").textContent = state.minScore.toFixed(2);
  filtersChanged();
});
function setAllTypes(checked) {
  $("legend-types").querySelectorAll("input[type=checkbox]").forEach(function (box) {
    box.checked = checked;
    if (checked) { delete state.hiddenTypes[box.value]; } else { state.hiddenTypes[box.value] = true; }
  });
  filtersChanged();
}
$("types-all").addEventListener("click", function () { setAllTypes(true); });
$("types-none").addEventListener("click", function () { setAllTypes(false); });

// ---- groups --------------------------------------------------------------------------------------------------
function buildGroups() {
  var list = $("groups"), groups = view().groups;
  clear(list);
  $("groups-section").hidden = !groups.length;
  groups.forEach(function (g) {
    var item = h("li" , g.parent ? "part" : ""), label = h("label"), box = h("input");
    box.type = "checkbox"; box.checked = !state.collapsed[g.id]; box.setAttribute("data-group", g.id);
    box.addEventListener("change", function () { toggleGroup(g.id); });
    label.appendChild(box);
    label.appendChild(h("span", "group-name", groupName(g)));
    label.appendChild(h("span", "count", g.members.length));
    item.appendChild(label); list.appendChild(item);
  });
}
function setAllGroups(expanded) {
  // expanding opens the outer groups; the parts of a large group stay as they are
  pushHistory();
  view().groups.forEach(function (g) {
    if (!expanded) { state.collapsed[g.id] = true; }
    else if (!g.parent) { delete state.collapsed[g.id]; state.opened.push(g.id); }
  });
  render(); buildGroups(); fit();
}
$("groups-expand").addEventListener("click", function () { setAllGroups(true); });
$("groups-collapse").addEventListener("click", function () { setAllGroups(false); });

// ---- search box -----------------------------------------------------------------------------------
var searchInput = $("search"), hitsList = $("search-hits"), hits = [];
function showHits() {
  hits = search(searchInput.value, 12);
  clear(hitsList);
  if (!searchInput.value.trim()) { hitsList.hidden = true; return; }
  if (!hits.length) { hitsList.appendChild(h("li", "none", t("no_match"))); }
  hits.forEach(function (hit, index) {
    var item = h("li", index === 0 ? "active" : "");
    item.setAttribute("role", "option"); item.setAttribute("data-id", hit.id);
    item.appendChild(h("span", null, entityName(hit.id)));
    var other = altName(hit.id);
    if (other) { item.appendChild(document.createTextNode(" / ")); item.appendChild(alt(other)); }
    item.appendChild(h("span", "hit-type", vocab(typeOf(hit.id))));
    item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(hit.id); });
    hitsList.appendChild(item);
  });
  hitsList.hidden = false;
}
function choose(id) {
  hitsList.hidden = true;
  searchInput.value = entityName(id);
  selectEntity(id);
}
searchInput.addEventListener("input", showHits);
function activeIndex() {
  var items = hitsList.querySelectorAll("li[data-id]");
  for (var i = 0; i < items.length; i++) { if (items[i].classList.contains("active")) { return i; } }
  return 0;
}
searchInput.addEventListener("keydown", function (event) {
  var items = hitsList.querySelectorAll("li[data-id]");
  if (event.key === "Enter") {
    event.preventDefault();
    if (hitsList.hidden || !items.length) { hits = search(searchInput.value, 12); if (hits.length) { choose(hits[0].id); } }
    else { choose(items[activeIndex()].getAttribute("data-id")); }
  } else if ((event.key === "ArrowDown" || event.key === "ArrowUp") && items.length && !hitsList.hidden) {
    event.preventDefault();
    var next = (activeIndex() + (event.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
    items.forEach(function (item, i) { item.classList.toggle("active", i === next); });
    items[next].scrollIntoView({ block: "nearest" });
  } else if (event.key === "Escape") { hitsList.hidden = true; }
});
searchInput.addEventListener("blur", function () { hitsList.hidden = true; });

// ---- path form ---------------------------------------------------------------------------------------
$("path-go").addEventListener("click", function () { highlightPath($("path-from").value, $("path-to").value); });
$("path-clear").addEventListener("click", function () { clearHighlight(); showEmpty(); updateTrail(); });
["path-from", "path-to"].forEach(function (id) {
  $(id).addEventListener("keydown", function (event) {
    if (event.key === "Enter") { highlightPath($("path-from").value, $("path-to").value); }
  });
});
$("panel-close").addEventListener("click", function () {
  network.unselectAll(); state.selected = null; render(); showEmpty();
});
$("back").addEventListener("click", back);
$("fit").addEventListener("click", fit);

// ---- language ------------------------------------------------------------------------------------
function applyTexts() {
  document.documentElement.lang = lang;
  if (DATA.meta.title_key) {
    // a page with the default title follows the language; a graph's own title stays
    DATA.meta.title = t(DATA.meta.title_key);
    document.title = DATA.meta.title;
    $("title").textContent = DATA.meta.title;
  }
  document.querySelectorAll("[data-i18n]").forEach(function (node) { node.textContent = t(node.getAttribute("data-i18n")); });
  searchInput.placeholder = t("search_hint");
  Object.keys(typeLabels).forEach(function (type) { typeLabels[type].textContent = vocab(type); });
  buildLevelSelect();
}
function setLanguage(next) {
  lang = next === "zh" ? "zh" : "en";
  measureCache = {};
  applyTexts();
  buildGroups();
  buildLegendEdges();
  render();
  buildCascades();
  rerenderPanel();
  if (state.path) { $("path-message").textContent = state.path.nodes.map(entityName).join(" \u2192 "); }
  updateTrail();
  network.redraw();
}
$("lang-toggle").addEventListener("click", function () { setLanguage(lang === "en" ? "zh" : "en"); });

// ---- start -----------------------------------------------------------------------------------------------------
network.once("afterDrawing", function () {
  // ready once the first complete drawing has reached the screen (the next frame)
  requestAnimationFrame(function () {
    setTimeout(function () {
      api.ready = true;
      api.drawnAt = performance.now();
      document.documentElement.setAttribute("data-ready", "true");
    }, 0);
  });
});
buildTabs();
buildLegendEdges();
applyTexts();
setView(state.view, { noHistory: true });
buildCascades();
if (DATA.meta.focus && DATA.entities[DATA.meta.focus]) { selectEntity(DATA.meta.focus, { noHistory: true }); }

api.search = search;
api.normalise = normalise;
api.selectEntity = selectEntity;
api.selectAssertion = selectAssertion;
api.highlightPath = highlightPath;
api.bestChain = function (a, b) { var c = bestChain(a, b); return c ? { nodes: c.nodes, hops: c.hops, steps: c.steps } : null; };
api.clearHighlight = clearHighlight;
api.showEntity = showEntity;
api.showAssertion = showAssertion;
api.expand = function (id) { if (!state.expanded[id]) { toggleExpand(id); } };
api.collapse = function (id) { if (state.expanded[id]) { toggleExpand(id); } };
api.setLanguage = setLanguage;
api.setView = setView;
api.toggleGroup = toggleGroup;
api.toggleExpand = toggleExpand;
api.back = back;
api.fit = fit;
api.language = function () { return lang; };
api.view = function () { return state.view; };
api.labelBoxes = function () { return labelBoxes.map(function (b) { return Object.assign({}, b); }); };
api.scene = function () {
  return { nodes: Object.keys(scene.nodes).sort(), edges: Object.keys(scene.edges).sort(),
    entities: Object.keys(scene.entities).sort(), assertions: Object.keys(scene.assertions).sort() };
};
api.labels = function () {
  var out = {};
  Object.keys(scene.nodes).forEach(function (id) { out[id] = labelText(id); });
  return out;
};
