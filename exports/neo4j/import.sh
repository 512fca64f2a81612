#!/bin/sh
# Import the mechgraph CSV files into an empty Neo4j database (stop the database first;
# this replaces its contents). Run from this directory; DATABASE defaults to neo4j.
set -e
cd "$(dirname "$0")"
neo4j-admin database import full "${1:-neo4j}" --overwrite-destination --array-delimiter=U+001F --multiline-fields=true --nodes=nodes-sources.csv --nodes=nodes-entities.csv --nodes=nodes-findings.csv --nodes=nodes-quantities.csv --relationships=relationships-assertions.csv --relationships=relationships-evidence.csv --relationships=relationships-tested.csv --relationships=relationships-about.csv --relationships=relationships-reported-in.csv --relationships=relationships-cites.csv --relationships=relationships-has-quantity.csv
# Then, with the database started, index the ids as `mechgraph load` does:
#   CREATE CONSTRAINT mechgraph_id IF NOT EXISTS FOR (n:Mechgraph) REQUIRE n.id IS UNIQUE;
