/* The scene: what the current view draws after filters, collapsed groups and expanded
 * neighbours, kept in two vis DataSets that are updated by difference. */

var state = {
  view: DATA.views[DATA.meta.view] ? DATA.meta.view : DATA.view_order[0],
  collapsed: {},     // group id -> true
  added: {},         // entity id -> {x, y, from}: neighbours brought into the view
  expanded: {},      // entity id -> [entity ids it added]
  hiddenTypes: {}, minRank: 0, minScore: 0,
  selected: null,    // entity whose neighbourhood is highlighted
  path: null,        // {nodes, hops} highlighted
  panel: null
};
var GROUP_PREFIX = "group:";
var VIEW_INDEX = {};  // view id -> {entities: set, assertions: set, groupOf: {entity: group id}, groups: {id: group}}
DATA.view_order.forEach(function (id) {
  var v = DATA.views[id], index = { entities: {}, assertions: {}, groupOf: {}, groups: {} };
  v.entities.forEach(function (e) { index.entities[e] = true; });
  v.assertions.forEach(function (a) { index.assertions[a] = true; });
  v.groups.forEach(function (g) {
    // a part of a large group comes after the group: the deepest group an entity is in wins
    index.groups[g.id] = g;
    g.members.forEach(function (m) { index.groupOf[m] = g.id; });
  });
  VIEW_INDEX[id] = index;
});
function view() { return DATA.views[state.view]; }
function viewIndex() { return VIEW_INDEX[state.view]; }

function nodeTitle(id) { return entityName(id) + " \u2014 " + vocab(typeOf(id)); }
function edgeTitle(id) {
  var a = DATA.assertions[id];
  return phrase(id) + " (" + vocab(a.level) + ", " + a.score + ")";
}
function groupName(g) { return pick(g, "name"); }

// ---- filters -------------------------------------------------------------------------------
function typeShown(id) { return !state.hiddenTypes[typeOf(id)]; }
function evidenceShown(id) {
  var a = DATA.assertions[id];
  return PINNED[id] || (rankOf(a.level) >= state.minRank && a.score >= state.minScore);
}
function assertionShown(id) {
  var a = DATA.assertions[id];
  return typeShown(a.subject) && typeShown(a.object) && evidenceShown(id);
}
function evidenceFiltered() { return state.minRank > 0 || state.minScore > 0; }

// ---- the scene -------------------------------------------------------------------------------
var nodes = new vis.DataSet([]);
var edges = new vis.DataSet([]);
var scene = { nodes: {}, edges: {}, entities: {}, assertions: {}, repOf: {} };

// the group an entity in group `g` is drawn as: its outermost collapsed group, or null when all are open
function drawnGroup(g) {
  var found = null, groups = viewIndex().groups;
  while (g) {
    if (state.collapsed[g]) { found = g; }
    g = groups[g].parent;
  }
  return found;
}
function groupOpen(g) {
  // a group whose box is drawn: it and every group around it are expanded
  var groups = viewIndex().groups;
  while (g) { if (state.collapsed[g]) { return false; } g = groups[g].parent; }
  return true;
}
function openGroupsOf(id) {
  var groups = viewIndex().groups, g = viewIndex().groupOf[id];
  while (g) {
    if (state.collapsed[g]) {
      delete state.collapsed[g];
      state.opened = (state.opened || []).filter(function (x) { return x !== g; }).concat([g]);
    }
    g = groups[g].parent;
  }
}
function inView(id) { return !!viewIndex().entities[id] || !!state.added[id]; }
function positionOf(id) {
  var added = state.added[id];
  if (added) { return [added.x, added.y]; }
  return view().positions[id];
}
function computeScene() {
  var v = view(), index = viewIndex(), candidate = {}, chosen = {}, touched = {}, entities = {};
  v.entities.forEach(function (e) { candidate[e] = true; });
  Object.keys(state.added).forEach(function (e) { candidate[e] = true; });
  // assertions: the view's own, and every assertion between a neighbour brought in and the view
  v.assertions.forEach(function (a) { if (assertionShown(a)) { chosen[a] = true; } });
  Object.keys(state.added).forEach(function (e) {
    OUT[e].concat(IN[e]).forEach(function (a) {
      var x = DATA.assertions[a];
      if (candidate[x.subject] && candidate[x.object] && assertionShown(a)) { chosen[a] = true; }
    });
  });
  if (state.path) { state.path.hops.forEach(function (a) { chosen[a] = true; }); }
  Object.keys(chosen).forEach(function (a) {
    touched[DATA.assertions[a].subject] = true; touched[DATA.assertions[a].object] = true;
  });
  Object.keys(candidate).forEach(function (e) {
    if (!typeShown(e)) { return; }
    if (evidenceFiltered() && !touched[e] && e !== DATA.meta.focus) { return; }
    entities[e] = true;
  });
  Object.keys(chosen).forEach(function (a) {
    if (!entities[DATA.assertions[a].subject] || !entities[DATA.assertions[a].object]) { delete chosen[a]; }
  });
  // representatives: an entity in a collapsed group is drawn as its group
  var repOf = {}, sceneNodes = {}, sceneEdges = {};
  Object.keys(entities).forEach(function (e) {
    var g = state.added[e] ? null : drawnGroup(index.groupOf[e]);
    var rep = g ? GROUP_PREFIX + g : e;
    repOf[e] = rep;
    if (!sceneNodes[rep]) { sceneNodes[rep] = { id: rep, group: g, members: [] }; }
    sceneNodes[rep].members.push(e);
  });
  Object.keys(chosen).sort(function (x, y) { return DATA.assertions[x].order - DATA.assertions[y].order; })
    .forEach(function (a) {
      var x = DATA.assertions[a], from = repOf[x.subject], to = repOf[x.object];
      if (from === x.subject && to === x.object) { sceneEdges[a] = { id: a, from: from, to: to, assertions: [a] }; return; }
      if (from === to) { return; }
      var key = "agg:" + from + "\u0000" + to;
      if (!sceneEdges[key]) { sceneEdges[key] = { id: key, from: from, to: to, assertions: [] }; }
      sceneEdges[key].assertions.push(a);
    });
  scene = { nodes: sceneNodes, edges: sceneEdges, entities: entities, assertions: chosen, repOf: repOf };
  return scene;
}

// ---- highlight -------------------------------------------------------------------------------------
function highlightSets() {
  if (state.path) {
    var on = {}, onEdge = {};
    state.path.nodes.forEach(function (n) { on[scene.repOf[n] || n] = true; });
    state.path.hops.forEach(function (a) { onEdge[a] = true; });
    Object.keys(scene.edges).forEach(function (k) {
      if (scene.edges[k].assertions.some(function (a) { return onEdge[a]; })) { onEdge[k] = true; }
    });
    return { nodes: on, edges: onEdge };
  }
  if (state.selected && scene.repOf[state.selected]) {
    var rep = scene.repOf[state.selected], near = {}, nearEdges = {};
    near[rep] = true;
    Object.keys(scene.edges).forEach(function (k) {
      var e = scene.edges[k];
      if (e.from === rep || e.to === rep) { near[e.from] = true; near[e.to] = true; nearEdges[k] = true; }
    });
    return { nodes: near, edges: nearEdges };
  }
  return null;
}

// ---- drawing the scene into the DataSets ------------------------------------------------------------------
function groupNode(sceneNode) {
  var g = viewIndex().groups[sceneNode.group], colour = DATA.group_colors[g.kind] || "#607d8b";
  var fill = g.type && DATA.types[g.type] ? DATA.types[g.type].color : "#ede7f6";
  return { id: sceneNode.id, shape: "square", size: 20, x: g.center[0], y: g.center[1], borderWidth: 3,
    color: { background: fill, border: colour, highlight: { background: fill, border: "#000000" },
      hover: { background: fill, border: "#000000" } },
    title: groupName(g) + " \u2014 " + t("group_members", { count: g.members.length }) };
}
function smoothFor(from, to, index) {
  var a = positionOf(from) || [0, 0], b = positionOf(to) || [0, 0];
  if (Math.abs(a[0] - b[0]) > 20 && index === 0) {
    return { enabled: true, type: "cubicBezier", forceDirection: "horizontal", roundness: 0.45 };
  }
  var base = Math.abs(a[0] - b[0]) > 20 ? 0.12 : 0.3;
  return { enabled: true, type: "curvedCW", roundness: Math.round((base + 0.1 * index) * 100) / 100 };
}
// the most a scene draws before older groups are closed again (frames stay fast)
var NODE_BUDGET = 450, EDGE_BUDGET = 2000;
function withinBudget() {
  return Object.keys(scene.nodes).length <= NODE_BUDGET && Object.keys(scene.edges).length <= EDGE_BUDGET;
}
function enforceBudget() {
  // close the groups opened longest ago until the scene fits; never the last one opened nor a group around it
  var closed = [], order = (state.opened || []).slice(), groups = viewIndex().groups;
  var last = order[order.length - 1], keep = {};
  for (var g = last; g; g = groups[g] && groups[g].parent) { keep[g] = true; }
  // the parts of large groups first, then whole groups, each oldest first
  var candidates = order.filter(function (x) { return groups[x] && groups[x].parent; })
    .concat(order.filter(function (x) { return groups[x] && !groups[x].parent; }));
  for (var i = 0; i < candidates.length && !withinBudget(); i++) {
    if (keep[candidates[i]] || state.collapsed[candidates[i]]) { continue; }
    state.collapsed[candidates[i]] = true;
    closed.push(candidates[i]);
    computeScene();
  }
  state.opened = order.filter(function (x) { return closed.indexOf(x) < 0; });
  api.closedForBudget = closed;
  return closed;
}
function render() {
  computeScene();
  if (!withinBudget()) { enforceBudget(); }
  var lit = highlightSets();
  var wantedNodes = [], wantedEdges = [], keepNodes = {}, keepEdges = {};
  Object.keys(scene.nodes).sort().forEach(function (id) {
    var s = scene.nodes[id], record;
    if (s.group) {
      record = groupNode(s);
      var centre = groupCentre(s.group);
      record.x = centre[0]; record.y = centre[1];
    } else {
      var p = positionOf(id) || [0, 0];
      record = Object.assign({}, BASE_NODES[id], { x: p[0], y: p[1], title: nodeTitle(id) });
      if (state.added[id]) { record.borderWidth = 2.5; record.shapeProperties = { borderDashes: [4, 3] }; }
    }
    record.opacity = !lit || lit.nodes[id] ? 1 : 0.18;
    keepNodes[id] = true;
    wantedNodes.push(record);
  });
  var pairs = {};
  Object.keys(scene.edges).sort().forEach(function (id) {
    var s = scene.edges[id], base, record;
    var pair = s.from < s.to ? s.from + "\u0000" + s.to : s.to + "\u0000" + s.from;
    var index = pairs[pair] || 0;
    pairs[pair] = index + 1;
    if (s.assertions.length === 1 && id === s.assertions[0]) {
      base = BASE_EDGES[id];
      record = Object.assign({}, base, { title: edgeTitle(id), color: Object.assign({}, base.color) });
      if (PINNED[id]) { record.dashes = [2, 4]; record.title += " \u2014 " + t("below_floor"); }
    } else {
      record = { id: id, from: s.from, to: s.to, width: Math.min(8, 1 + Math.log2(1 + s.assertions.length)),
        arrows: { to: { enabled: true, type: "arrow", scaleFactor: 0.7 } },
        color: { color: "#90a4ae", highlight: "#546e7a", hover: "#546e7a", opacity: 0.8 },
        title: s.assertions.length + " \u00d7 " + t("assertion") };
    }
    record.smooth = Object.keys(scene.edges).length > 800 ? false : smoothFor(s.from, s.to, index);
    if (lit) {
      record.color.opacity = lit.edges[id] ? 1 : 0.07;
      if (lit.edges[id]) { record.width = (record.width || 1) + 2; }
    }
    keepEdges[id] = true;
    wantedEdges.push(record);
  });
  var goneEdges = edges.getIds().filter(function (id) { return !keepEdges[id]; });
  var goneNodes = nodes.getIds().filter(function (id) { return !keepNodes[id]; });
  if (goneEdges.length) { edges.remove(goneEdges); }
  if (goneNodes.length) { nodes.remove(goneNodes); }
  nodes.update(wantedNodes);
  edges.update(wantedEdges);
  updateCounts();
}
function groupCentre(groupId) {
  var g = viewIndex().groups[groupId];
  return g.center;
}
function updateCounts() {
  var findings = {}, entities = Object.keys(scene.entities), assertions = Object.keys(scene.assertions);
  assertions.forEach(function (a) {
    DATA.assertions[a].supporting.concat(DATA.assertions[a].refuting).forEach(function (f) { findings[f] = true; });
  });
  $("counts").textContent = t("view_counts", { entities: entities.length, assertions: assertions.length,
    findings: Object.keys(findings).length });
  $("shown").textContent = t("shown", { nodes: Object.keys(scene.nodes).length, edges: Object.keys(scene.edges).length });
  api.shown = { nodes: Object.keys(scene.nodes).length, edges: Object.keys(scene.edges).length,
    entities: entities.length, assertions: assertions.length, findings: Object.keys(findings).length };
}

// ---- the network ----------------------------------------------------------------------------------------------
var container = $("map");
var network = new vis.Network(container, { nodes: nodes, edges: edges }, {
  autoResize: true,
  physics: { enabled: false },
  layout: { improvedLayout: false, randomSeed: 1 },
  interaction: { hover: true, tooltipDelay: 150, hideEdgesOnDrag: true, hideEdgesOnZoom: false,
    navigationButtons: false, keyboard: false, multiselect: false, zoomView: true },
  nodes: { borderWidth: 1.5 },
  edges: { selectionWidth: 2, hoverWidth: 1, arrowStrikethrough: false }
});
var api = { ready: false, drawnAt: null, network: network, nodes: nodes, edges: edges, state: state };
window.mechgraph = api;

function fit() {
  var ids = nodes.getIds();
  if (!ids.length) { return; }
  network.fit({ nodes: ids, animation: false });
  network.moveTo({ scale: network.getScale() * 0.92, animation: false });
  api.fitted = (api.fitted || 0) + 1;
}

// ---- group boxes and column headers (drawn under the nodes) ---------------------------------------------------
var BOX_PAD = { left: 70, top: 50, right: 70, bottom: 42 };
function groupBoxes() {
  // one box per open group that has a member drawn, around its members' places (canvas coordinates)
  var boxes = [];
  view().groups.forEach(function (g) {
    if (!groupOpen(g.id) || !g.members.some(function (m) { return scene.entities[m]; })) { return; }
    var inner = g.parent ? 8 : 0;
    boxes.push({ group: g, x0: g.box[0] - BOX_PAD.left + inner, y0: g.box[1] - BOX_PAD.top + inner + (g.children ? -6 : 0),
      x1: g.box[2] + BOX_PAD.right - inner, y1: g.box[3] + BOX_PAD.bottom - inner });
  });
  return boxes;
}
function roundRect(ctx, x, y, w, h, r) {
  ctx.beginPath();
  ctx.moveTo(x + r, y); ctx.lineTo(x + w - r, y); ctx.quadraticCurveTo(x + w, y, x + w, y + r);
  ctx.lineTo(x + w, y + h - r); ctx.quadraticCurveTo(x + w, y + h, x + w - r, y + h);
  ctx.lineTo(x + r, y + h); ctx.quadraticCurveTo(x, y + h, x, y + h - r);
  ctx.lineTo(x, y + r); ctx.quadraticCurveTo(x, y, x + r, y);
  ctx.closePath();
}
network.on("beforeDrawing", function (ctx) {
  var scale = network.getScale();
  api.boxes = groupBoxes();
  ctx.save();
  api.boxes.forEach(function (box) {
    var colour = DATA.group_colors[box.group.kind] || "#607d8b";
    roundRect(ctx, box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0, 14 / scale);
    ctx.globalAlpha = 0.06; ctx.fillStyle = colour; ctx.fill();
    ctx.globalAlpha = 0.55; ctx.lineWidth = 1.5 / scale; ctx.strokeStyle = colour; ctx.stroke();
  });
  ctx.restore();
});

// ---- neighbours brought into the view ---------------------------------------------------------------------------------
var EXPAND_LIMIT = 60;
function hiddenNeighbours(id) {
  // neighbours of an entity that the view does not draw, strongest evidence first
  var best = {};
  OUT[id].concat(IN[id]).forEach(function (a) {
    if (!assertionShown(a)) { return; }
    var x = DATA.assertions[a], other = x.subject === id ? x.object : x.subject;
    if (other === id || inView(other)) { return; }
    if (!best[other] || x.score > best[other].score) { best[other] = { score: x.score, out: x.subject === id }; }
  });
  return Object.keys(best).sort(function (p, q) {
    return best[q].score - best[p].score || (p < q ? -1 : 1);
  }).map(function (n) { return { id: n, out: best[n].out }; });
}
function occupied(x, y) {
  var taken = false;
  Object.keys(scene.nodes).some(function (id) {
    var n = network.body.nodes[id];
    if (n && Math.abs(n.x - x) < 150 && Math.abs(n.y - y) < 60) { taken = true; }
    return taken;
  });
  Object.keys(state.added).some(function (id) {
    var p = state.added[id];
    if (Math.abs(p.x - x) < 150 && Math.abs(p.y - y) < 60) { taken = true; }
    return taken;
  });
  return taken;
}
function slotNear(x, y) {
  for (var i = 0; i < 400; i++) {
    var dy = (i % 2 === 0 ? 1 : -1) * Math.ceil(i / 2) * 80;
    if (!occupied(x, y + dy)) { return [x, y + dy]; }
  }
  return [x, y];
}
function expand(id) {
  var n = network.body.nodes[id] || { x: 0, y: 0 };
  var found = hiddenNeighbours(id).slice(0, EXPAND_LIMIT), added = [];
  found.forEach(function (item) {
    var slot = slotNear(Math.round(n.x + (item.out ? 300 : -300)), Math.round(n.y));
    state.added[item.id] = { x: slot[0], y: slot[1], from: id };
    added.push(item.id);
  });
  if (added.length) { state.expanded[id] = (state.expanded[id] || []).concat(added); }
  return added;
}
function collapse(id) {
  (state.expanded[id] || []).forEach(function (n) {
    if (state.expanded[n]) { collapse(n); }
    delete state.added[n];
  });
  delete state.expanded[id];
}
function bringIn(ids, near) {
  // make entities visible: expand their collapsed groups, add those outside the view next to `near`
  ids.forEach(function (id, i) {
    openGroupsOf(id);
    if (!inView(id)) {
      var anchor = network.body.nodes[i > 0 ? ids[i - 1] : near] || state.added[ids[i - 1]] || { x: 0, y: 0 };
      var slot = slotNear(Math.round(anchor.x + 300), Math.round(anchor.y));
      state.added[id] = { x: slot[0], y: slot[1], from: near };
      (state.expanded[near] = state.expanded[near] || []).push(id);
    }
  });
}
