// Load a Cytoscape.js JSON export in Cytoscape.js itself (headless) and print what it holds.
// Usage: node load_cytoscape.js FILE  ->  {"nodes": N, "edges": M, "version": "...", ...} on stdout
"use strict";
const fs = require("fs");
const cytoscape = require("cytoscape");

const doc = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const cy = cytoscape({ headless: true, styleEnabled: false, elements: doc.elements });
const edge = cy.edges()[0];
const node = cy.nodes()[0];
const dangling = cy.edges().filter((e) => e.source().empty() || e.target().empty()).length;
const result = {
  version: cytoscape.version,
  nodes: cy.nodes().length,
  edges: cy.edges().length,
  dangling_edges: dangling,
  first_node: node ? node.data() : null,
  first_edge: edge ? edge.data() : null,
  degree_of_first_node: node ? node.degree() : null,
};
// cy.json() round trip: the same elements come back out
const again = cytoscape({ headless: true, styleEnabled: false });
again.json({ elements: cy.json().elements });
result.reloaded_nodes = again.nodes().length;
result.reloaded_edges = again.edges().length;
process.stdout.write(JSON.stringify(result));
