/* Path highlighting with the same rules as `mechgraph path`: directed causal steps, a drug
 * may begin with its target, never through a drug or an outcome; ranked by the weakest step,
 * then length, then level, then ids. The search runs over every assertion the filters let
 * through, whatever the view draws; the path found is then brought into the view. */

var NOT_THROUGH = { Drug: 1, Compound: 1, Metabolite: 1, Condition: 1, Phenotype: 1, AdverseEffect: 1,
  Population: 1, Procedure: 1, Route: 1, Measure: 1 };

function usable() {
  return Object.keys(DATA.assertions).filter(function (id) {
    return typeShown(DATA.assertions[id].subject) && typeShown(DATA.assertions[id].object) && evidenceShown(id);
  }).sort(function (x, y) { return DATA.assertions[x].order - DATA.assertions[y].order; });
}
function chainSteps(start, end, ordered) {
  var steps = {};
  var passable = function (n) { return n === start || n === end || !NOT_THROUGH[typeOf(n)]; };
  ordered.forEach(function (id) {
    var a = DATA.assertions[id], u = a.subject, v = a.object;
    if (u === v || (!a.supporting.length && a.refuting.length)) { return; }
    var first = u === start && DRUG_TYPES[typeOf(start)] && (a.relation === "drug-target" || a.relation === "drug-effect");
    if (a.relation !== "causal" && !first) { return; }
    if (!passable(u) || !passable(v) || v === start || u === end) { return; }
    var row = steps[u] = steps[u] || {};
    var best = row[v] ? DATA.assertions[row[v]] : null;
    if (!best || a.score > best.score || (a.score === best.score && rankOf(a.level) > rankOf(best.level))) { row[v] = id; }
  });
  return steps;
}
function chainsBetween(start, end, maxHops, ordered) {
  var steps = chainSteps(start, end, ordered), found = [];
  (function extend(path, hops) {
    var u = path[path.length - 1];
    Object.keys(steps[u] || {}).forEach(function (v) {
      if (path.indexOf(v) >= 0) { return; }
      var nextPath = path.concat([v]), nextHops = hops.concat([steps[u][v]]);
      if (v === end) { found.push({ nodes: nextPath, hops: nextHops }); return; }
      if (nextHops.length < maxHops) { extend(nextPath, nextHops); }
    });
  })([start], []);
  return found;
}
function chainKey(c) {
  var scores = c.hops.map(function (id) { return DATA.assertions[id].score; });
  var ranks = c.hops.map(function (id) { return rankOf(DATA.assertions[id].level); });
  return [-Math.min.apply(null, scores), c.hops.length, -Math.min.apply(null, ranks)];
}
function compareChains(x, y) {
  var a = chainKey(x), b = chainKey(y);
  for (var i = 0; i < a.length; i++) { if (a[i] !== b[i]) { return a[i] - b[i]; } }
  for (var j = 0; j < x.nodes.length; j++) { if (x.nodes[j] !== y.nodes[j]) { return x.nodes[j] < y.nodes[j] ? -1 : 1; } }
  return 0;
}
function chainRecord(found) {
  // the path-level fields of a chain, as chains.chain_summary gives them
  var scores = found.hops.map(function (id) { return DATA.assertions[id].score; });
  var weakest = 0;
  scores.forEach(function (s, i) {
    var w = DATA.assertions[found.hops[weakest]], c = DATA.assertions[found.hops[i]];
    if (s < scores[weakest] || (s === scores[weakest] && rankOf(c.level) < rankOf(w.level))) { weakest = i; }
  });
  var signed = found.hops.every(function (id) { return DATA.assertions[id].sign; });
  var sign = null;
  if (signed) {
    var minus = found.hops.filter(function (id) { return DATA.assertions[id].sign === "-"; }).length;
    sign = minus % 2 ? "-" : "+";
  }
  var record = { nodes: found.nodes, hops: found.hops, kind: "chain", score: scores[weakest], weakest: weakest,
    sign: sign, drug: DRUG_TYPES[typeOf(found.nodes[0])] ? found.nodes[0] : null, steps: null };
  record.steps = found.hops.map(function (_, i) { return stepInfo(record, i); });
  record.borrowed = record.steps.some(function (s) { return s.borrowed; });
  return record;
}
function bestChain(from, to) {
  var ordered = usable();
  var all = chainsBetween(from, to, 4, ordered).concat(chainsBetween(to, from, 4, ordered));
  all.sort(compareChains);
  return all.length ? chainRecord(all[0]) : null;
}
function shortestPath(from, to) {
  // fewest hops over the assertions the filters let through, in either direction; among those, the best evidence
  var best = {}, adjacency = {};
  usable().forEach(function (id) {
    var a = DATA.assertions[id];
    if (a.subject === a.object) { return; }
    [[a.subject, a.object], [a.object, a.subject]].forEach(function (pair) {
      var key = pair[0] + "\u0000" + pair[1];
      if (!best[key] || a.score > DATA.assertions[best[key]].score) { best[key] = id; }
      (adjacency[pair[0]] = adjacency[pair[0]] || {})[pair[1]] = true;
    });
  });
  var cost = {}, previous = {}, done = {}, queue = [from];
  cost[from] = 0;
  while (queue.length) {
    queue.sort(function (a, b) { return cost[a] - cost[b] || (a < b ? -1 : 1); });
    var current = queue.shift();
    if (done[current]) { continue; }
    done[current] = true;
    if (current === to) { break; }
    Object.keys(adjacency[current] || {}).sort().forEach(function (next) {
      var edge = best[current + "\u0000" + next];
      var c = cost[current] + 1 + (1 - DATA.assertions[edge].score) * 0.001;
      if (cost[next] === undefined || c < cost[next] - 1e-12) { cost[next] = c; previous[next] = [current, edge]; queue.push(next); }
    });
  }
  if (!done[to]) { return null; }
  var pathNodes = [to], pathEdges = [], at = to;
  while (at !== from) { pathEdges.unshift(previous[at][1]); at = previous[at][0]; pathNodes.unshift(at); }
  return { nodes: pathNodes, hops: pathEdges, kind: "connection", score: Math.min.apply(null,
    pathEdges.map(function (e) { return DATA.assertions[e].score; })), steps: null, drug: null };
}
function resolve(text) {
  var found = search(text, 1);
  return found.length ? found[0].id : null;
}
function showRecord(record) {
  // highlight a path: bring its entities into the view, dim the rest, list its steps
  pushHistory();
  bringIn(record.nodes, record.nodes[0]);
  state.path = { nodes: record.nodes.slice(), hops: record.hops.slice() };
  state.selected = null;
  render();
  api.highlighted = { nodes: record.nodes.slice(), edges: record.hops.slice(), chain: record.kind === "chain" };
  showPathHops(record);
}
function clearHighlight() {
  state.path = null;
  state.selected = null;
  api.highlighted = null;
  $("path-message").textContent = "";
  network.unselectAll();
  render();
}
function highlightPath(fromText, toText) {
  var from = DATA.entities[fromText] ? fromText : resolve(fromText);
  var to = DATA.entities[toText] ? toText : resolve(toText);
  var message = $("path-message");
  if (!from || !to) {
    message.textContent = t("path_unknown") + ": " + (!from ? fromText : toText);
    return null;
  }
  $("path-from").value = entityName(from); $("path-to").value = entityName(to);
  var found = from === to ? null : bestChain(from, to), chain = !!found;
  if (!found && from !== to) { found = shortestPath(from, to); }
  if (!found) { clearHighlight(); message.textContent = t("path_none"); return null; }
  showRecord(found);
  message.textContent = (chain ? "" : t("path_no_chain") + " ") + found.nodes.map(entityName).join(chain ? " \u2192 " : " \u2014 ");
  return found;
}
