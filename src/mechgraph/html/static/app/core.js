/* The page's data and words: DATA, the language, names, phrases, search, DOM helpers.
 * Every text from the graph enters the document through textContent (never as markup). */

var DATA = JSON.parse(document.getElementById("mechgraph-data").textContent);
var lang = DATA.meta.lang;
var LEVELS = DATA.levels;
var SVG = "http://www.w3.org/2000/svg";
var CJK = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/;
var FONT_STACK = 'system-ui, -apple-system, "Segoe UI", "Noto Sans", "Liberation Sans", "PingFang SC", ' +
  '"Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif';

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
// a field in the language shown: Chinese mode prefers field_zh; English mode never shows field_zh
function pick(record, field) {
  var zh = record[field + "_zh"];
  if (lang === "zh" && zh) { return zh; }
  return record[field] || "";
}
function entityName(id) {
  var record = DATA.entities[id] || DATA.names[id];
  if (!record) { return id; }
  return pick(record, "name") || record.name_zh || id;
}
// the other language's name, shown beside the name (marked with its language)
function altName(id) {
  var record = DATA.entities[id] || DATA.names[id];
  if (!record) { return ""; }
  return lang === "zh" ? record.name : (record.name_zh || "");
}
function rankOf(level) { return LEVELS.length - LEVELS.indexOf(level); }
function phrase(id) {
  var a = DATA.assertions[id];
  var template = DATA.phrases[lang][a.predicate] || ("{s} " + vocab(a.predicate) + " {o}");
  return template.split("{s}").join(entityName(a.subject)).split("{o}").join(entityName(a.object));
}
function signWord(sign) {
  return sign === "+" ? t("sign_plus") : sign === "-" ? t("sign_minus") : t("sign_none");
}
function signGlyph(sign) { return sign === "+" ? "\u2192" : sign === "-" ? "\u22a3" : "\u2014"; }
function levelCount() { return LEVELS.length; }

// ---- DOM helpers (text only) -----------------------------------------------------
function h(tag, className, text) {
  var node = document.createElement(tag);
  if (className) { node.className = className; }
  if (text !== undefined && text !== null) { node.textContent = String(text); }
  return node;
}
function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
function $(id) { return document.getElementById(id); }
// text in the other language, marked so that fonts and readers know it
function alt(text, tag) {
  var node = h(tag || "span", "alt-name", text);
  node.setAttribute("lang", lang === "zh" ? "en" : "zh");
  return node;
}
function linkButton(text, onClick, className) {
  var b = h("button", "link" + (className ? " " + className : ""), text);
  b.type = "button";
  b.addEventListener("click", onClick);
  return b;
}

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

// ---- indices over the page's assertions ------------------------------------------------
var OUT = {}, IN = {}, PINNED = {};
Object.keys(DATA.entities).forEach(function (id) { OUT[id] = []; IN[id] = []; });
Object.keys(DATA.assertions).sort(function (x, y) {
  return DATA.assertions[x].order - DATA.assertions[y].order;
}).forEach(function (id) {
  var a = DATA.assertions[id];
  if (OUT[a.subject]) { OUT[a.subject].push(id); }
  if (IN[a.object]) { IN[a.object].push(id); }
});
(DATA.pinned || []).forEach(function (id) { PINNED[id] = true; });
var BASE_NODES = {}, BASE_EDGES = {};
DATA.nodes.forEach(function (n) { BASE_NODES[n.id] = n; });
DATA.edges.forEach(function (e) { BASE_EDGES[e.id] = e; });
function typeOf(id) { return DATA.entities[id] ? DATA.entities[id].type : ""; }
var DRUG_TYPES = { Drug: 1, Compound: 1, Metabolite: 1 };

// the drugs whose experiments support a step, as `mechgraph path` names them (chains.step_drugs)
function stepDrugs(id) {
  var a = DATA.assertions[id], drugs = {}, doses = {};
  (a.context.drug || []).forEach(function (d) { drugs[d] = true; });
  if (DRUG_TYPES[typeOf(a.subject)]) { drugs[a.subject] = true; }
  a.supporting.forEach(function (fid) {
    var f = DATA.findings[fid];
    if (!f || !f.interventions || !f.interventions.length) { return; }
    var main = f.interventions[0];
    drugs[main.drug] = true;
    if (main.dose || main.route) {
      doses[[entityName(main.drug), main.dose || "", main.route ? vocab(main.route) : ""].filter(Boolean).join(" ")] = true;
    }
  });
  return { drugs: Object.keys(drugs).sort(), doses: Object.keys(doses).sort() };
}
