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
from .results import (Conflicts, EntityView, ExplainResult, Exported, MapView, PathResult, QueryResult, Rendered,
                      ScoreParts, SearchHits, Stats)
from .store.topology import Topology

if TYPE_CHECKING:  # networkx is imported by the commands that build the graph (render, query, export)
    import networkx as nx


class MechGraph:
    """A curated mechanism graph with its topology, networkx view and name index: the
    library's one entry point (docs/library.md).

    Parameters
    ----------
    model : Model
        The records: entities, assertions, findings and sources.
    topology : Topology, optional
        Their shape as integer arrays, when already at hand (the cache keeps one).

    Examples
    --------
    >>> g = MechGraph.load("tests/data/example-graph")     # MechGraph.load() for the bundled graph
    >>> g.path("Drug X", "Protein P", relation="any").best["score"]
    0.417
    """

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
        """Load and validate a graph: a YAML directory or a KGX graph.

        Parameters
        ----------
        directory : str or Path, optional
            A directory of YAML files, a KGX directory or a KGX nodes file; the bundled
            esketamine graph when None. Later loads of the same files read the cache.

        Returns
        -------
        MechGraph

        Raises
        ------
        InvalidGraph
            Listing every curation error, each with its file and line.

        Examples
        --------
        >>> g = MechGraph.load("tests/data/example-graph")
        >>> sorted(g.model.entities)[:2]
        ['behaviour-b', 'disease-d']
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

        Parameters
        ----------
        name : str
            Spelling, case, spaces and hyphens are forgiven.

        Returns
        -------
        Entity

        Raises
        ------
        EntityNotFound
            With ``suggestions``, the closest names.
        AmbiguousEntity
            With ``candidates``, when the name fits several entities equally.

        Examples
        --------
        >>> MechGraph.load().resolve("S-ketamine").id
        'esketamine'
        """
        entity = self.model.entities.get(name)
        if entity is not None:
            return entity
        return self.model.entities[self.names.resolve(name)]

    def search(self, text: str, limit: int = 20) -> SearchHits:
        """Entities whose id, name, alias or Chinese name match ``text``, best first.

        Parameters
        ----------
        text : str
            What to look for; spelling may be forgiving.
        limit : int
            The most hits to return.

        Returns
        -------
        SearchHits
            ``[{"id", "name", "name_zh", "type", "score"}]`` (the ``search --json`` shape).

        Examples
        --------
        >>> g = MechGraph.load()
        >>> g.search("tarp", limit=1).best["id"]
        'tarp-gamma8'
        """
        return SearchHits(self.names.search(text, limit=limit))

    # -- paths and neighbourhoods ---------------------------------------------------
    def path(self, source: str, target: str, *, max_hops: int = 4, k: int = 5,
             min_level: str | None = None, directed: bool = False,
             min_score: float = 0.0, relation: str = "chain", drug: str | None = None,
             signed: bool = False) -> PathResult:
        """Ranked paths between two named entities.

        With ``relation="chain"`` (the default) the paths are mechanism chains
        (:mod:`mechgraph.reasoning.chains`) from source to target or back; when there is none, the
        best other connections follow, labelled (:mod:`mechgraph.reasoning.connections`), with
        ``"chains_found": false`` and a ``note``. With ``relation="any"`` every
        connection counts (``directed`` then keeps to assertions' own direction).

        Parameters
        ----------
        source, target : str
            The two entities: names, aliases, Chinese names or ids.
        max_hops : int
            The longest path to consider.
        k : int
            How many paths to return.
        min_level : str, optional
            Use only assertions with evidence at this level or stronger.
        directed : bool
            With ``relation="any"``: follow assertions only from subject to object.
        min_score : float
            Use only assertions whose evidence score is at least this.
        relation : {"chain", "any"}
            Mechanism chains only, or every connection.
        drug : str, optional
            The drug whose evidence a step must rest on not to be ``borrowed``.
        signed : bool
            Add each path's net sign and the direct assertions it agrees with or
            contradicts, and at the top ``direct_effects``
            (:func:`mechgraph.reasoning.signs.annotate_signs`).

        Returns
        -------
        PathResult
            The ``path --json`` shape: ``source``, ``target``, ``relation``, ``drug``,
            ``chains_found``, ``note`` and ``paths``, best first.

        Raises
        ------
        EntityNotFound, AmbiguousEntity
            When a name denotes no entity, or several.
        NoPath
            When nothing connects the two within ``max_hops``.

        Examples
        --------
        >>> g = MechGraph.load()
        >>> found = g.path("NMDAR", "BDNF", k=2)
        >>> [n["id"] for n in found.best["nodes"]]
        ['nmdar', 'bdnf']
        >>> found["chains_found"]
        True
        """
        from .errors import MechgraphError
        if relation not in ("chain", "any"):
            raise MechgraphError(f"unknown relation {relation!r}; choose chain or any")
        a, b = self.resolve(source), self.resolve(target)
        ref = self.resolve(drug).id if drug else None
        note = None
        chains: list[dict] = []
        if relation == "chain" and a.id != b.id:
            from .reasoning.chains import mechanism_chains, sign_agreement
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
        result = PathResult({
            "source": a.summary(),
            "target": b.summary(),
            "relation": relation,
            "drug": ref,
            "chains_found": any(p["kind"] == "chain" for p in chains),
            "note": note,
            "paths": [named_path(self.model, p) for p in chains],
        })
        if signed:
            from .reasoning.signs import annotate_signs
            return PathResult(annotate_signs(self, result))
        return result

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
                min_score: float = 0.0, chains_per_family: int = 3) -> ExplainResult:
        """How ``drug`` works: its mechanism chains to ``outcome`` grouped by mechanism
        family (:func:`mechgraph.reasoning.explain.explain`).

        Parameters
        ----------
        drug : str
            The drug: a name, alias, Chinese name or id.
        outcome : str, optional
            The outcome; by default the phenotype the drug's chains reach most.
        max_hops : int
            The longest chain to consider.
        min_level : str, optional
            Use only steps with evidence at this level or stronger.
        min_score : float
            Use only steps whose evidence score is at least this.
        chains_per_family : int
            The best chains kept per family.

        Returns
        -------
        ExplainResult
            The ``explain --json`` shape: ``drug``, ``outcome``, ``chains``,
            ``families``, ``open_ends`` and ``guidance``.

        Raises
        ------
        EntityNotFound, AmbiguousEntity
            When a name denotes no entity, or several.
        NoPath
            When no chain leads from the drug to the outcome.

        Examples
        --------
        >>> g = MechGraph.load()
        >>> how = g.explain("esketamine")
        >>> how["drug"]["id"], how["outcome"]["id"]
        ('esketamine', 'antidepressant-effect')
        """
        from .reasoning.explain import explain
        return ExplainResult(explain(self, drug, outcome, max_hops=max_hops, min_level=min_level,
                                     min_score=min_score, chains_per_family=chains_per_family))

    def conflicts(self, *, entity: str | None = None, kinds=None) -> Conflicts:
        """Every disagreement in the graph, classified as explained by context or unexplained.

        Parameters
        ----------
        entity : str, optional
            Only disagreements involving this entity (an id; :meth:`resolve` a name first).
        kinds : iterable of str, optional
            Only disagreements of these kinds (:data:`mechgraph.reasoning.CONFLICT_KINDS`).

        Returns
        -------
        Conflicts
            The ``conflicts --json`` shape: one dict per disagreement, with ``kind``,
            ``classification`` (``context`` or ``unexplained``), the findings on each side
            and the ``explanation``.

        Examples
        --------
        >>> g = MechGraph.load()
        >>> {c["classification"] for c in g.conflicts()} <= {"context", "unexplained"}
        True
        >>> {c["kind"] for c in g.conflicts(kinds=["quantity"])}
        {'quantity'}
        """
        from .reasoning.conflicts import KINDS, find_conflicts
        return Conflicts(find_conflicts(self.model, entity=entity, kinds=kinds or KINDS, topology=self.topology))

    def neighbours(self, name: str, depth: int = 1) -> list[str]:
        """Ids of the entities within ``depth`` hops of a named entity (itself included),
        nearest first, then by id.

        Parameters
        ----------
        name : str
            The entity: a name, alias, Chinese name or id.
        depth : int
            How many hops, in either direction.

        Returns
        -------
        list of str

        Raises
        ------
        EntityNotFound, AmbiguousEntity
            When the name denotes no entity, or several.

        Examples
        --------
        >>> MechGraph.load("tests/data/example-graph").neighbours("receptor-r")
        ['receptor-r', 'drug-x', 'protein-p']
        """
        start = self.resolve(name).id
        import networkx as nx
        reach = nx.single_source_shortest_path_length(self.nx.to_undirected(as_view=True), start, cutoff=depth)
        return sorted(reach, key=lambda n: (reach[n], n))

    # -- one entity -------------------------------------------------------------------
    def show(self, name: str, *, evidence: bool = False) -> EntityView:
        """One entity with its edges and findings.

        ``mentions`` lists, by role, the findings that name the entity outside its own
        assertions (as the drug given, a co-intervention, the brain region or cell type
        of a context, ...; :mod:`mechgraph.reasoning.mentions`); ``guidance`` the recommendations
        attached to it, by topic.

        Parameters
        ----------
        name : str
            The entity: a name, alias, Chinese name or id.
        evidence : bool
            Add to each edge ``score_parts``, how its score is computed
            (:func:`mechgraph.reasoning.evidence.score_parts`).

        Returns
        -------
        EntityView
            The ``show --json`` shape: ``entity``, ``out``, ``in``, ``mentions``,
            ``guidance`` and ``findings``.

        Raises
        ------
        EntityNotFound, AmbiguousEntity
            When the name denotes no entity, or several.

        Examples
        --------
        >>> g = MechGraph.load()
        >>> view = g.show("BDNF")
        >>> view.entity["id"], len(view["out"]) > 0
        ('bdnf', True)
        """
        entity = self.resolve(name)
        m, t = self.model, self.topology
        node = t.index[entity.id]
        edges: dict[str, list] = {"out": [], "in": []}
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
        return EntityView({
            "entity": {**entity.summary(), "aliases": list(entity.aliases), "xrefs": dict(entity.xrefs),
                       "description": entity.description, "description_zh": entity.description_zh},
            "out": edges["out"],
            "in": edges["in"],
            "mentions": mentions,
            "guidance": guidance(self, entity.id),
            "findings": [f.summary() for f in findings],
        })

    def finding(self, finding_id: str) -> Finding:
        """A finding by id.

        Parameters
        ----------
        finding_id : str

        Returns
        -------
        Finding

        Raises
        ------
        MechgraphError
            When there is none (naming the closest ids).

        Examples
        --------
        >>> MechGraph.load("tests/data/example-graph").finding("f-x-p-mouse").species
        ('mouse',)
        """
        from .errors import MechgraphError
        if finding_id not in self.model.findings:
            import difflib
            close = difflib.get_close_matches(finding_id, list(self.model.findings), n=5)
            hint = f" Did you mean: {', '.join(close)}?" if close else ""
            raise MechgraphError(f"unknown finding {finding_id!r}.{hint}")
        return self.model.findings[finding_id]

    def to_frames(self):
        """Entities, assertions, findings and evidence as pandas DataFrames.

        Returns
        -------
        Frames
            :class:`mechgraph.io.frames.Frames`: ``entities``, ``assertions``,
            ``findings`` and ``evidence`` (one row per finding per assertion it bears on).

        Raises
        ------
        MechgraphError
            When pandas is not installed (``pip install 'mechgraph[frames]'``).

        Examples
        --------
        >>> frames = MechGraph.load("tests/data/example-graph").to_frames()
        >>> len(frames.entities), len(frames.assertions)
        (7, 6)
        """
        from .io.frames import to_frames
        return to_frames(self)

    # -- evidence, queries, the map and exports ------------------------------------------------
    def score(self, assertion_id: str) -> ScoreParts:
        """How an assertion's evidence score is computed, enough to recompute it by hand
        (:func:`mechgraph.reasoning.evidence.score_parts`; docs/evidence.md).

        Parameters
        ----------
        assertion_id : str
            The assertion's id.

        Returns
        -------
        ScoreParts
            ``score``, ``support``, ``against``, ``dissent``, the study and opinion
            counts, the units ``for`` and ``against_units``, the findings ``excluded``
            and the ``formula``: the ``score_parts`` shape of ``show --evidence --json``.

        Raises
        ------
        MechgraphError
            When there is no such assertion (naming the closest ids).

        Examples
        --------
        >>> g = MechGraph.load("tests/data/example-graph")
        >>> parts = g.score("a-x-increases-expression-p")
        >>> parts.score, parts["studies_for"]
        (0.417, 1)
        """
        from .errors import MechgraphError
        from .reasoning.evidence import score_parts
        assertion = self.model.assertions.get(assertion_id)
        if assertion is None:
            import difflib
            close = difflib.get_close_matches(assertion_id, list(self.model.assertions), n=5)
            hint = f" Did you mean: {', '.join(close)}?" if close else ""
            raise MechgraphError(f"unknown assertion {assertion_id!r}.{hint}")
        return ScoreParts(score_parts(self.model, assertion))

    def query(self, cypher: str, params: dict | None = None, *, timeout: float | None = None,
              max_rows: int | None = None) -> QueryResult:
        """Run a read-only Cypher query on the embedded engine (no server needed).

        Nodes are entities, findings and sources, relationships the assertions and the
        links between records, as ``mechgraph load`` writes them to Neo4j (docs/cypher.md).

        Parameters
        ----------
        cypher : str
            The query; ``$name`` refers to a parameter.
        params : dict, optional
            The query's parameters.
        timeout : float, optional
            Seconds the query may run (default: :data:`mechgraph.cypher.limits.TIMEOUT_S`).
        max_rows : int, optional
            The most rows it may hold (default: :data:`mechgraph.cypher.limits.MAX_ROWS`).

        Returns
        -------
        QueryResult
            ``columns``, ``rows`` and ``records()``; ``to_json()`` is the ``query --json`` shape.

        Raises
        ------
        CypherError
            A syntax error, a feature the engine lacks (by name), a write, or a query
            past its ``timeout`` or ``max_rows`` (:class:`mechgraph.cypher.QueryLimit`).

        Examples
        --------
        >>> g = MechGraph.load("tests/data/example-graph")
        >>> g.query("MATCH (d:Drug)-[r]->(t {id: $t}) RETURN d.id, type(r)", {"t": "receptor-r"}).rows
        [['drug-x', 'ANTAGONIZES']]
        """
        from .cypher import run_query
        return QueryResult.of(run_query(cypher, params or {}, graph=self, timeout=timeout, max_rows=max_rows))

    def map(self, *, height: int = 640, **options) -> MapView:
        """The interactive map, shown inline in a Jupyter notebook: the page ``render``
        writes, offline and self-contained, in a sandboxed frame.

        Parameters
        ----------
        height : int
            The frame's height in pixels.
        **options
            What the map draws, as for :meth:`render` (``focus``, ``depth``, ``types``,
            ``min_level``, ``min_score``, ``drug``, ``view``, ``lang``, ``title``).

        Returns
        -------
        MapView
            ``html`` (the page), ``counts`` and ``save(path)``.

        Raises
        ------
        EntityNotFound, AmbiguousEntity, MechgraphError
            For a focus or drug that names no entity, or pyvis missing (the ``html`` extra).

        Examples
        --------
        >>> view = MechGraph.load("tests/data/example-graph").map(focus="Drug X")
        >>> view.counts["entities"], view._repr_html_().startswith("<iframe srcdoc=")
        (5, True)
        """
        from .html import build_map
        page = build_map(self, **options)
        return MapView(page.html, page.counts(), height=height)

    def render(self, path: str | Path, **options) -> Rendered:
        """Write the interactive map: one self-contained HTML file that works offline.

        Parameters
        ----------
        path : str or Path
            The file to write (whole or not at all).
        **options
            What the map draws (:func:`mechgraph.html.build_map`): ``focus`` and
            ``depth`` (a neighbourhood), ``types``, ``min_level``, ``min_score``,
            ``drug``, ``view``, ``lang``, ``title``, and the most entities and assertions
            it draws, ``max_entities`` and ``max_assertions`` (None: no limit).

        Returns
        -------
        Rendered
            The ``render --json`` shape: ``file``, ``entities``, ``assertions``,
            ``findings`` and ``bytes``.

        Raises
        ------
        EntityNotFound, AmbiguousEntity, MechgraphError
            For a focus or drug that names no entity, pyvis missing, or an unwritable path.
        MapTooLarge
            For a choice of more entities or assertions than the limits (nothing is written).

        Examples
        --------
        >>> import tempfile, os
        >>> out = os.path.join(tempfile.mkdtemp(), "map.html")
        >>> written = MechGraph.load("tests/data/example-graph").render(out, focus="Drug X", depth=1)
        >>> written["entities"], written.path.is_file()
        (5, True)
        """
        from .atomic import write_text
        from .html import build_map
        page = build_map(self, **options)
        written = write_text(path, page.html)
        return Rendered({"file": str(written), **page.counts(), "bytes": len(page.html.encode("utf-8"))})

    def export(self, format: str, path: str | Path) -> Exported:
        """Write the graph in one format (docs/exports.md); the same graph always gives the same bytes.

        Parameters
        ----------
        format : str
            A name of :data:`mechgraph.io.WRITERS` (``graphml``, ``gexf``, ``json``,
            ``cytoscape``, ``cx2``, ``kgx``, ...).
        path : str or Path
            A file, or a directory for the formats of several files (``kgx``, ``neo4j-csv``).

        Returns
        -------
        Exported
            The ``export --json`` shape: ``{"written": [file, ...]}``; ``paths`` as Paths.

        Raises
        ------
        MechgraphError
            For an unknown or unavailable format, or a path that cannot be written.

        Examples
        --------
        >>> import tempfile, os
        >>> out = os.path.join(tempfile.mkdtemp(), "graph.graphml")
        >>> MechGraph.load("tests/data/example-graph").export("graphml", out).paths[0].name
        'graph.graphml'
        """
        from .io import export
        return Exported({"written": [str(p) for p in export(self, format, path)]})

    # -- counts ---------------------------------------------------------------------------
    def stats(self) -> Stats:
        """Counts of records, entities by type, assertions by predicate, findings by level
        (counted when the topology was built: a cached graph of millions answers at once).

        Returns
        -------
        Stats
            The ``stats --json`` shape.

        Examples
        --------
        >>> g = MechGraph.load("tests/data/example-graph")
        >>> g.stats()["entities"], g.stats()["by_type"]["Drug"]
        (7, 1)
        """
        return Stats(copy.deepcopy(self.topology.counts or {}))
