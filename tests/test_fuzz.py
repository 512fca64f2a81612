"""Fuzzing: random and mutated graph files and random command lines never get a traceback.

Each example writes one graph, mutated from the test graphs (YAML, KGX TSV, KGX JSON
Lines, gzipped KGX, node-link JSON) or made of random bytes, runs a command line on it
(some chosen from the commands and their options, some random), and asserts:

- exit status 0 or 1, or 2 with click's usage message or ``Error:`` line (a usage error);
- no traceback, no "internal error" (the CLI's last-resort message), no "out of memory";
- no file left behind: the graph directory holds what was written, outputs appear only
  on success and only where asked, and no temporary file stays anywhere;
- within TIME_LIMIT seconds and MEMORY_LIMIT bytes of address space beyond the start.

The normal run is bounded (``MECHGRAPH_FUZZ_EXAMPLES`` examples per target, default 60,
derandomized: the same examples every run, so CI is reproducible). A longer, random run::

    MECHGRAPH_FUZZ_EXAMPLES=3000 .venv/bin/python -m pytest -p no:cacheprovider tests/test_fuzz.py

A failing example is printed by hypothesis with the file and the command that broke.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import resource
import signal
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DATA, EXAMPLE_GRAPH, EXAMPLE_SEEDS
from mechgraph import MechGraph
from mechgraph.store import cache
from mechgraph.cli import cli
from mechgraph.errors import InvalidGraph, MechgraphError

EXAMPLES = int(os.environ.get("MECHGRAPH_FUZZ_EXAMPLES", "60"))
LONG_RUN = "MECHGRAPH_FUZZ_EXAMPLES" in os.environ
#: seconds one command may take on a graph of a few kilobytes
TIME_LIMIT = 30
#: bytes of address space one command may add
MEMORY_LIMIT = 2 << 30

FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=not LONG_RUN, database=None,
                suppress_health_check=list(HealthCheck), print_blob=True)

KGX = DATA / "kgx-graph"


def _nodelink_text() -> bytes:
    from mechgraph.curation.yaml_reader import load_model
    from mechgraph.io.nodelink import to_nodelink
    graph = MechGraph(load_model(EXAMPLE_GRAPH))
    return json.dumps(to_nodelink(graph), ensure_ascii=False, indent=1).encode()


#: seed files by graph kind: file name -> bytes
SEEDS: dict[str, dict[str, bytes]] = {
    "yaml": {"toy.yaml": (EXAMPLE_GRAPH / "toy.yaml").read_bytes(),
             "hostile.yaml": (DATA / "hostile-graph" / "hostile.yaml").read_bytes()},
    "tsv": {"nodes.tsv": (KGX / "nodes.tsv").read_bytes(), "edges.tsv": (KGX / "edges.tsv").read_bytes()},
    "jsonl": {"nodes.jsonl": (KGX / "jsonl" / "nodes.jsonl").read_bytes(),
              "edges.jsonl": (KGX / "jsonl" / "edges.jsonl").read_bytes()},
}
SEEDS["gz"] = {f"{name}.gz": gzip.compress(data, mtime=0) for name, data in SEEDS["tsv"].items()}

TOKENS = [b"&a ", b"*a", b"<<: *a\n", b"? [x, y]\n: 1\n", b"? {k: v}\n: 1\n", b"!!python/object/apply:os.system [x]",
          b"!!binary ***", b"!!timestamp 2020-99", b"!!set {a, b}", b"{", b"}", b"[", b"]", b": ", b"- ", b"\t", b"\n",
          b"'", b'"', b"\\", b"\\u", b"\\ud800", b'"\\ud83d"', b"\x00", b"\xff\xfe", b"\xed\xa0\x80", b"~", b"null",
          b"-.inf", b".nan", b"9" * 60, b"1e999", b"-0", b"\xe2\x80\xa8", b"#", b"|", b"\xc2\xa6", b"biolink:Drug",
          b"mechgraph:", b"NCBITaxon:10090", b'{"brain_region": ["x"]}', b"True", b"negated", b"supporting",
          b"refuting", b"f-x-blocks-r", b"drug-x", b"EX:drug-a", b"[[[[[[[[[[", b"]]]]]]]]]]", b"\r\n", b"---\n",
          b"...\n", b"%YAML 1.1\n", b"\x1f\x8b\x08\x00",
          # big ones: past the parsers' depth and digit limits, the field limit, an alias bomb
          b"[" * 1500 + b"]" * 1500, b"{\"a\": " * 1200, b"9" * 5000, b"x" * 1_100_000,
          b"\nl0: &l0 [x, x, x, x, x, x, x, x, x, x]\n" + b"".join(
              b"l%d: &l%d [%s]\n" % (i, i, b", ".join([b"*l%d" % (i - 1)] * 10)) for i in range(1, 9))]


@st.composite
def mutated(draw, data: bytes) -> bytes:
    """``data`` changed by a few random edits: flips, cuts, copies, tokens, truncation."""
    data = bytearray(data)
    for _ in range(draw(st.integers(0, 6))):
        if not data:
            data.extend(draw(st.sampled_from(TOKENS)))
            continue
        at = draw(st.integers(0, len(data) - 1))
        edit = draw(st.sampled_from(["flip", "delete", "copy", "token", "truncate", "swap"]))
        if edit == "flip":
            data[at] ^= draw(st.integers(1, 255))
        elif edit == "delete":
            del data[at:at + draw(st.integers(1, 64))]
        elif edit == "copy":
            piece = data[at:at + draw(st.integers(1, 256))]
            where = draw(st.integers(0, len(data)))
            data[where:where] = piece * draw(st.integers(1, 4))
        elif edit == "token":
            data[at:at] = draw(st.sampled_from(TOKENS))
        elif edit == "truncate":
            del data[at:]
        else:  # one word for another: references that lead nowhere, ids used twice
            words = bytes(data).split()
            if len(words) > 2:
                old, new = draw(st.sampled_from(words)), draw(st.sampled_from(words))
                data = bytearray(bytes(data).replace(old, new, 1))
    return bytes(data)


@st.composite
def graphs(draw) -> tuple[str, dict[str, bytes]]:
    """A graph kind and its files: mutated seeds, or random bytes under the right names."""
    kind = draw(st.sampled_from(sorted(SEEDS)))
    files = {}
    for name, data in SEEDS[kind].items():
        if draw(st.integers(0, 9)) == 0:
            files[name] = draw(st.binary(max_size=300))
        elif kind == "gz" and draw(st.booleans()):  # mutate what is inside the gzip
            files[name] = gzip.compress(draw(mutated(gzip.decompress(data))), mtime=0)
        else:
            files[name] = draw(mutated(data))
    return kind, files


#: entities of the seed graphs (so that commands find something) and names that find nothing
ENTITY_NAMES = ["drug-x", "receptor-r", "protein-p", "pathway-q", "disease-d", "behaviour-b", "Drug X", "RR", "R-γ2",
                "EX:drug-a", "EX:gene-b", "EX:protein-b", "EX:process-c", "EX:disease-d", "Gene B", "quote-drug",
                "keyword-receptor", "O'Brien's \"drug\"", "it's-odd", "药物X"]
NAMES = st.one_of(st.sampled_from(ENTITY_NAMES), st.sampled_from(["x", "", " ", "*", "f-x-blocks-r"]),
                  st.text(max_size=30))
NUMBERS = st.sampled_from(["0", "1", "3", "-1", "8", "99999999999999999999", "1e9", "nan", "x", ""])
LEVELS = st.sampled_from(["rct", "animal_in_vivo", "review_opinion", "nope", ""])
FORMATS = st.sampled_from(["graphml", "gexf", "json", "cytoscape", "kgx", "cypher", "neo4j-csv", "html", "nope"])
QUERIES = st.one_of(st.sampled_from([
    "MATCH (e:Entity) RETURN e.id ORDER BY e.id LIMIT 5", "MATCH (a)-[r]->(b) RETURN type(r), count(*)",
    "RETURN $p AS p", "MATCH (n) WHERE n.name CONTAINS $p RETURN n", "MATCH p=(a)-[*1..3]->(b) RETURN length(p)",
    "CREATE (x)", "RETURN 1/0", "UNWIND range(1, 10) AS i RETURN i", "MATCH (f:Finding) RETURN f.species",
    "RETURN [1, 2, 3][$p]", ""]), st.text(max_size=60))
PARAMS = st.sampled_from(["p=1", "p=\"x\"", "p=[1, 2]", "p={\"a\": [1]}", "p=" + "[" * 3000 + "]" * 3000, "p=",
                          "=x", "p=nan", "p=" + "9" * 5000, "bad key=1", "p=\ud800"])


@st.composite
def command_lines(draw, out: str) -> list[str]:
    """A command line for the graph: a command with valid-looking or random arguments."""
    name = draw(NAMES)
    choice = draw(st.sampled_from(["stats", "validate", "search", "show", "path", "explain", "conflicts", "query",
                                   "render", "export", "locate", "coverage", "random"]))
    flags = lambda *options: [o for o in options if draw(st.booleans())]  # noqa: E731
    if choice == "stats":
        return ["stats", *flags("--json")]
    if choice == "validate":
        return ["validate", *flags("--json")]
    if choice == "search":
        return ["search", name, *flags("--json"), *(["--limit", draw(NUMBERS)] if draw(st.booleans()) else [])]
    if choice == "show":
        return ["show", name, *flags("--json", "--evidence")]
    if choice == "path":
        line = ["path", draw(st.sampled_from(ENTITY_NAMES)) if draw(st.booleans()) else name,
                draw(st.sampled_from(ENTITY_NAMES)) if draw(st.booleans()) else draw(NAMES),
                *flags("--json", "--signed", "--directed")]
        for option, values in (("--max-hops", NUMBERS), ("-k", NUMBERS), ("--min-level", LEVELS),
                               ("--min-score", NUMBERS), ("--relation", st.sampled_from(["chain", "any", "x"])),
                               ("--drug", NAMES), ("--html", st.just(f"{out}/path.html"))):
            if draw(st.integers(0, 3)) == 0:
                line += [option, draw(values)]
        return line
    if choice == "explain":
        line = ["explain", name, *([draw(NAMES)] if draw(st.booleans()) else []), *flags("--json")]
        if draw(st.booleans()):
            line += ["--max-hops", draw(NUMBERS)]
        return line
    if choice == "conflicts":
        return ["conflicts", *flags("--json")]
    if choice == "query":
        line = ["query", draw(QUERIES), *flags("--json", "--csv")]
        return line + (["-p", draw(PARAMS)] if draw(st.booleans()) else [])
    if choice == "render":
        line = ["render", "-o", f"{out}/map.html", *flags("--json")]
        if draw(st.booleans()):
            line += ["--focus", name, "--depth", draw(NUMBERS)]
        if draw(st.booleans()):
            line += ["--types", draw(st.sampled_from(["Drug,Receptor", "Nope", "", "Drug"]))]
        return line
    if choice == "export":
        fmt = draw(FORMATS)
        return ["export", "--format", fmt, "-o", f"{out}/{'kgx' if fmt in ('kgx', 'neo4j-csv') else 'export.out'}"]
    if choice == "locate":
        return ["locate", draw(st.sampled_from(["f-x-blocks-r", "nope", name])), "--sources", str(EXAMPLE_SEEDS)]
    if choice == "coverage":
        return ["coverage", "--sources", str(EXAMPLE_SEEDS), *flags("--json", "--list")]
    # random tokens: click's parsing, unknown commands and options, missing values
    vocabulary = st.one_of(st.sampled_from(["stats", "show", "search", "path", "query", "explain", "conflicts",
                                            "validate", "--json", "-k", "--max-hops", "--min-level", "--limit", "-p",
                                            "--relation", "--evidence", "-h", "--help", "--version", "--", "-"]),
                           NAMES, NUMBERS)
    return draw(st.lists(vocabulary, max_size=6))


#: what a successful command may leave in the output directory
OUTPUTS = {"map.html", "path.html", "export.out", "kgx", "mechgraph.html"}


class TimeLimit(BaseException):
    """A command ran past TIME_LIMIT."""


@contextlib.contextmanager
def bounded():
    """Raise TimeLimit after TIME_LIMIT seconds; cap the address space MEMORY_LIMIT beyond now."""
    def expire(signum, frame):
        raise TimeLimit(f"a command took more than {TIME_LIMIT} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT)
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with open("/proc/self/statm") as statm:
        in_use = int(statm.read().split()[0]) * resource.getpagesize()
    cap = in_use + MEMORY_LIMIT
    resource.setrlimit(resource.RLIMIT_AS, (cap if hard == resource.RLIM_INFINITY else min(cap, hard), hard))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def hidden(folder: Path) -> list[str]:
    return [str(p) for p in folder.rglob(".*")]


def run_one(files: dict[str, bytes], argv_of, draw_argv) -> None:
    """Write ``files`` as a graph, run one command line on it, check the promises."""
    with tempfile.TemporaryDirectory(prefix="mechgraph-fuzz-") as work:
        work = Path(work)
        graph, out, cache_dir = work / "graph", work / "out", work / "cache"
        graph.mkdir()
        out.mkdir()
        for name, data in files.items():
            (graph / name).write_bytes(data)
        argv = draw_argv(argv_of(str(out)))
        cache._MEMORY.clear()
        cache._WARNED.clear()
        runner = CliRunner(env={"MECHGRAPH_CACHE_DIR": str(cache_dir), "MECHGRAPH_NO_CACHE": None,
                                "MECHGRAPH_GRAPH": None, "MECHGRAPH_DEBUG": None, "MECHGRAPH_PROGRESS": "0"})
        here = os.getcwd()
        os.chdir(out)  # any default output lands where it is checked
        try:
            with bounded():
                result = runner.invoke(cli, ["--graph", str(graph), *argv])
        finally:
            os.chdir(here)
            cache._MEMORY.clear()
        stderr = result.stderr
        context = f"argv={argv!r}\nexit={result.exit_code}\nstderr={stderr[-2000:]}"
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(f"uncaught {type(result.exception).__name__}: {result.exception}\n{context}") \
                from result.exception
        usage_error = result.exit_code == 2 and ("Usage:" in stderr or stderr.startswith("Error: "))
        assert result.exit_code in (0, 1) or usage_error, context
        for banned in ("Traceback", "internal error", "out of memory"):
            assert banned not in stderr and banned not in result.stdout, context
        assert sorted(p.name for p in graph.iterdir()) == sorted(files), context
        made = {p.name for p in out.iterdir()}
        assert made <= OUTPUTS and (result.exit_code == 0 or not made), f"{context}\nleft: {made}"
        assert hidden(out) == [] and hidden(cache_dir) == [], context


@FUZZ
@given(graphs(), st.data())
def test_a_mutated_graph_and_a_command_never_get_a_traceback(graph, data):
    kind, files = graph
    run_one(files, lambda out: command_lines(out), data.draw)


@FUZZ
@given(st.sampled_from(sorted(SEEDS)), st.data())
def test_random_command_lines_on_a_good_graph_never_get_a_traceback(kind, data):
    run_one(SEEDS[kind], lambda out: command_lines(out), data.draw)


NODELINK = _nodelink_text()


@FUZZ
@given(st.one_of(mutated(NODELINK), st.binary(max_size=200)))
def test_a_mutated_node_link_file_reads_or_is_refused(text):
    """read_nodelink gives a model whose every entity can be shown, or raises InvalidGraph."""
    from mechgraph.io.nodelink import read_nodelink
    with tempfile.TemporaryDirectory(prefix="mechgraph-fuzz-") as work:
        path = Path(work) / "g.json"
        path.write_bytes(text)
        with bounded():
            try:
                model = read_nodelink(path)
            except InvalidGraph as exc:
                assert exc.errors and all(str(e) for e in exc.errors)
                return
            graph = MechGraph(model)
            for entity in list(model.entities)[:6]:
                graph.show(entity)
                graph.search(entity)
            ids = list(model.entities)
            for a, b in zip(ids[:3], ids[-3:], strict=False):
                try:
                    graph.path(a, b, relation="any")
                except MechgraphError:
                    pass
            graph.stats()
        assert os.listdir(work) == ["g.json"]
