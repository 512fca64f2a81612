"""The library API: load a graph, resolve names, find paths, show and count.

>>> from mechgraph import MechGraph
>>> g = MechGraph.load()                 # the bundled esketamine graph
>>> g.resolve("tarp gamma 8").id
'tarp-gamma8'
>>> [e["id"] for e in g.path("NMDAR", "BDNF")["paths"][0]["nodes"]][0]
'nmdar'
"""

from __future__ import annotations

import copy
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .store.bundled import bundled_graph_dir
from .model.constants import level_rank
from .model.core import Entity, Finding, Model
from .model.names import NameIndex
from .errors import NoPath
from .reasoning.citing import named_path
from .reasoning.paths import ranked_paths
from .reasoning.mentions import entity_mentions, guidance
from .store.topology import Topology

if TYPE_CHECKING:  # networkx is imported by the commands that build the graph (render, query, export)
    import networkx as nx


class MechGraph:
    """A curated mechanism graph with its topology, networkx view and name index."""

    def __init__(self, model: Model, topology: Topology | None = None):
        self.model = model
        if topology is not None:
            self.__dict__["topology"] = topology

    @cached_property
    def names(self) -> NameIndex:
        """The index of normalised names, built on first use (ids need none)."""
        topology = self.__dict__.get("topology")
        if topology is None:
            return NameIndex(self.model.entities)
        return NameIndex(self.model.entities, topology.name_keys, topology.name_table)

    @classmethod
    def load(cls, directory: str | Path | None = None) -> MechGraph:
        """Load and validate a graph: a YAML directory or a KGX graph (the bundled graph when None).

        Raises InvalidGraph listing every curation error.
        """
        from .store.cache import cached_graph
        return cls(*cached_graph(Path(directory) if directory else bundled_graph_dir()))

    @cached_property
    def topology(self) -> Topology:
        """Entities and assertions as integer arrays: what ``path`` and ``show`` search."""
        return Topology.from_model(self.model)

    @cached_property
    def nx(self) -> nx.MultiDiGraph:
        """The networkx MultiDiGraph: entity ids as nodes, assertion ids as edge keys
        (built on first use)."""
        from .store.build import build_graph
        return build_graph(self.model, self.__dict__.get("topology"))  # a topology at hand saves rescoring

    # -- names ------------------------------------------------------------------
    def resolve(self, name: str) -> Entity:
        """The entity a name, alias, Chinese name or id denotes.

        Raises EntityNotFound (with suggestions) or AmbiguousEntity.
        """
        entity = self.model.entities.get(name)
        if entity is not None:
            return entity
        return self.model.entities[self.names.resolve(name)]

    def search(self, text: str, limit: int = 20) -> list[dict]:
        """Entities matching ``text``: ``[{"id", "name", "name_zh", "type", "score"}]``."""
        return self.names.search(text, limit=limit)

    # -- paths and neighbourhoods ---------------------------------------------------
    def path(self, source: str, target: str, *, max_hops: int = 4, k: int = 5,
             min_level: str | None = None, directed: bool = False,
             min_score: float = 0.0, relation: str = "chain", drug: str | None = None) -> dict:
        """Ranked paths between two named entities (the ``path --json`` shape).

        With ``relation="chain"`` (the default) the paths are mechanism chains
        (:mod:`mechgraph.reasoning.chains`) from source to target or back; when there is none, the
        best other connections follow, labelled (:mod:`mechgraph.reasoning.connections`), with
        ``"chains_found": false`` and a ``note``. With ``relation="any"`` every
        connection counts (``directed`` then keeps to assertions' own direction).
        ``drug`` names the drug whose evidence a step must rest on not to be ``borrowed``.

        Raises EntityNotFound, AmbiguousEntity or NoPath.
        """
        from .reasoning.chains import mechanism_chains, sign_agreement
        from .errors import MechgraphError
        if relation not in ("chain", "any"):
            raise MechgraphError(f"unknown relation {relation!r}; choose chain or any")
        a, b = self.resolve(source), self.resolve(target)
        ref = self.resolve(drug).id if drug else None
        note = None
        chains: list[dict] = []
        if relation == "chain" and a.id != b.id:
            chains = mechanism_chains(self.topology, self.model, a.id, b.id, max_hops=max_hops, k=k,
                                      min_level=min_level, min_score=min_score, drug=ref)
            for chain in chains:
                chain.update(sign_agreement(self.topology, chain))
        if relation == "chain" and not chains:
            note = f"no mechanism chain between {a.name} and {b.name} within {max_hops} hops"
            if min_level:
                note += f" at evidence level {min_level} or better"
        if not chains:
            try:
                chains = self._connections(a.id, b.id, max_hops=max_hops, k=k, min_level=min_level,
                                           directed=directed, min_score=min_score, drug=ref,
                                           without_chains=relation == "chain")
            except NoPath as exc:
                raise NoPath(f"{note}, and no other connection either" if note else str(exc)) from None
        return {
            "source": a.summary(),
            "target": b.summary(),
            "relation": relation,
            "drug": ref,
            "chains_found": any(p["kind"] == "chain" for p in chains),
            "note": note,
            "paths": [named_path(self.model, p) for p in chains],
        }

    def _connections(self, source: str, target: str, *, without_chains: bool, drug: str | None, k: int,
                     **options) -> list[dict]:
        """Paths over any assertion, labelled by kind; chains left out when ``without_chains``."""
        from .reasoning.connections import label_path
        found = ranked_paths(self.topology, source, target, k=max(k, 20) if without_chains else k, **options)
        labelled = [label_path(self.topology, self.model, p, drug=drug) for p in found]
        if without_chains:
            labelled = [p for p in labelled if p["kind"] != "chain"] or labelled
        return labelled[:k]

    def explain(self, drug: str, outcome: str | None = None, *, max_hops: int = 6, min_level: str | None = None,
                min_score: float = 0.0, chains_per_family: int = 3) -> dict:
        """How ``drug`` works: its mechanism chains to ``outcome`` grouped by mechanism
        family (the ``explain --json`` shape; :func:`mechgraph.reasoning.explain.explain`).
        Raises EntityNotFound, AmbiguousEntity or NoPath.

        >>> g = MechGraph.load()
        >>> g.explain("esketamine")["drug"]["id"]
        'esketamine'
        """
        from .reasoning.explain import explain
        return explain(self, drug, outcome, max_hops=max_hops, min_level=min_level, min_score=min_score,
                       chains_per_family=chains_per_family)

    def conflicts(self, *, entity: str | None = None, kinds=None) -> list[dict]:
        """Every disagreement in the graph (the ``conflicts --json`` shape), classified as
        explained by context or unexplained; only those involving ``entity`` (an id) and
        of ``kinds`` when given (:data:`mechgraph.reasoning.CONFLICT_KINDS`).

        >>> g = MechGraph.load()
        >>> {c["classification"] for c in g.conflicts()} <= {"context", "unexplained"}
        True
        """
        from .reasoning.conflicts import KINDS, find_conflicts
        return find_conflicts(self.model, entity=entity, kinds=kinds or KINDS, topology=self.topology)

    def neighbours(self, name: str, depth: int = 1) -> list[str]:
        """Ids of the entities within ``depth`` hops of a named entity (itself included)."""
        start = self.resolve(name).id
        import networkx as nx
        reach = nx.single_source_shortest_path_length(self.nx.to_undirected(as_view=True), start, cutoff=depth)
        return sorted(reach, key=lambda n: (reach[n], n))

    # -- one entity -------------------------------------------------------------------
    def show(self, name: str, *, evidence: bool = False) -> dict:
        """One entity with its edges and findings (the ``show --json`` shape).

        ``mentions`` lists, by role, the findings that name the entity outside its own
        assertions (as the drug given, a co-intervention, the brain region or cell type
        of a context, ...; :mod:`mechgraph.reasoning.mentions`); ``guidance`` the recommendations
        attached to it, by topic. With ``evidence`` each edge adds ``score_parts``
        (:func:`mechgraph.reasoning.evidence.score_parts`)."""
        entity = self.resolve(name)
        m, t = self.model, self.topology
        node = t.index[entity.id]
        edges = {"out": [], "in": []}
        finding_ids: list[str] = []
        for side, listed, far in (("out", t.out_of(node), t.object), ("in", t.into(node), t.subject)):
            for edge in listed:
                data = t.edge_data(edge)
                edges[side].append({
                    "assertion": t.edge_key(edge),
                    "predicate": data["predicate"],
                    "sign": data["sign"],
                    "relation": data["relation"],
                    "other": m.entities[t.nodes[far[edge]]].summary(),
                    "level": data["level"],
                    "score": data["score"],
                    "species": data["species"],
                    "context": data["context"],
                    "findings": data["supporting"] + data["refuting"],
                    "supporting": data["supporting"],
                    "refuting": data["refuting"],
                })
                if evidence:
                    from .reasoning.evidence import score_parts
                    edges[side][-1]["score_parts"] = score_parts(m, m.assertions[t.edge_key(edge)])
                finding_ids.extend(data["supporting"] + data["refuting"])
        mentions = entity_mentions(self, entity.id)
        for ids in mentions.values():
            finding_ids.extend(ids)
        for side in edges:
            edges[side].sort(key=lambda e: (-level_rank(e["level"]), e["predicate"], e["other"]["id"]))
        unique = list(dict.fromkeys(finding_ids))
        findings = sorted((m.findings[f] for f in unique), key=lambda f: (-f.rank, f.id))
        return {
            "entity": {**entity.summary(), "aliases": list(entity.aliases), "xrefs": dict(entity.xrefs),
                       "description": entity.description, "description_zh": entity.description_zh},
            "out": edges["out"],
            "in": edges["in"],
            "mentions": mentions,
            "guidance": guidance(self, entity.id),
            "findings": [f.summary() for f in findings],
        }

    def finding(self, finding_id: str) -> Finding:
        """A finding by id; raises MechgraphError when there is none."""
        from .errors import MechgraphError
        if finding_id not in self.model.findings:
            import difflib
            close = difflib.get_close_matches(finding_id, list(self.model.findings), n=5)
            hint = f" Did you mean: {', '.join(close)}?" if close else ""
            raise MechgraphError(f"unknown finding {finding_id!r}.{hint}")
        return self.model.findings[finding_id]

    def to_frames(self):
        """Entities, assertions, findings and evidence as pandas DataFrames
        (:class:`mechgraph.io.frames.Frames`; needs ``pip install 'mechgraph[frames]'``)."""
        from .io.frames import to_frames
        return to_frames(self)

    # -- counts ---------------------------------------------------------------------------
    def stats(self) -> dict:
        """Counts of records, entities by type, assertions by predicate, findings by level
        (counted when the topology was built: a cached graph of millions answers at once)."""
        return copy.deepcopy(self.topology.counts)
