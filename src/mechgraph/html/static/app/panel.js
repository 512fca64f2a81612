/* The side panel: an entity, an assertion with its evidence, a group, a path, the view's summary. */

var body = $("panel-body");
var GUIDANCE_ORDER = ["dosing", "monitoring", "contraindication", "setting_of_care", "patient_selection",
  "special_population", "other"];

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
  // a citation: authors (year) title journal; a title only in Chinese is marked as such
  var s = DATA.sources[id], span = h("span", "citation");
  if (!s) { span.textContent = id; return span; }
  var parts = [];
  if (s.authors && s.authors.length) { parts.push(s.authors.join(", ")); }
  if (s.year) { parts.push("(" + s.year + ")"); }
  span.appendChild(document.createTextNode(parts.join(" ")));
  var title = pick(s, "title");
  if (title) {
    span.appendChild(document.createTextNode((parts.length ? " " : "") + title));
  } else if (s.title_zh) {
    span.appendChild(document.createTextNode(parts.length ? " " : ""));
    var original = alt(s.title_zh);
    original.className += " biblio";
    span.appendChild(original);
  }
  if (s.journal) { span.appendChild(document.createTextNode(" " + s.journal)); }
  if (s.volume) { span.appendChild(document.createTextNode(" " + s.volume)); }
  if (s.pages) { span.appendChild(document.createTextNode((s.volume ? ": " : " ") + s.pages)); }
  if (s.ids && s.ids.length) { span.appendChild(document.createTextNode(" " + s.ids.join(", "))); }
  if (s.ref) { span.appendChild(document.createTextNode(" [" + t("ref") + " " + s.ref + "]")); }
  return span;
}
function citations(ids) {
  var span = h("span");
  ids.forEach(function (id, i) {
    if (i) { span.appendChild(document.createTextNode("; ")); }
    span.appendChild(sourceText(id));
  });
  return span;
}
function interventionText(i) {
  var details = [];
  if (i.dose) { details.push(i.dose); }
  if (i.route) { details.push(vocab(i.route)); }
  if (i.timing) { details.push(i.timing); }
  return entityName(i.drug) + (details.length ? ": " + details.join(", ") : "");
}
function findingCard(id) {
  var f = DATA.findings[id];
  var card = h("article", "finding " + (f ? f.direction : ""));
  card.setAttribute("data-finding", id);
  if (!f) { card.appendChild(h("p", "statement", id)); return card; }
  card.appendChild(h("p", "statement", pick(f, "statement")));
  var seed = DATA.sources[f.source];
  var locator = (seed && seed.file ? seed.file : f.source) + " " + f.locator.join(", ");
  var n = Object.keys(f.n || {}).map(function (k) { return k + " " + f.n[k]; }).join(", ");
  var quantities = (f.quantities || []).map(function (q) { return q.name + ": " + q.value; }).join("; ");
  var note = pick(f, "quality_note");
  var noteNode = note ? h("span", "quality-note", note) : "";
  if (noteNode && lang === "zh" && !f.quality_note_zh) { noteNode.setAttribute("lang", "en"); }
  card.appendChild(definitions([
    [t("direction"), vocab(f.direction)],
    [t("role"), vocab(f.role) + (f.guidance ? " \u00b7 " + vocab(f.guidance) : "")],
    [t("study_type"), f.study_type === f.level ? vocab(f.level) : vocab(f.study_type) + " \u00b7 " + vocab(f.level)],
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
    [t("cites"), (f.cites || []).length ? citations(f.cites) : ""],
    [t("locator"), locator],
    [t("quality_note"), noteNode],
    [t("id"), id]
  ]));
  return card;
}
function evidenceBadge(id) {
  var a = DATA.assertions[id];
  return h("span", "badge", vocab(a.level) + " \u00b7 " + a.score);
}
function assertionLine(id) {
  var a = DATA.assertions[id], item = h("li");
  item.appendChild(linkButton(phrase(id), function () { selectAssertion(id); }));
  item.appendChild(evidenceBadge(id));
  if (a.refuting.length) { item.appendChild(h("span", "badge contested", vocab("refutes") + " " + a.refuting.length)); }
  if (PINNED[id]) { item.appendChild(h("span", "badge contested", t("below_floor"))); }
  return item;
}
function assertionLink(id) {
  if (!DATA.assertions[id]) { return h("span", "id", id); }
  return linkButton(phrase(id), function () { selectAssertion(id); });
}
function setPanel(kind, id) {
  clear(body);
  body.setAttribute("data-kind", kind);
  body.setAttribute("data-id", id || "");
  body.parentNode.scrollTop = 0;
}
function showEmpty() {
  state.panel = null;
  if (DATA.meta.mode !== "map") { showSummary(); return; }
  var info = view().info || {};
  if (info.kind === "mechanism") { showMechanism(); return; }
  if (info.kind === "clinical") { showGuidance(info.drug); return; }
  setPanel("empty", "");
  if (info.kind === "causal") { body.appendChild(h("p", "sub", t("causal_fallback"))); }
  if (info.kind === "pharmacokinetics") { body.appendChild(h("p", "sub", t("pk_note"))); }
  if (!view().entities.length) { body.appendChild(h("p", "empty", t("view_empty"))); }
  body.appendChild(h("p", "empty", t("panel_empty")));
}
function showSummary() {
  // a path or explain page: the cascades above the map list the paths; the panel waits for a click
  setPanel("summary", "");
  body.appendChild(h("p", "empty", t("panel_empty")));
  if (DATA.summary.kind === "paths" && DATA.paths.length && DATA.paths[0].kind !== "chain") {
    body.appendChild(h("p", "sub", t("path_no_chain")));
  }
}
function showEntity(id) {
  state.panel = { kind: "entity", id: id };
  var e = DATA.entities[id];
  setPanel("entity", id);
  body.appendChild(h("h2", null, pick(e, "name")));
  var sub = h("p", "sub");
  var other = altName(id);
  if (other) { sub.appendChild(alt(other)); sub.appendChild(document.createTextNode(" \u00b7 ")); }
  sub.appendChild(document.createTextNode(vocab(e.type)));
  body.appendChild(sub);
  var xrefs = [];
  Object.keys(e.xrefs).forEach(function (k) { e.xrefs[k].forEach(function (v) { xrefs.push(k + ":" + v); }); });
  xrefs = xrefs.join(", ");
  var aliases = h("span");
  e.aliases.forEach(function (alias, i) {
    if (i) { aliases.appendChild(document.createTextNode(", ")); }
    if (lang === "en" && CJK.test(alias)) { aliases.appendChild(alt(alias)); }
    else { aliases.appendChild(document.createTextNode(alias)); }
  });
  body.appendChild(definitions([
    [t("id"), id], [t("type"), vocab(e.type)], [t("aliases"), e.aliases.length ? aliases : ""],
    [t("xrefs"), xrefs], [t("description"), pick(e, "description")]
  ]));
  // exploring from here
  var tools = h("div", "toggles explore");
  if (DATA.meta.mode === "map" || DATA.meta.mode === "explain" || DATA.meta.mode === "paths") {
    var more = hiddenNeighbours(id).length;
    if (more) {
      tools.appendChild(linkButton(t("expand", { count: more }), function () { toggleExpand(id); }, "expand"));
    } else if (!state.expanded[id]) {
      tools.appendChild(h("span", "sub", t("no_more")));
    }
    if (state.expanded[id]) {
      tools.appendChild(linkButton(t("collapse"), function () { toggleExpand(id); }, "collapse"));
    }
  }
  body.appendChild(tools);
  [["out", "outgoing", OUT], ["in", "incoming", IN]].forEach(function (side) {
    var ids = side[2][id].slice();
    if (!ids.length) { return; }
    body.appendChild(h("h3", null, t(side[1]) + " (" + ids.length + ")"));
    var list = h("ul", "links");
    ids.sort(function (x, y) {
      return rankOf(DATA.assertions[y].level) - rankOf(DATA.assertions[x].level) ||
        DATA.assertions[y].score - DATA.assertions[x].score || (x < y ? -1 : 1);
    });
    ids.forEach(function (a) { list.appendChild(assertionLine(a)); });
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
  guidanceSection(e.guidance || {}, body);
}
function guidanceSection(guidance, parent) {
  var topics = GUIDANCE_ORDER.filter(function (topic) { return guidance[topic]; });
  if (!topics.length) { return false; }
  var section = h("section", "guidance");
  section.appendChild(h("h3", null, t("guidance")));
  topics.forEach(function (topic) {
    section.appendChild(h("h4", null, vocab(topic)));
    guidance[topic].forEach(function (f) { section.appendChild(findingCard(f)); });
  });
  parent.appendChild(section);
  return true;
}
function showGuidance(drug) {
  state.panel = null;
  setPanel("guidance", drug || "");
  if (!drug || !DATA.entities[drug]) { body.appendChild(h("p", "empty", t("panel_empty"))); return; }
  var title = h("h2");
  title.appendChild(linkButton(entityName(drug), function () { selectEntity(drug); }));
  body.appendChild(title);
  if (!guidanceSection(DATA.entities[drug].guidance || {}, body)) { body.appendChild(h("p", "empty", t("guidance_none"))); }
}
function showAssertion(id) {
  state.panel = { kind: "assertion", id: id };
  var a = DATA.assertions[id];
  setPanel("assertion", id);
  body.appendChild(h("h2", null, phrase(id)));
  body.appendChild(h("p", "sub", t("assertion") + " \u00b7 " + id));
  var ends = h("span");
  ends.appendChild(linkButton(entityName(a.subject), function () { selectEntity(a.subject); }));
  ends.appendChild(document.createTextNode(" \u2192 "));
  ends.appendChild(linkButton(entityName(a.object), function () { selectEntity(a.object); }));
  var context = Object.keys(a.context).map(function (k) {
    return vocab(k) + ": " + a.context[k].map(function (v) {
      return (DATA.entities[v] || DATA.names[v]) ? entityName(v) : vocab(v);
    }).join(", ");
  }).join("; ");
  var tested = stepDrugs(id);
  body.appendChild(definitions([
    [t("entity"), ends], [t("sign"), signWord(a.sign)], [t("relation"), vocab(a.relation)],
    [t("level"), vocab(a.level)], [t("score"), String(a.score)],
    [t("drugs_tested"), tested.drugs.map(entityName).join(", ")],
    [t("dose_route"), tested.doses.join("; ")],
    [t("species"), a.species.map(vocab).join(", ")], [t("context"), context], [t("note"), a.note],
    [t("below_floor"), PINNED[id] ? "\u2713" : ""]
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
      var factor = unit.factor !== undefined && unit.factor !== 1 ? " \u00d7 " + unit.factor : "";
      var item = h("li", "unit " + side[0], t("unit_" + side[0]) + " \u00b7 " + t("unit_" + unit.kind) + " \u00b7 " +
        vocab(unit.level) + " \u00b7 w " + unit.weight + factor + " \u00b7 " + unit.findings.join(", "));
      item.setAttribute("data-key", unit.key);
      list.appendChild(item);
    });
  });
  parts.excluded.forEach(function (item) {
    list.appendChild(h("li", "unit excluded", t("not_counted") + " \u00b7 " + item.finding + " (" + vocab(item.role) + ")"));
  });
  section.appendChild(list);
  section.appendChild(h("pre", "formula", parts.formula.join("\n")));
  return section;
}
function showGroup(groupId) {
  var g = viewIndex().groups[groupId];
  state.panel = { kind: "group", id: groupId };
  setPanel("group", groupId);
  body.appendChild(h("h2", null, groupName(g)));
  body.appendChild(h("p", "sub", t("group") + " \u00b7 " + t("group_members", { count: g.members.length })));
  var tools = h("div", "toggles");
  tools.appendChild(linkButton(state.collapsed[groupId] ? t("group_expand") : t("group_collapse"), function () {
    toggleGroup(groupId);
  }, "group-toggle"));
  body.appendChild(tools);
  var list = h("ul", "links");
  var members = g.members.map(function (m) { return [entityName(m), m]; })
    .sort(function (x, y) { return x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0; });
  function listMembers(from, to) {
    members.slice(from, to).forEach(function (pair) {
      var item = h("li");
      item.appendChild(linkButton(pair[0], function () { selectEntity(pair[1]); }));
      item.appendChild(h("span", "badge", vocab(typeOf(pair[1]))));
      list.appendChild(item);
    });
  }
  // a group of thousands lists its first members at once and the rest on demand, so that a
  // click on it stays quick (and a double-click, which opens it, is not split into two clicks)
  listMembers(0, GROUP_LIST_FIRST);
  body.appendChild(list);
  if (members.length > GROUP_LIST_FIRST) {
    var more = linkButton(t("group_show_all", { count: members.length }), function () {
      more.parentNode.removeChild(more);
      listMembers(GROUP_LIST_FIRST, members.length);
    }, "group-show-all");
    body.appendChild(more);
  }
}
var GROUP_LIST_FIRST = 200;
function showPathHops(record) {
  state.panel = { kind: "path", record: record };
  setPanel("path", record.nodes.join(" "));
  body.appendChild(h("h2", null, record.nodes.map(entityName).join(record.kind === "chain" ? " \u2192 " : " \u2014 ")));
  body.appendChild(h("p", "sub", record.hops.length + " " + t("path_hops")));
  body.appendChild(cascade(record, { vertical: true }));
}
function rerenderPanel() {
  if (!state.panel) { showEmpty(); }
  else if (state.panel.kind === "entity") { showEntity(state.panel.id); }
  else if (state.panel.kind === "assertion") { showAssertion(state.panel.id); }
  else if (state.panel.kind === "group") { showGroup(state.panel.id); }
  else if (state.panel.kind === "path") { showPathHops(state.panel.record); }
}

// ---- the mechanism view's summary: its families and their chains ----------------------------------------------
function showMechanism() {
  var info = view().info;
  setPanel("mechanism", info.drug);
  body.appendChild(h("h2", null, t("how_reaches", { drug: entityName(info.drug), outcome: entityName(info.outcome) })));
  var chains = info.families.reduce(function (n, f) { return n + f.chains.length; }, 0);
  body.appendChild(h("p", "sub", t("chains_in_families", { chains: chains,
    families: info.families.filter(function (f) { return f.chains.length; }).length })));
  info.families.forEach(function (family) {
    body.appendChild(familySection(family, family.chains.slice(0, 3).map(function (c) {
      return Object.assign({ steps: null, drug: info.drug }, c);
    }), { vertical: true, compact: true }));
  });
  if (info.open_ends && info.open_ends.length) {
    var section = h("section", "open-ends");
    section.appendChild(h("h3", null, t("open_ends") + " (" + info.open_ends.length + ")"));
    section.appendChild(h("p", "sub", info.open_ends.map(entityName).join(", ")));
    section.appendChild(linkButton(t("show_open_ends"), function () {
      pushHistory();
      bringIn(info.open_ends.filter(function (e) { return DATA.entities[e]; }), info.drug);
      render(); fit();
    }, "show-open-ends"));
    body.appendChild(section);
  }
  guidanceSection(DATA.entities[info.drug] ? DATA.entities[info.drug].guidance || {} : {}, body);
}
function familySection(family, records, options) {
  var section = h("section", "family");
  section.setAttribute("data-family", family.key || family.id);
  section.appendChild(h("h3", null, pick(family, "name")));
  if (family.chains_found !== undefined) {
    section.appendChild(h("p", "sub", t("family_chains", { shown: records.length, found: family.chains_found })));
  }
  records.forEach(function (record, i) {
    section.appendChild(cascade(record, options.rankFrom ? Object.assign({ rank: options.rankFrom + i }, options) : options));
  });
  var gaps = (family.gaps || []).filter(function (g) { return DATA.entities[g] || DATA.names[g]; });
  if (gaps.length) {
    var list = h("ul", "gaps");
    gaps.forEach(function (g) { list.appendChild(h("li", null, t("gap_note", { entity: entityName(g) }))); });
    section.appendChild(h("h4", null, t("gaps")));
    section.appendChild(list);
  }
  if ((family.conflicts || []).length) {
    var conflicts = h("ul", "conflicts");
    family.conflicts.forEach(function (c) {
      var item = h("li");
      item.appendChild(h("span", "badge contested", t(c.kind) + " \u00b7 " + t("classification_" + c.classification)));
      item.appendChild(assertionLink(c.assertion));
      if (c.opposing && DATA.assertions[c.opposing]) {
        item.appendChild(document.createTextNode(" " + t("vs") + " "));
        item.appendChild(assertionLink(c.opposing));
      }
      conflicts.appendChild(item);
    });
    section.appendChild(h("h4", null, t("conflicts")));
    section.appendChild(conflicts);
  }
  return section;
}
