/* mechgraph map: search, filters, evidence panel, path highlighting, English/Chinese.
 * Every text from the graph enters the document through textContent (never as markup). */
(function () {
  "use strict";

  var DATA = JSON.parse(document.getElementById("mechgraph-data").textContent);
  var lang = DATA.meta.lang;
  var LEVELS = DATA.levels;
  var SVG = "http://www.w3.org/2000/svg";

  // ---- words -------------------------------------------------------------------
  function t(key, params) {
    var text = DATA.strings[lang][key];
    if (text === undefined) { text = key; }
    if (params) {
      Object.keys(params).forEach(function (name) { text = text.split("{" + name + "}").join(String(params[name])); });
    }
    return text;
  }
  function vocab(term) {
    var label = DATA.vocabulary[lang][term];
    return label === undefined ? String(term).replace(/_/g, " ") : label;
  }
  function pick(record, field) {
    var zh = record[field + "_zh"];
    if (lang === "zh" && zh) { return zh; }
    return record[field] || zh || "";
  }
  function entityName(id) {
    var record = DATA.entities[id] || DATA.names[id];
    return record ? pick(record, "name") : id;
  }
  function rankOf(level) { return LEVELS.length - LEVELS.indexOf(level); }

  // ---- DOM helpers (text only) -----------------------------------------------------
  function h(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function $(id) { return document.getElementById(id); }

  // ---- names and search (as the command line: names.normalise and NameIndex.search) ----
  var GREEK = { "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "κ": "kappa",
    "λ": "lambda", "μ": "mu", "µ": "mu", "σ": "sigma", "τ": "tau", "ω": "omega", "θ": "theta",
    "ζ": "zeta", "η": "eta" };
  var IGNORED = /[\s\-_\u2010\u2011\u2013\u2014\u00b7.,'\u2019\/()\uff08\uff09\[\]]+/g;
  function normalise(text) {
    var lower = String(text).normalize("NFKC").toLowerCase();
    var out = "";
    for (var i = 0; i < lower.length; i++) { out += GREEK[lower[i]] || lower[i]; }
    return out.replace(IGNORED, "");
  }
  function similarity(a, b) {
    // 2 * longest common subsequence / total length, like difflib's ratio
    var prev = new Array(b.length + 1).fill(0), row, i, j;
    for (i = 1; i <= a.length; i++) {
      row = [0];
      for (j = 1; j <= b.length; j++) {
        row[j] = a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], row[j - 1]);
      }
      prev = row;
    }
    return (2 * prev[b.length]) / (a.length + b.length);
  }
  var KEYS = [];
  Object.keys(DATA.entities).forEach(function (id) {
    DATA.entities[id].keys.forEach(function (key) { KEYS.push([key, id]); });
  });
  function search(text, limit) {
    var query = normalise(text);
    if (!query) { return []; }
    var best = {};
    KEYS.forEach(function (pair) {
      var key = pair[0], score = 0;
      if (key === query) { score = 1; }
      else if (key.indexOf(query) === 0) { score = 0.9; }
      else if (key.indexOf(query) >= 0) { score = 0.7; }
      else if ((query.length >= 3 && query[0] === key[0]) || query.length >= 4) {
        var ratio = similarity(query, key);
        score = ratio >= 0.6 ? ratio * 0.8 : 0;
      }
      if (score > (best[pair[1]] || 0)) { best[pair[1]] = score; }
    });
    return Object.keys(best).sort(function (a, b) {
      var na = DATA.entities[a].name.toLowerCase(), nb = DATA.entities[b].name.toLowerCase();
      return best[b] - best[a] || (na < nb ? -1 : na > nb ? 1 : (a < b ? -1 : 1));
    }).slice(0, limit || 10).map(function (id) { return { id: id, score: best[id] }; });
  }

  // ---- the network ---------------------------------------------------------------------
  var BASE_NODES = {}, BASE_EDGES = {};
  DATA.nodes.forEach(function (n) { BASE_NODES[n.id] = n; });
  DATA.edges.forEach(function (e) { BASE_EDGES[e.id] = e; });

  function nodeTitle(id) {
    var e = DATA.entities[id];
    return pick(e, "name") + " — " + vocab(e.type);
  }
  function edgeTitle(id) {
    var a = DATA.assertions[id];
    return entityName(a.subject) + " " + vocab(a.predicate) + " " + entityName(a.object) +
      " (" + vocab(a.level) + ", " + a.score + ")";
  }
  var nodes = new vis.DataSet(DATA.nodes.map(function (n) {
    return Object.assign({}, n, { label: entityName(n.id), title: nodeTitle(n.id) });
  }));
  var edges = new vis.DataSet(DATA.edges.map(function (e) {
    return Object.assign({}, e, { title: edgeTitle(e.id) });
  }));
  var container = $("map");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, {
    autoResize: true,
    physics: { enabled: false },
    layout: { improvedLayout: false, randomSeed: 1 },
    interaction: { hover: true, tooltipDelay: 150, hideEdgesOnDrag: true, navigationButtons: false,
      keyboard: false, multiselect: false },
    nodes: { borderWidth: 1.5, widthConstraint: { maximum: 150 },
      font: { size: 14, color: "#1d2327", strokeWidth: 3, strokeColor: "#ffffff" } },
    edges: { selectionWidth: 2, hoverWidth: 1, arrowStrikethrough: false }
  });

  var api = { ready: false, drawnAt: null, network: network, nodes: nodes, edges: edges };
  window.mechgraph = api;

  network.on("beforeDrawing", function (ctx) {
    // column headers: about 15 screen pixels high, all one size, shrunk until no title reaches its neighbour
    var tiers = DATA.columns.tiers, size = 15 / network.getScale();
    ctx.save();
    ctx.font = "600 100px system-ui, sans-serif";
    tiers.forEach(function (tier, i) {
      var room = Infinity, title = lang === "zh" ? tier.title_zh : tier.title;
      if (i > 0) { room = Math.min(room, tier.x - tiers[i - 1].x); }
      if (i < tiers.length - 1) { room = Math.min(room, tiers[i + 1].x - tier.x); }
      if (room !== Infinity) { size = Math.min(size, 100 * room * 0.9 / ctx.measureText(title).width); }
    });
    ctx.font = "600 " + Math.max(8, Math.round(size)) + "px system-ui, sans-serif";
    ctx.fillStyle = "#90a4ae";
    ctx.textAlign = "center";
    tiers.forEach(function (tier) {
      ctx.fillText(lang === "zh" ? tier.title_zh : tier.title, tier.x, DATA.columns.header_y);
    });
    ctx.restore();
  });
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
  function fit() {
    network.fit({ animation: false });
    network.moveTo({ scale: network.getScale() * 0.92, animation: false });
  }
  fit();

  // ---- filters ----------------------------------------------------------------------------
  var state = { hiddenTypes: {}, minRank: 0, minScore: 0, path: null, panel: null };
  api.state = state;

  function edgeVisible(id) {
    var a = DATA.assertions[id];
    return !state.hiddenTypes[DATA.entities[a.subject].type] && !state.hiddenTypes[DATA.entities[a.object].type] &&
      rankOf(a.level) >= state.minRank && a.score >= state.minScore;
  }
  function applyFilters() {
    var evidenceFilter = state.minRank > 0 || state.minScore > 0;
    var touched = {}, edgeUpdates = [], nodeUpdates = [], shownEdges = 0, shownNodes = 0;
    edges.forEach(function (e) {
      var show = edgeVisible(e.id);
      if (show) {
        shownEdges++;
        touched[DATA.assertions[e.id].subject] = true;
        touched[DATA.assertions[e.id].object] = true;
      }
      if (!!e.hidden === show) { edgeUpdates.push({ id: e.id, hidden: !show }); }
    });
    nodes.forEach(function (n) {
      var show = !state.hiddenTypes[DATA.entities[n.id].type] && (!evidenceFilter || !!touched[n.id]);
      if (show) { shownNodes++; }
      if (!!n.hidden === show) { nodeUpdates.push({ id: n.id, hidden: !show }); }
    });
    if (nodeUpdates.length) { nodes.update(nodeUpdates); }
    if (edgeUpdates.length) { edges.update(edgeUpdates); }
    $("shown").textContent = t("shown", { nodes: shownNodes, edges: shownEdges });
    api.shown = { nodes: shownNodes, edges: shownEdges };
  }

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
  function edgeSwatch(color, head, dashed) {
    var svg = document.createElementNS(SVG, "svg"), line = document.createElementNS(SVG, "line"), mark;
    svg.setAttribute("width", "34"); svg.setAttribute("height", "14"); svg.setAttribute("class", "swatch");
    line.setAttribute("x1", "1"); line.setAttribute("y1", "7"); line.setAttribute("x2", "27"); line.setAttribute("y2", "7");
    line.setAttribute("stroke", color); line.setAttribute("stroke-width", "2.5");
    if (dashed) { line.setAttribute("stroke-dasharray", "5,3"); }
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

  var typeCounts = {};
  DATA.nodes.forEach(function (n) { var type = DATA.entities[n.id].type; typeCounts[type] = (typeCounts[type] || 0) + 1; });
  var typeLabels = {};
  function buildLegend() {
    var list = $("legend-types");
    DATA.type_order.forEach(function (type) {
      if (!typeCounts[type]) { return; }
      var item = h("li"), label = h("label"), box = h("input"), name = h("span", "type-name", vocab(type));
      box.type = "checkbox"; box.checked = true; box.value = type; box.setAttribute("data-type", type);
      box.addEventListener("change", function () {
        if (box.checked) { delete state.hiddenTypes[type]; } else { state.hiddenTypes[type] = true; }
        applyFilters();
      });
      typeLabels[type] = name;
      label.appendChild(box); label.appendChild(shapeSwatch(type)); label.appendChild(name);
      label.appendChild(h("span", "count", typeCounts[type]));
      item.appendChild(label); list.appendChild(item);
    });
    var edgesList = $("legend-edges");
    [["legend_activation", DATA.signs["+"].color, DATA.signs["+"].head, false],
     ["legend_inhibition", DATA.signs["-"].color, DATA.signs["-"].head, false],
     ["legend_association", DATA.signs.None.color, DATA.signs.None.head, false],
     ["legend_contested", "#546e7a", null, true],
     ["legend_width", "#546e7a", null, false]].forEach(function (row) {
      var item = h("li"), text = h("span", null, t(row[0]));
      text.setAttribute("data-i18n", row[0]);
      var swatch = edgeSwatch(row[1], row[2], row[3]);
      if (row[0] === "legend_width") { swatch.firstChild.setAttribute("stroke-width", "6"); }
      item.appendChild(swatch); item.appendChild(text); edgesList.appendChild(item);
    });
    function setAll(checked) {
      list.querySelectorAll("input[type=checkbox]").forEach(function (box) {
        box.checked = checked;
        if (checked) { delete state.hiddenTypes[box.value]; } else { state.hiddenTypes[box.value] = true; }
      });
      applyFilters();
    }
    $("types-all").addEventListener("click", function () { setAll(true); });
    $("types-none").addEventListener("click", function () { setAll(false); });
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
    applyFilters();
  });
  $("min-score").addEventListener("input", function () {
    state.minScore = parseFloat($("min-score").value) || 0;
    $("min-score-value").textContent = state.minScore.toFixed(2);
    applyFilters();
  });

  // ---- the side panel ------------------------------------------------------------------------
  var body = $("panel-body");
  function linkButton(text, onClick) {
    var b = h("button", "link", text); b.type = "button"; b.addEventListener("click", onClick); return b;
  }
  function definitions(rows) {
    var dl = h("dl");
    rows.forEach(function (row) {
      if (row[1] === undefined || row[1] === null || row[1] === "" || (row[1].length === 0)) { return; }
      dl.appendChild(h("dt", null, row[0]));
      var dd = h("dd");
      if (row[1] instanceof Node) { dd.appendChild(row[1]); } else { dd.textContent = String(row[1]); }
      dl.appendChild(dd);
    });
    return dl;
  }
  function sourceText(id) {
    var s = DATA.sources[id];
    if (!s) { return id; }
    var parts = [];
    if (s.authors && s.authors.length) { parts.push(s.authors.join(", ")); }
    if (s.year) { parts.push("(" + s.year + ")"); }
    var title = pick(s, "title");
    if (title) { parts.push(title); }
    if (s.journal) { parts.push(s.journal); }
    if (s.ref) { parts.push("[" + t("ref") + " " + s.ref + "]"); }
    return (parts.length ? parts.join(" ") : id);
  }
  function interventionText(i) {
    var bits = [entityName(i.drug)];
    var details = [];
    if (i.dose) { details.push(i.dose); }
    if (i.route) { details.push(vocab(i.route)); }
    if (i.timing) { details.push(i.timing); }
    return bits.concat(details.length ? [": " + details.join(", ")] : []).join("");
  }
  function findingCard(id) {
    var f = DATA.findings[id];
    var card = h("article", "finding " + (f ? f.direction : ""));
    card.setAttribute("data-finding", id);
    if (!f) { card.appendChild(h("p", "statement", id)); return card; }
    card.appendChild(h("p", "statement", pick(f, "statement")));
    var seed = DATA.sources[f.source];
    var locator = (seed && seed.file ? seed.file : f.source) + " " + f.locator.join(", ");
    var cites = (f.cites || []).map(sourceText).join("; ");
    var n = Object.keys(f.n || {}).map(function (k) { return k + " " + f.n[k]; }).join(", ");
    var quantities = (f.quantities || []).map(function (q) { return q.name + ": " + q.value; }).join("; ");
    card.appendChild(definitions([
      [t("direction"), vocab(f.direction)],
      [t("role"), vocab(f.role) + (f.guidance ? " · " + vocab(f.guidance) : "")],
      [t("study_type"), f.study_type === f.level ? vocab(f.level) : vocab(f.study_type) + " · " + vocab(f.level)],
      [t("study"), f.study],
      [t("species"), (f.species || []).map(vocab).join(", ")],
      [t("sex"), f.sex ? vocab(f.sex) : ""],
      [t("population"), f.population],
      [t("model"), f.model],
      [t("dose_route"), (f.interventions || []).map(interventionText).join("; ")],
      [t("outcome"), f.outcome],
      [t("timepoint"), f.timepoint],
      [t("result"), f.result],
      [t("n"), n],
      [t("quantities"), quantities],
      [t("citation"), sourceText(f.source)],
      [t("cites"), cites],
      [t("locator"), locator],
      [t("quality_note"), pick(f, "quality_note")],
      [t("id"), id]
    ]));
    return card;
  }
  function assertionLine(id, side) {
    var a = DATA.assertions[id];
    var other = side === "out" ? a.object : a.subject;
    var text = (side === "out" ? vocab(a.predicate) + " → " : "← " + vocab(a.predicate) + " ") + entityName(other);
    var item = h("li");
    item.appendChild(linkButton(text, function () { selectAssertion(id); }));
    item.appendChild(h("span", "badge", vocab(a.level) + " · " + a.score));
    if (a.refuting.length) { item.appendChild(h("span", "badge contested", vocab("refutes") + " " + a.refuting.length)); }
    return item;
  }
  function showEmpty() {
    state.panel = null;
    clear(body);
    if (DATA.paths.length) { showPaths(); return; }
    body.appendChild(h("p", "empty", t("panel_empty")));
  }
  function showEntity(id) {
    state.panel = { kind: "entity", id: id };
    var e = DATA.entities[id];
    clear(body);
    body.setAttribute("data-kind", "entity"); body.setAttribute("data-id", id);
    body.appendChild(h("h2", null, pick(e, "name")));
    body.appendChild(h("p", "sub", (lang === "zh" ? e.name : e.name_zh) + " · " + vocab(e.type)));
    var xrefs = Object.keys(e.xrefs).map(function (k) { return k + ": " + e.xrefs[k]; }).join("; ");
    body.appendChild(definitions([
      [t("id"), id], [t("type"), vocab(e.type)], [t("aliases"), e.aliases.join(", ")],
      [t("xrefs"), xrefs], [t("description"), pick(e, "description")]
    ]));
    [["out", "outgoing"], ["in", "incoming"]].forEach(function (side) {
      var ids = Object.keys(DATA.assertions).filter(function (a) {
        return DATA.assertions[a][side[0] === "out" ? "subject" : "object"] === id;
      });
      if (!ids.length) { return; }
      body.appendChild(h("h3", null, t(side[1]) + " (" + ids.length + ")"));
      var list = h("ul", "links");
      ids.sort(function (x, y) { return rankOf(DATA.assertions[y].level) - rankOf(DATA.assertions[x].level) || DATA.assertions[y].score - DATA.assertions[x].score; });
      ids.forEach(function (a) { list.appendChild(assertionLine(a, side[0])); });
      body.appendChild(list);
    });
    if (e.about.length) {
      body.appendChild(h("h3", null, t("about") + " (" + e.about.length + ")"));
      e.about.forEach(function (f) { body.appendChild(findingCard(f)); });
    }
    (e.mentions || []).forEach(function (pair) {
      var section = h("section", "mentions");
      section.setAttribute("data-role", pair[0]);
      section.appendChild(h("h3", null, t("mention_" + pair[0]) + " (" + pair[1].length + ")"));
      pair[1].forEach(function (f) { section.appendChild(findingCard(f)); });
      body.appendChild(section);
    });
    var topics = GUIDANCE_ORDER.filter(function (topic) { return (e.guidance || {})[topic]; });
    if (topics.length) {
      var guidance = h("section", "guidance");
      guidance.appendChild(h("h3", null, t("guidance")));
      topics.forEach(function (topic) {
        guidance.appendChild(h("h4", null, vocab(topic)));
        e.guidance[topic].forEach(function (f) { guidance.appendChild(findingCard(f)); });
      });
      body.appendChild(guidance);
    }
  }
  function showAssertion(id) {
    state.panel = { kind: "assertion", id: id };
    var a = DATA.assertions[id];
    clear(body);
    body.setAttribute("data-kind", "assertion"); body.setAttribute("data-id", id);
    body.appendChild(h("h2", null, entityName(a.subject) + " " + vocab(a.predicate) + " " + entityName(a.object)));
    body.appendChild(h("p", "sub", t("assertion") + " · " + id));
    var ends = h("span");
    ends.appendChild(linkButton(entityName(a.subject), function () { selectEntity(a.subject); }));
    ends.appendChild(document.createTextNode(" → "));
    ends.appendChild(linkButton(entityName(a.object), function () { selectEntity(a.object); }));
    var context = Object.keys(a.context).map(function (k) {
      return vocab(k) + ": " + a.context[k].map(function (v) {
        return (DATA.entities[v] || DATA.names[v]) ? entityName(v) : vocab(v);
      }).join(", ");
    }).join("; ");
    var sign = a.sign === "+" ? t("sign_plus") : a.sign === "-" ? t("sign_minus") : t("sign_none");
    body.appendChild(definitions([
      [t("entity"), ends], [t("sign"), sign], [t("relation"), vocab(a.relation)], [t("level"), vocab(a.level)],
      [t("score"), String(a.score)],
      [t("species"), a.species.map(vocab).join(", ")], [t("context"), context], [t("note"), a.note]
    ]));
    body.appendChild(scoreSection(a.score_parts));
    var support = h("section", "supporting"), against = h("section", "refuting");
    support.appendChild(h("h3", null, t("supporting") + " (" + a.supporting.length + ")"));
    a.supporting.forEach(function (f) { support.appendChild(findingCard(f)); });
    body.appendChild(support);
    against.appendChild(h("h3", null, t("refuting") + " (" + a.refuting.length + ")"));
    a.refuting.forEach(function (f) { against.appendChild(findingCard(f)); });
    body.appendChild(against);
  }
  function scoreSection(parts) {
    // every unit of evidence with its level and weight, what was not counted, and the formula
    var section = h("section", "score-parts");
    section.appendChild(h("h3", null, t("score_how")));
    section.appendChild(h("p", "sub", t("score_counts", { studies_for: parts.studies_for,
      studies_against: parts.studies_against, opinions: parts.opinions_counted })));
    var list = h("ul", "units");
    [["for", parts["for"]], ["against", parts.against_units]].forEach(function (side) {
      side[1].forEach(function (unit) {
        var factor = unit.factor !== undefined && unit.factor !== 1 ? " × " + unit.factor : "";
        var item = h("li", "unit " + side[0], t("unit_" + side[0]) + " · " + t("unit_" + unit.kind) + " · " +
          vocab(unit.level) + " · w " + unit.weight + factor + " · " + unit.findings.join(", "));
        item.setAttribute("data-key", unit.key);
        list.appendChild(item);
      });
    });
    parts.excluded.forEach(function (item) {
      list.appendChild(h("li", "unit excluded", t("not_counted") + " · " + item.finding + " (" + vocab(item.role) + ")"));
    });
    section.appendChild(list);
    var formula = h("pre", "formula", parts.formula.join("\n"));
    section.appendChild(formula);
    return section;
  }
  function rerenderPanel() {
    if (!state.panel) { showEmpty(); }
    else if (state.panel.kind === "entity") { showEntity(state.panel.id); }
    else if (state.panel.kind === "assertion") { showAssertion(state.panel.id); }
    else if (state.panel.kind === "path") { showPathHops(state.panel.nodes, state.panel.hops); }
  }
  function selectEntity(id) {
    if (nodes.get(id)) {
      network.selectNodes([id]);
      network.focus(id, { scale: Math.max(network.getScale(), 1), animation: false });
    }
    showEntity(id);
  }
  function selectAssertion(id) {
    if (edges.get(id)) { network.setSelection({ nodes: [], edges: [id] }, { unselectAll: true, highlightEdges: false }); }
    showAssertion(id);
  }
  network.on("click", function (params) {
    if (params.nodes.length) { showEntity(params.nodes[0]); }
    else if (params.edges.length) { showAssertion(params.edges[0]); }
  });
  $("panel-close").addEventListener("click", function () { network.unselectAll(); showEmpty(); });

  // ---- search box -----------------------------------------------------------------------------------
  var searchInput = $("search"), hitsList = $("search-hits"), hits = [];
  function showHits() {
    hits = search(searchInput.value, 12);
    clear(hitsList);
    if (!searchInput.value.trim()) { hitsList.hidden = true; return; }
    if (!hits.length) { hitsList.appendChild(h("li", "none", t("no_match"))); }
    hits.forEach(function (hit, index) {
      var e = DATA.entities[hit.id], item = h("li", index === 0 ? "active" : "");
      item.setAttribute("role", "option"); item.setAttribute("data-id", hit.id);
      item.appendChild(h("span", null, pick(e, "name") + " / " + (lang === "zh" ? e.name : e.name_zh)));
      item.appendChild(h("span", "hit-type", vocab(e.type)));
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

  // ---- path highlighting --------------------------------------------------------------------------
  function resolve(text) {
    var found = search(text, 1);
    return found.length ? found[0].id : null;
  }
  function shortestPath(from, to) {
    // fewest hops over the edges shown, in either direction; among those, the best evidence
    var best = {}, adjacency = {};
    edges.forEach(function (e) {
      if (e.hidden || e.from === e.to) { return; }
      var score = DATA.assertions[e.id].score;
      [[e.from, e.to], [e.to, e.from]].forEach(function (pair) {
        var key = pair[0] + "\u0000" + pair[1];
        if (!best[key] || score > DATA.assertions[best[key]].score) { best[key] = e.id; }
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
    return { nodes: pathNodes, hops: pathEdges };
  }
  // the same rules as `mechgraph path`: directed causal steps, a drug may begin with its target,
  // never through a drug or an outcome; ranked by the weakest step, then length, then level, then ids
  var NOT_THROUGH = { Drug: 1, Compound: 1, Metabolite: 1, Condition: 1, Phenotype: 1, AdverseEffect: 1,
    Population: 1, Procedure: 1, Route: 1, Measure: 1 };
  var DRUG_TYPES = { Drug: 1, Compound: 1, Metabolite: 1 };
  var GUIDANCE_ORDER = ["dosing", "monitoring", "contraindication", "setting_of_care", "patient_selection",
    "special_population", "other"];
  function typeOf(id) { return DATA.entities[id] ? DATA.entities[id].type : ""; }
  function chainSteps(start, end) {
    var steps = {};
    var passable = function (n) { return n === start || n === end || !NOT_THROUGH[typeOf(n)]; };
    var ordered = edges.get({ filter: function (e) { return !e.hidden; } }).map(function (e) { return e.id; });
    ordered.sort(function (x, y) { return DATA.assertions[x].order - DATA.assertions[y].order; });
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
  function chainsBetween(start, end, maxHops) {
    var steps = chainSteps(start, end), found = [];
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
  function bestChain(from, to) {
    var all = chainsBetween(from, to, 4).concat(chainsBetween(to, from, 4));
    all.sort(compareChains);
    return all.length ? all[0] : null;
  }
  function highlight(pathNodes, pathEdges) {
    var onNode = {}, onEdge = {};
    pathNodes.forEach(function (n) { onNode[n] = true; });
    pathEdges.forEach(function (e) { onEdge[e] = true; });
    nodes.update(DATA.nodes.map(function (n) { return { id: n.id, opacity: onNode[n.id] ? 1 : 0.15 }; }));
    edges.update(DATA.edges.map(function (e) {
      var base = BASE_EDGES[e.id];
      return { id: e.id, width: onEdge[e.id] ? base.width + 3 : base.width,
        color: Object.assign({}, base.color, { opacity: onEdge[e.id] ? 1 : 0.06 }) };
    }));
    state.path = { nodes: pathNodes, hops: pathEdges };
    api.highlighted = { nodes: pathNodes.slice(), edges: pathEdges.slice() };
  }
  function clearHighlight() {
    nodes.update(DATA.nodes.map(function (n) { return { id: n.id, opacity: 1 }; }));
    edges.update(DATA.edges.map(function (e) { var base = BASE_EDGES[e.id]; return { id: e.id, width: base.width, color: base.color }; }));
    state.path = null;
    api.highlighted = null;
    $("path-message").textContent = "";
  }
  function showPathHops(pathNodes, hops) {
    state.panel = { kind: "path", nodes: pathNodes, hops: hops };
    clear(body);
    body.setAttribute("data-kind", "path"); body.setAttribute("data-id", pathNodes.join(" "));
    body.appendChild(h("h2", null, pathNodes.map(entityName).join(" — ")));
    body.appendChild(h("p", "sub", hops.length + " " + t("path_hops")));
    var list = h("ul", "links");
    hops.forEach(function (id, i) {
      var a = DATA.assertions[id], item = h("li");
      var reverse = a.subject !== pathNodes[i];
      item.appendChild(linkButton(entityName(a.subject) + " " + vocab(a.predicate) + " " + entityName(a.object) +
        (reverse ? " " + t("reverse") : ""), function () { selectAssertion(id); }));
      item.appendChild(h("span", "badge", vocab(a.relation) + " · " + vocab(a.level) + " · " + a.score));
      if (a.refuting.length) { item.appendChild(h("span", "badge contested", vocab("refutes") + " " + a.refuting.length)); }
      list.appendChild(item);
    });
    body.appendChild(list);
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
    highlight(found.nodes, found.hops);
    message.textContent = (chain ? "" : t("path_no_chain") + " ") + found.nodes.map(entityName).join(chain ? " → " : " — ");
    showPathHops(found.nodes, found.hops);
    api.highlighted.chain = chain;
    return found;
  }
  $("path-go").addEventListener("click", function () { highlightPath($("path-from").value, $("path-to").value); });
  $("path-clear").addEventListener("click", function () { clearHighlight(); showEmpty(); });
  ["path-from", "path-to"].forEach(function (id) {
    $(id).addEventListener("keydown", function (event) {
      if (event.key === "Enter") { highlightPath($("path-from").value, $("path-to").value); }
    });
  });

  // the paths page: a list of the paths it holds
  function showPaths() {
    state.panel = null;
    clear(body);
    body.setAttribute("data-kind", "paths"); body.setAttribute("data-id", "");
    body.appendChild(h("h2", null, DATA.meta.title));
    var list = h("ol", "links");
    DATA.paths.forEach(function (p) {
      var item = h("li");
      item.appendChild(linkButton(p.nodes.map(entityName).join(" — "), function () {
        highlight(p.nodes, p.hops); showPathHops(p.nodes, p.hops);
      }));
      item.appendChild(h("span", "badge", t("score") + " " + p.score));
      item.appendChild(h("span", "badge kind", t("kind_" + (p.kind || "chain")) +
        (p.sign ? " · " + (p.sign === "+" ? t("sign_plus") : t("sign_minus")) : "")));
      if (p.borrowed) { item.appendChild(h("span", "badge contested", t("borrowed"))); }
      list.appendChild(item);
    });
    body.appendChild(list);
  }

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
    $("counts").textContent = t("counts", { entities: DATA.nodes.length, assertions: DATA.edges.length,
      findings: Object.keys(DATA.findings).length });
    Object.keys(typeLabels).forEach(function (type) { typeLabels[type].textContent = vocab(type); });
    buildLevelSelect();
  }
  function setLanguage(next) {
    lang = next === "zh" ? "zh" : "en";
    nodes.update(DATA.nodes.map(function (n) { return { id: n.id, label: entityName(n.id), title: nodeTitle(n.id) }; }));
    edges.update(DATA.edges.map(function (e) { return { id: e.id, title: edgeTitle(e.id) }; }));
    applyTexts();
    applyFilters();
    rerenderPanel();
    if (state.path) { $("path-message").textContent = state.path.nodes.map(entityName).join(" — "); }
    network.redraw();
  }
  $("lang-toggle").addEventListener("click", function () { setLanguage(lang === "en" ? "zh" : "en"); });
  $("fit").addEventListener("click", fit);

  buildLegend();
  applyTexts();
  applyFilters();
  showEmpty();

  api.search = search;
  api.normalise = normalise;
  api.selectEntity = selectEntity;
  api.selectAssertion = selectAssertion;
  api.highlightPath = highlightPath;
  api.bestChain = bestChain;
  api.clearHighlight = clearHighlight;
  api.setLanguage = setLanguage;
  api.language = function () { return lang; };
}());
