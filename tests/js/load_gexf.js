// Parse a GEXF export the way Gephi Lite opens a .gexf file (graphology-gexf's parser into a
// graphology Graph, with the same options) and print what the graph holds.
// Usage: node load_gexf.js FILE  ->  {"nodes": N, "edges": M, "multi": true, "edge_list": [...], ...}
"use strict";
const fs = require("fs");
const Graph = require("graphology");
const gexf = require("graphology-gexf");
const path = require("path");

const version = (name) =>
  JSON.parse(fs.readFileSync(path.join(__dirname, "node_modules", name, "package.json"), "utf8")).version;

const content = fs.readFileSync(process.argv[2], "utf8");
const graph = gexf.parse(Graph, content, { allowUndeclaredAttributes: true, addMissingNodes: true });
const edgeList = [];
graph.forEachEdge((key, attributes, source, target, _s, _t, undirected) => {
  edgeList.push({ key, source, target, undirected, kind: attributes.kind, weight: attributes.weight,
                  label: attributes.label, predicate: attributes.predicate, score: attributes.score });
});
const firstNode = graph.nodes()[0];
process.stdout.write(JSON.stringify({
  graphology: version("graphology"),
  graphology_gexf: version("graphology-gexf"),
  type: graph.type,
  multi: graph.multi,
  nodes: graph.order,
  edges: graph.size,
  meta: graph.getAttributes(),
  first_node: firstNode === undefined ? null : { key: firstNode, ...graph.getNodeAttributes(firstNode) },
  edge_list: edgeList,
}));
