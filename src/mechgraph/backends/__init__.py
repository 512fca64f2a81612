"""Property-graph databases: the projection every Cypher backend shares, Bolt connections
(Neo4j, FalkorDB), batched loading and FalkorDB's request limits."""
