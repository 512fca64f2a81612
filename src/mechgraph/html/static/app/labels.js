/* Labels, drawn by the page itself over nodes and edges: a constant screen size, wrapped
 * only between words, and placed greedily by priority (the selected entity, the highlighted
 * path or neighbourhood, groups, then the most connected) below, beside or above their node,
 * so that no two ever overlap and none but the selected entity's covers a node. At low zoom
 * only the labels that fit are drawn. */

var LABEL_MAX_WIDTH = 150;   // screen pixels
var LABEL_MAX_LINES = 3;
var measureCache = {};
var labelBoxes = [];

function labelText(id) {
  var s = scene.nodes[id];
  if (s && s.group) {
    var g = viewIndex().groups[s.group];
    return groupName(g) + " (" + s.members.length + ")";
  }
  return entityName(id);
}
// split into words that may end a line: spaces, and after "/" or "-"; CJK text may break between characters
function words(text) {
  var out = [], current = "";
  for (var i = 0; i < text.length; i++) {
    var c = text[i];
    if (c === " ") { if (current) { out.push(current); } out.push(" "); current = ""; continue; }
    current += c;
    var next = text[i + 1];
    if (c === "/" || (c === "-" && current.length > 2 && next && next !== " ") ||
        (CJK.test(c) && next && CJK.test(next))) { out.push(current); current = ""; }
  }
  if (current) { out.push(current); }
  return out;
}
function wrap(ctx, text, maxWidth) {
  var key = ctx.font + "\u0000" + maxWidth + "\u0000" + text;
  if (measureCache[key]) { return measureCache[key]; }
  var parts = words(text), lines = [], line = "";
  parts.forEach(function (part) {
    if (part === " ") { if (line) { line += " "; } return; }
    var tryLine = line + part;
    if (line && ctx.measureText(tryLine.trim()).width > maxWidth) {
      lines.push(line.trim());
      line = part;
    } else {
      line = tryLine;
    }
  });
  if (line.trim()) { lines.push(line.trim()); }
  if (lines.length > LABEL_MAX_LINES) {
    lines = lines.slice(0, LABEL_MAX_LINES);
    lines[LABEL_MAX_LINES - 1] += "\u2026";
  }
  var width = Math.max.apply(null, lines.map(function (l) { return ctx.measureText(l).width; }));
  var result = { lines: lines, width: width };
  measureCache[key] = result;
  return result;
}
function overlaps(box, placed) {
  for (var i = 0; i < placed.length; i++) {
    var p = placed[i];
    if (box.x < p.x + p.w && p.x < box.x + box.w && box.y < p.y + p.h && p.y < box.y + box.h) { return true; }
  }
  return false;
}
function labelPriority(lit) {
  var degree = {};
  Object.keys(scene.edges).forEach(function (k) {
    var e = scene.edges[k];
    degree[e.from] = (degree[e.from] || 0) + e.assertions.length;
    degree[e.to] = (degree[e.to] || 0) + e.assertions.length;
  });
  return Object.keys(scene.nodes).map(function (id) {
    var rank = 4;
    if (id === state.selected) { rank = 0; }
    else if (lit && lit.nodes[id]) { rank = 1; }
    else if (scene.nodes[id].group) { rank = 2; }
    else if (DRUG_TYPES[typeOf(id)] && view().info && view().info.drug === id) { rank = 2; }
    else if (view().info && view().info.outcome === id) { rank = 2; }
    if (lit && !lit.nodes[id]) { rank = 5; }
    return { id: id, rank: rank, degree: degree[id] || 0 };
  }).sort(function (a, b) { return a.rank - b.rank || b.degree - a.degree || (a.id < b.id ? -1 : 1); });
}
network.on("afterDrawing", function (ctx) {
  var scale = network.getScale();
  var px = Math.max(11, Math.min(15, 13 * Math.sqrt(scale)));
  var tr = network.body.view.translation, width = container.clientWidth, height = container.clientHeight;
  var lit = highlightSets(), placed = [], drawn = [];
  ctx.save();
  ctx.setTransform(window.devicePixelRatio || 1, 0, 0, window.devicePixelRatio || 1, 0, 0);
  // titles of group boxes, then column headers: placed first, so that node labels keep clear of them
  var titles = [];
  (api.boxes || []).forEach(function (box) {
    titles.push({ text: groupName(box.group), x: box.x0 * scale + tr.x + 8, y: box.y0 * scale + tr.y + 4,
      bold: true, colour: DATA.group_colors[box.group.kind], kind: "group", id: box.group.id, align: "left" });
  });
  var columns = view().columns || { tiers: [] };
  columns.tiers.forEach(function (tier) {
    titles.push({ text: lang === "zh" ? tier.title_zh : tier.title, x: tier.x * scale + tr.x,
      y: columns.header_y * scale + tr.y - 10, bold: true, colour: "#90a4ae", kind: "column", id: tier.id,
      align: "center" });
  });
  function placeTitle(title) {
    ctx.font = "600 12px " + FONT_STACK;
    var w = ctx.measureText(title.text).width;
    var box = { x: title.align === "left" ? title.x : title.x - w / 2, y: title.y, w: w, h: 15 };
    if (box.x > width || box.x + box.w < 0 || box.y > height || box.y + box.h < 0 || overlaps(box, placed)) { return; }
    placed.push(box);
    ctx.globalAlpha = 1;
    ctx.textAlign = "left"; ctx.textBaseline = "top";
    ctx.lineWidth = 3; ctx.strokeStyle = "#ffffff"; ctx.strokeText(title.text, box.x, box.y);
    ctx.fillStyle = title.colour; ctx.fillText(title.text, box.x, box.y);
    drawn.push({ id: title.id, kind: title.kind, x: box.x, y: box.y, w: box.w, h: box.h, lines: [title.text] });
  }
  var font = Math.round(px) + "px " + FONT_STACK;
  // the nodes on screen (not dimmed): a label that would hide one is left out
  var shapes = [];
  Object.keys(scene.nodes).forEach(function (id) {
    var n = network.body.nodes[id];
    if (!n || (lit && !lit.nodes[id])) { return; }
    var r = (n.options.size || 13) * scale, sx = n.x * scale + tr.x, sy = n.y * scale + tr.y;
    if (sx + r < 0 || sx - r > width || sy + r < 0 || sy - r > height) { return; }
    shapes.push({ x: sx - r, y: sy - r, w: 2 * r, h: 2 * r });
  });
  function placeLabel(item) {
    var n = network.body.nodes[item.id];
    if (!n) { return; }
    var sx = n.x * scale + tr.x, sy = n.y * scale + tr.y;
    if (sx < -LABEL_MAX_WIDTH || sx > width + LABEL_MAX_WIDTH || sy < -60 || sy > height + 60) { return; }
    ctx.font = (item.rank === 0 ? "600 " : "") + font;
    var text = labelText(item.id), wrapped = wrap(ctx, text, LABEL_MAX_WIDTH);
    var lineHeight = Math.round(px * 1.2), radius = (n.options.size || 13) * scale;
    var w = wrapped.width + 4, h = wrapped.lines.length * lineHeight + 2;
    // below the node, else beside it (right, left) or above it, inside the map: the first place that is free
    var box = [[sx - w / 2, sy + radius + 3], [sx + radius + 4, sy - h / 2], [sx - radius - 4 - w, sy - h / 2],
      [sx - w / 2, sy - radius - 3 - h]].map(function (p) { return { x: p[0], y: p[1], w: w, h: h }; })
      .filter(function (b, i) {
        if (i > 0 && (b.x < 0 || b.y < 0 || b.x + w > width || b.y + h > height)) { return false; }
        return !overlaps(b, placed) && (item.rank === 0 || !overlaps(b, shapes));
      })[0];
    if (!box) { return; }
    placed.push(box);
    ctx.globalAlpha = item.rank === 5 ? 0.35 : 1;
    ctx.textAlign = "center"; ctx.textBaseline = "top";
    wrapped.lines.forEach(function (line, i) {
      var y = box.y + 1 + i * lineHeight;
      ctx.lineWidth = 3.5; ctx.strokeStyle = "#ffffff"; ctx.lineJoin = "round";
      ctx.strokeText(line, box.x + w / 2, y);
      ctx.fillStyle = "#1d2327"; ctx.fillText(line, box.x + w / 2, y);
    });
    drawn.push({ id: item.id, kind: "node", x: box.x, y: box.y, w: box.w, h: box.h, lines: wrapped.lines.slice(),
      text: text });
  }
  // the selected entity and what is highlighted first, then the titles of boxes and columns, then the rest
  var ranked = labelPriority(lit);
  ranked.filter(function (item) { return item.rank <= 1; }).forEach(placeLabel);
  titles.forEach(placeTitle);
  ranked.filter(function (item) { return item.rank > 1; }).forEach(placeLabel);
  ctx.restore();
  labelBoxes = drawn;
});
