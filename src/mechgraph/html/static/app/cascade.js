/* A path drawn as a cascade of steps: each entity, then an arrow with the step's sign,
 * its wording and an evidence badge (level, score, the drugs tested, species), borrowed
 * evidence marked. The same element serves the side panel (vertical) and the cascade
 * list of path and explain pages (horizontal, wrapping). */

var LEVEL_SHORT = { meta_analysis: "MA", rct: "RCT", clinical_trial: "CT", human_observational: "OBS",
  animal_in_vivo: "VIVO", in_vitro: "VITRO", review_opinion: "REV" };

function stepInfo(record, i) {
  // a step's drugs and whether its evidence is borrowed: from the command line's result when the
  // page has it, else worked out here as `mechgraph path` does (chains.hop_record)
  if (record.steps && record.steps[i]) { return record.steps[i]; }
  var id = record.hops[i], a = DATA.assertions[id], tested = stepDrugs(id);
  var ref = record.drug || (DRUG_TYPES[typeOf(record.nodes[0])] ? record.nodes[0] : null);
  var borrowed = !!(ref && tested.drugs.length && tested.drugs.indexOf(ref) < 0);
  return { assertion: id, drugs: tested.drugs, borrowed: borrowed,
    borrowed_from: borrowed ? tested.drugs.filter(function (d) { return d !== ref; }) : [], species: a.species };
}
function stepLabel(id) {
  var a = DATA.assertions[id], label = vocab(a.predicate);
  return label;
}
function cascade(record, options) {
  options = options || {};
  var root = h("div", "cascade" + (options.vertical ? " vertical" : "") + (record.borrowed ? " has-borrowed" : ""));
  root.setAttribute("data-nodes", record.nodes.join(" "));
  root.setAttribute("data-hops", record.hops.join(" "));
  var head = h("div", "cascade-head");
  if (options.rank) { head.appendChild(h("span", "rank", options.rank + ".")); }
  var kind = t("kind_" + (record.kind || "chain"));
  if (record.sign) { kind += " \u00b7 " + t("net_sign") + " " + (record.sign === "+" ? "+" : "\u2212"); }
  head.appendChild(h("span", "badge kind", kind));
  if (record.score !== undefined && record.score !== null) {
    head.appendChild(h("span", "badge", t("weakest") + " " + record.score));
  }
  if (record.borrowed) { head.appendChild(h("span", "badge borrowed", t("borrowed"))); }
  head.appendChild(linkButton(t("cascade_highlight"), function () { showRecord(record); }, "highlight"));
  root.appendChild(head);
  var list = h("ol", "steps");
  record.nodes.forEach(function (node, i) {
    var chip = h("li", "node");
    chip.setAttribute("data-id", node);
    var type = DATA.types[typeOf(node)];
    if (type) { chip.style.borderColor = type.color; }
    chip.appendChild(linkButton(entityName(node), function () { selectEntity(node); }));
    list.appendChild(chip);
    if (i >= record.hops.length) { return; }
    var id = record.hops[i], a = DATA.assertions[id], info = stepInfo(record, i);
    var forward = a.subject === node;
    var step = h("li", "step sign-" + (a.sign === "+" ? "plus" : a.sign === "-" ? "minus" : "none") +
      (info.borrowed ? " borrowed" : "") + (record.weakest === i ? " weakest" : ""));
    step.setAttribute("data-assertion", id);
    step.setAttribute("data-borrowed", info.borrowed ? "true" : "false");
    var arrow = h("span", "arrow", forward ? signGlyph(a.sign) : "\u2190");
    arrow.setAttribute("aria-label", signWord(a.sign));
    step.appendChild(arrow);
    step.appendChild(linkButton(stepLabel(id) + (forward ? "" : " " + t("reverse")), function () { selectAssertion(id); },
      "phrase"));
    var badge = h("span", "evidence");
    badge.appendChild(h("span", "level level-" + a.level, vocab(a.level)));
    badge.appendChild(h("span", "score", String(a.score)));
    if (info.drugs.length) { badge.appendChild(h("span", "drugs", info.drugs.map(entityName).join(", "))); }
    if ((info.species || []).length) { badge.appendChild(h("span", "species", info.species.map(vocab).join(", "))); }
    step.appendChild(badge);
    if (info.borrowed) {
      step.appendChild(h("span", "borrowed-mark", "\u2020 " + t("borrowed_from", {
        drugs: info.borrowed_from.map(entityName).join(", ") })));
    }
    if (record.weakest === i && record.hops.length > 1) { step.appendChild(h("span", "weakest-mark", t("weakest"))); }
    if (a.refuting.length) { step.appendChild(h("span", "badge contested", vocab("refutes") + " " + a.refuting.length)); }
    list.appendChild(step);
  });
  root.appendChild(list);
  return root;
}

// ---- the cascade list of a path or explain page ------------------------------------------------------------------
function buildCascades() {
  var box = $("cascades"), summary = DATA.summary;
  clear(box);
  if (!summary.groups) { box.hidden = true; return; }
  box.hidden = false;
  var head = h("div", "cascades-head");
  if (summary.kind === "explain") {
    head.appendChild(h("h2", null, t("how_reaches", { drug: entityName(summary.source), outcome: entityName(summary.target) })));
    head.appendChild(h("p", "sub", t("chains_in_families", { chains: summary.chains,
      families: summary.groups.filter(function (g) { return g.paths.length; }).length })));
  } else {
    head.appendChild(h("h2", null, entityName(summary.source) + " \u2192 " + entityName(summary.target)));
    if (summary.chains_found === false) { head.appendChild(h("p", "sub note", t("path_no_chain"))); }
  }
  box.appendChild(head);
  var rank = 0;
  summary.groups.forEach(function (group) {
    var records = group.paths.map(function (i) { return DATA.paths[i]; });
    var section;
    if (summary.kind === "explain") {
      section = familySection(Object.assign({ key: group.id }, group), records, { rankFrom: rank + 1 });
      rank += records.length;
    } else {
      section = h("section", "family");
      records.forEach(function (record) { rank += 1; section.appendChild(cascade(record, { rank: rank })); });
    }
    box.appendChild(section);
  });
  if (summary.kind === "explain") {
    if ((summary.open_ends || []).length) {
      var ends = h("section", "open-ends");
      ends.appendChild(h("h3", null, t("open_ends") + " (" + summary.open_ends.length + ")"));
      ends.appendChild(h("p", "sub", summary.open_ends.map(entityName).join(", ")));
      box.appendChild(ends);
    }
    var guidance = {};
    Object.keys(summary.guidance || {}).forEach(function (k) { guidance[k] = summary.guidance[k]; });
    guidanceSection(guidance, box);
  }
}
