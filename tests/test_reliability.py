"""What bad input, interrupted writes and concurrent runs can do to mechgraph: one
``error:`` line and a non-zero exit, the previous output intact, no file left behind.

Every check runs the command line in its own process, as a user does, so that a
traceback, a signal or a memory limit is real.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import DATA, EXAMPLE_GRAPH
from mkgraph import assertion, entity, finding, write_graph
from mechgraph import atomic

HOSTILE_GRAPH = DATA / "hostile-graph"


def mechgraph(*args, cache: Path, cwd: Path | None = None, memory: int | None = None, timeout: float = 120,
              env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m mechgraph ARGS`` (arguments may be bytes); ``memory`` caps its address space."""
    def limit():
        if memory:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    return subprocess.run([sys.executable, "-m", "mechgraph", *args], capture_output=True, cwd=cwd,
                          env={**os.environ, "MECHGRAPH_CACHE_DIR": str(cache), **(env or {})},
                          preexec_fn=limit, timeout=timeout)


def errors(done: subprocess.CompletedProcess) -> list[str]:
    """The ``error:`` lines of a run that failed as it should: exit 1, no traceback, nothing else."""
    stderr = done.stderr.decode("utf-8", "backslashreplace")
    assert done.returncode == 1, stderr
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    lines = stderr.splitlines()
    assert lines and all(line.startswith("error: ") for line in lines), stderr
    return lines


def leftovers(*folders: Path) -> list[str]:
    """Hidden temporary files and directories under ``folders``."""
    return sorted(str(p) for folder in folders if folder.exists() for p in folder.rglob(".*")
                  if p.name.endswith((".tmp", ".old")) or p.name.startswith(".export-"))


# -- every kind of bad input the issue names -------------------------------------------------------

def _graph(tmp_path: Path, files: dict[str, bytes | str]) -> Path:
    graph = tmp_path / "graph"
    graph.mkdir()
    for name, content in files.items():
        path = graph / name
        if isinstance(content, str):
            content = content.encode("utf-8")
        path.write_bytes(content)
    return graph


TSV_EDGES = b"subject\tpredicate\tobject\n"


def _gz(*members: bytes) -> bytes:
    return b"".join(gzip.compress(m, compresslevel=1) for m in members)


BAD_INPUTS = {
    "a list as a YAML key": ({"g.yaml": "entities:\n  - id: x\n    ? [a, b]\n    : 1\n"},
                             "error: g.yaml:3: malformed YAML: a mapping key must be a plain value, not a list "
                             "or mapping"),
    "a map as a YAML key": ({"g.yaml": "sources:\n  - {? {a: 1} : 2}\n"},
                            "error: g.yaml:2: malformed YAML: a mapping key must be a plain value"),
    "JSON Lines nested 200,000 deep": ({"nodes.jsonl": '{"id": "a", "name": ' + "[" * 200_000 + "]" * 200_000 + "}\n",
                                        "edges.jsonl": ""},
                                       "error: nodes.jsonl:1: malformed JSON: nested too deeply"),
    "a JSON Lines integer of 5,000 digits": ({"nodes.jsonl": '{"id": "a", "name": ' + "7" * 5000 + "}\n",
                                              "edges.jsonl": ""},
                                             "error: nodes.jsonl:1: malformed JSON: a number of more than 4,300 "
                                             "digits"),
    "a corrupt .gz": ({"nodes.tsv.gz": b"\x1f\x8b\x08\x00" + b"\xa5" * 64, "edges.tsv.gz": _gz(TSV_EDGES)},
                      "error: nodes.tsv.gz: cannot read: "),
    "a .gz cut short": ({"nodes.tsv.gz": _gz(b"id\tname\n" + b"".join(b"n%d\tN\n" % i for i in range(5000)))[:900],
                         "edges.tsv.gz": _gz(TSV_EDGES)},
                        "error: nodes.tsv.gz: cannot read: Compressed file ended before the end-of-stream marker "
                        "was reached"),
    "not gzip at all": ({"nodes.tsv.gz": b"id\tname\n", "edges.tsv.gz": _gz(TSV_EDGES)},
                        "error: nodes.tsv.gz: cannot read: Not a gzipped file (b'id')"),
    "a lone surrogate in a name": ({"nodes.jsonl": '{"id": "a", "name": "x\\ud800y"}\n', "edges.jsonl": ""},
                                   "error: nodes.jsonl:1: text holding a lone surrogate (such as \\ud800), which is "
                                   "no Unicode character"),
    "a TSV field of 2 MB": ({"nodes.tsv": "id\tname\na\t" + "x" * 2_000_000 + "\n", "edges.tsv": TSV_EDGES},
                            "error: nodes.tsv:2: field 'name' has 2,000,000 characters; a field may have 1,048,576"),
    "a dangling context reference": ({"nodes.tsv": "id\tname\nX:a\tA\n",
                                      "edges.tsv": 'subject\tpredicate\tobject\tmechgraph_assertion\tmechgraph_context\n'
                                                   'X:a\tbiolink:related_to\tX:a\ta1\t{"brain_region": ["nowhere"]}\n'},
                                     "error: edges.tsv:2: mechgraph_context refers to unknown node(s): "
                                     "brain_region 'nowhere'"),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
@pytest.mark.parametrize("command", [("stats",), ("search", "x"), ("validate",)])
def test_bad_input_is_one_error_line(case, command, tmp_path):
    files, message = BAD_INPUTS[case]
    graph = _graph(tmp_path, files)
    done = mechgraph("--graph", graph, *command, cache=tmp_path / "cache", memory=2 << 30, timeout=60)
    if command == ("validate",):
        stderr = done.stderr.decode()
        assert done.returncode == 1 and "Traceback" not in stderr
        assert message.removeprefix("error: ") in stderr
        return
    lines = errors(done)
    assert lines[0].startswith(message) and lines[-1].endswith("run 'mechgraph validate' for details")
    assert sorted(p.name for p in graph.iterdir()) == sorted(files)


@pytest.mark.parametrize("link", ["dangling", "self", "loop"])
def test_a_broken_yaml_link_under_graph_is_one_error_line(link, tmp_path):
    graph = _graph(tmp_path, {"toy.yaml": (EXAMPLE_GRAPH / "toy.yaml").read_text(encoding="utf-8")})
    bad = graph / "bad.yaml"
    if link == "dangling":
        bad.symlink_to(tmp_path / "nowhere.yaml")
    elif link == "self":
        bad.symlink_to(bad)
    else:
        bad.symlink_to(graph / "other.yaml")
        (graph / "other.yaml").symlink_to(bad)
    for command in (("stats",), ("show", "drug-x")):
        lines = errors(mechgraph("--graph", graph, *command, cache=tmp_path / "cache"))
        assert lines[0] == "error: bad.yaml: a symbolic link that leads to no file (dangling, or a loop)"


def test_a_lone_surrogate_from_the_command_line_is_harmless(tmp_path):
    """Bytes that are no UTF-8 reach Python as lone surrogates: search, show and path still answer."""
    cache = tmp_path / "cache"
    done = mechgraph("--graph", EXAMPLE_GRAPH, "search", b"drug\xed\xa0\x80", cache=cache)
    assert done.returncode == 0 and b"Traceback" not in done.stderr
    for command in (("show", b"\xff\xfe"), ("path", b"drug-x", b"\xed\xa0\x80"), ("search", b"\xff", "--json")):
        done = mechgraph("--graph", EXAMPLE_GRAPH, *command, cache=cache)
        assert done.returncode in (0, 1) and b"Traceback" not in done.stderr, done.stderr


def test_a_deeply_nested_query_parameter_is_one_error_line(tmp_path):
    value = "[" * 60_000 + "]" * 60_000  # as deep as one command-line argument allows
    lines = errors(mechgraph("--graph", EXAMPLE_GRAPH, "query", "RETURN $x AS x", "-p", f"x={value}",
                             cache=tmp_path / "cache"))
    assert lines == ["error: parameter 'x' is nested too deeply (at most 64 levels)"]


def test_a_query_parameter_deeper_than_the_bound_is_refused_and_one_within_it_answers(run):
    deep = "[" * 65 + "]" * 65
    result = run("--graph", EXAMPLE_GRAPH, "query", "RETURN size($x) AS n", "-p", f"x={deep}")
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == "error: parameter 'x' is nested too deeply (at most 64 levels)"
    within = "[" * 64 + "]" * 64
    result = run("--graph", EXAMPLE_GRAPH, "query", "RETURN size($x) AS n", "-p", f"x={within}", "--json")
    assert result.exit_code == 0 and json.loads(result.output)["rows"] == [{"n": 1}]


def test_an_alias_bomb_costs_neither_time_nor_memory(tmp_path):
    laughs = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for this, last in zip("bcdefghij", "abcdefghi", strict=True):
        laughs.append(f"{this}: &{this} [" + ", ".join([f"*{last}"] * 9) + "]")
    graph = _graph(tmp_path, {"g.yaml": "\n".join(laughs) + "\nentities: [*j]\n"})
    start = time.monotonic()
    for command in (("validate",), ("stats",)):
        done = mechgraph("--graph", graph, *command, cache=tmp_path / "cache", memory=1 << 30, timeout=60)
        assert done.returncode == 1 and b"aliases expand this file past" in done.stderr, done.stderr
    assert time.monotonic() - start < 20


def _bomb(line_members: int, member: bytes) -> bytes:
    """A gzip file of concatenated members: a few MB that expand to gigabytes."""
    one = gzip.compress(member, compresslevel=9)
    return gzip.compress(b"id\tname\n") + one * line_members


def test_a_gzip_bomb_of_one_huge_line_stops_at_the_line_limit(tmp_path):
    """3 MB of gzip holding a 3 GB line: one error, under a 1 GB memory limit, in seconds."""
    nodes = _bomb(100, b"a" * 30_000_000)
    graph = _graph(tmp_path, {"nodes.tsv.gz": nodes, "edges.tsv.gz": _gz(TSV_EDGES)})
    assert len(nodes) < 4_000_000
    start = time.monotonic()
    lines = errors(mechgraph("--graph", graph, "stats", cache=tmp_path / "cache", memory=1 << 30, timeout=120))
    assert lines[0] == "error: nodes.tsv.gz:2: a line longer than 8,388,608 bytes; stopped reading nodes.tsv.gz"
    assert time.monotonic() - start < 60


def test_a_gzip_bomb_of_short_lines_stops_at_the_ratio_limit(tmp_path):
    nodes = _bomb(100, b"\n" * 30_000_000)
    graph = _graph(tmp_path, {"nodes.tsv.gz": nodes, "edges.tsv.gz": _gz(TSV_EDGES)})
    start = time.monotonic()
    lines = errors(mechgraph("--graph", graph, "stats", cache=tmp_path / "cache", memory=1 << 30, timeout=120))
    assert lines[0].endswith("the file expands more than 200 times its compressed size (a decompression bomb?); "
                             "stopped reading nodes.tsv.gz")
    assert time.monotonic() - start < 60


# -- a full disk ---------------------------------------------------------------------------------

def _small_disk_script(out: Path, size: str, command: str) -> list[str]:
    """A shell command mounting a tmpfs of ``size`` at ``out`` (in a private mount namespace)
    and running ``command`` there."""
    script = f"mount -t tmpfs -o size={size} tmpfs {out} && {command}"
    if os.geteuid() == 0:
        return ["unshare", "--mount", "sh", "-c", script]
    return ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script]


def _can_mount(tmp_path: Path) -> bool:
    probe = tmp_path / "probe"
    probe.mkdir()
    try:
        return subprocess.run(_small_disk_script(probe, "16k", "true"), capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.mark.parametrize("fmt, name", [("json", "g.json"), ("kgx", "kgx")])
def test_an_export_onto_a_full_disk_is_one_error_line_and_keeps_the_old_file(fmt, name, tmp_path):
    if not shutil.which("unshare") or not _can_mount(tmp_path):
        pytest.skip("no way to mount a small file system here (needs unshare and mount rights)")
    out = tmp_path / "out"
    out.mkdir()
    run = (f"mkdir -p {out}/kgx && printf old > {out}/g.json && printf old > {out}/kgx/nodes.tsv && "
           f"head -c 40000 /dev/zero > {out}/filler; "
           f"MECHGRAPH_CACHE_DIR={tmp_path / 'cache'} {sys.executable} -m mechgraph --graph {HOSTILE_GRAPH} "
           f"export --format {fmt} -o {out}/{name}; echo \"exit=$?\"; "
           f"cat {out}/g.json {out}/kgx/nodes.tsv; echo; ls -A {out} {out}/kgx")
    done = subprocess.run(_small_disk_script(out, "48k", run), capture_output=True, text=True, timeout=120)
    assert "Traceback" not in done.stderr
    assert done.stderr.strip() == f"error: cannot write {out}/{name}: No space left on device"
    listing = done.stdout.splitlines()
    assert listing[0] == "exit=1" and listing[1] == "oldold"  # the previous outputs, untouched
    assert not [line for line in listing[2:] if line.startswith(".")]  # no temporary file left


def test_a_write_the_kernel_refuses_half_way_is_one_error_line(tmp_path):
    """A file-size limit makes the kernel refuse the write part-way (EFBIG), as a full disk would."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "map.html").write_text("old map")
    program = ("import resource, sys; resource.setrlimit(resource.RLIMIT_FSIZE, (20000, 20000)); "
               "from mechgraph.cli import main; sys.argv = ['mechgraph'] + sys.argv[1:]; main()")
    done = subprocess.run([sys.executable, "-c", program, "--graph", str(EXAMPLE_GRAPH), "render", "-o",
                           str(out / "map.html")], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "MECHGRAPH_CACHE_DIR": str(tmp_path / "cache")})
    assert done.returncode == 1 and done.stderr == f"error: cannot write {out / 'map.html'}: File too large\n"
    assert (out / "map.html").read_text() == "old map" and sorted(os.listdir(out)) == ["map.html"]


# -- signals during writes ---------------------------------------------------------------------------

DRIVER = """
import importlib, os, signal, sys
signum, where, when, count = getattr(signal, sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
module_name, attr = where.rsplit(".", 1)
module = importlib.import_module(module_name)
real, calls = getattr(module, attr), []

def hooked(*args, **kwargs):
    calls.append(1)
    if when == "before" and len(calls) == count:
        os.kill(os.getpid(), signum)
    out = real(*args, **kwargs)
    if when == "after" and len(calls) == count:
        os.kill(os.getpid(), signum)
    return out

setattr(module, attr, hooked)
from mechgraph.cli import main
sys.argv = ["mechgraph"] + sys.argv[5:]
main()
"""


def interrupted(signame: str, where: str, when: str, count: int, *args, cache: Path) -> subprocess.CompletedProcess:
    """Run mechgraph with the signal sent to itself ``when`` ("before" or "after") the
    ``count``-th call of the function ``where``: at a chosen moment of a write."""
    return subprocess.run([sys.executable, "-c", DRIVER, signame, where, when, str(count), *map(str, args)],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "MECHGRAPH_CACHE_DIR": str(cache)})


def ended_by(done: subprocess.CompletedProcess, signame: str) -> None:
    """The process ended as the signal asks: killed by SIGTERM, or 'Aborted!' after SIGINT."""
    assert "Traceback" not in done.stderr, done.stderr
    if signame == "SIGTERM":
        assert done.returncode == -signal.SIGTERM, (done.returncode, done.stderr)
    else:
        assert done.returncode == 1 and done.stderr.endswith("Aborted!\n"), (done.returncode, done.stderr)


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """exports/ of the example graph, written once: what an interrupted export must leave as it was."""
    folder = tmp_path_factory.mktemp("exports") / "exports"
    done = mechgraph("--graph", EXAMPLE_GRAPH, "export", "--all", "--dir", folder, cache=folder.parent / "cache")
    assert done.returncode == 0, done.stderr
    return folder, snapshot(folder)


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGINT"])
@pytest.mark.parametrize("where, when, count", [
    ("mechgraph.io.exports.writer", "after", 3),   # two formats written into the staging directory
    ("mechgraph.atomic.sync", "after", 2),        # a file written in full, not yet renamed
    ("mechgraph.io.exports.replace_path", "before", 1),  # about to move the first format into place
])
def test_a_signal_during_export_all_leaves_exports_as_they_were(signame, where, when, count, exported, tmp_path):
    folder, before = exported
    done = interrupted(signame, where, when, count, "--graph", HOSTILE_GRAPH, "export", "--all", "--dir", folder,
                       cache=tmp_path / "cache")
    ended_by(done, signame)
    assert snapshot(folder) == before
    assert leftovers(folder, tmp_path / "cache") == []


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGINT"])
def test_a_signal_once_export_all_moves_its_formats_waits_for_the_last(signame, exported, tmp_path):
    """Once the first format is in place the rest follow: exports/ is wholly new, then the process ends."""
    folder, _ = exported
    fresh = tmp_path / "fresh"
    assert mechgraph("--graph", HOSTILE_GRAPH, "export", "--all", "--dir", fresh,
                     cache=tmp_path / "cache").returncode == 0
    target = tmp_path / "exports"
    shutil.copytree(folder, target)
    done = interrupted(signame, "mechgraph.io.exports.replace_path", "after", 1, "--graph", HOSTILE_GRAPH, "export",
                       "--all", "--dir", target, cache=tmp_path / "cache")
    ended_by(done, signame)
    assert snapshot(target) == snapshot(fresh) != snapshot(folder)
    assert leftovers(target, tmp_path / "cache") == []


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGINT"])
@pytest.mark.parametrize("where, when", [("mechgraph.atomic.sync", "after"),
                                         ("mechgraph.atomic._replace", "before")])
def test_a_signal_during_render_leaves_the_old_page(signame, where, when, tmp_path):
    page = tmp_path / "map.html"
    page.write_text("the old map")
    done = interrupted(signame, where, when, 1, "--graph", EXAMPLE_GRAPH, "render", "-o", page,
                       cache=tmp_path / "cache")
    ended_by(done, signame)
    assert page.read_text() == "the old map" and sorted(os.listdir(tmp_path)) == ["cache", "map.html"]
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGINT"])
@pytest.mark.parametrize("where, count", [("mechgraph.store.recordfile.write_records", 2),  # in the records file
                                          ("mechgraph.store.recordfile.pack", 1)])          # in the index
def test_a_signal_during_the_cache_write_leaves_no_file_and_a_working_cache(signame, where, count, tmp_path):
    cache = tmp_path / "cache"
    done = interrupted(signame, where, "after", count, "--graph", EXAMPLE_GRAPH, "stats", cache=cache)
    ended_by(done, signame)
    assert leftovers(cache) == []
    again = mechgraph("--graph", EXAMPLE_GRAPH, "stats", "--json", cache=cache)
    assert again.returncode == 0 and again.stderr == b""
    third = mechgraph("--graph", EXAMPLE_GRAPH, "stats", "--json", cache=cache)
    assert (third.returncode, third.stdout, third.stderr) == (0, again.stdout, b"")
    assert len(list((cache / "mechgraph").glob("*.index"))) == 1


@pytest.fixture(scope="module")
def larger_graph(tmp_path_factory) -> Path:
    """A YAML graph big enough that exporting it takes a while."""
    entities = [entity(f"g{i}") for i in range(400)]
    findings = [finding(f"f{i}", species=["mouse"]) for i in range(1500)]
    assertions = [assertion(f"a{i}", f"g{i % 400}", "increases", f"g{(i * 13 + 7) % 400}", supporting=[f"f{i}"])
                  for i in range(1500)]
    return write_graph(tmp_path_factory.mktemp("larger"), entities, findings, assertions)


def test_sigterm_at_any_moment_of_export_all_leaves_the_old_or_the_new_exports(larger_graph, exported, tmp_path):
    """SIGTERM from outside, at moments spread over a whole export: exports/ is all old or
    all new, never a mix or a part, and no temporary file stays."""
    folder, before = exported
    target = tmp_path / "exports"
    shutil.copytree(folder, target)
    cache = tmp_path / "cache"
    mechgraph("--graph", larger_graph, "stats", cache=cache)  # the cache is warm: the export starts at once
    fresh = tmp_path / "fresh"
    start = time.monotonic()
    assert mechgraph("--graph", larger_graph, "export", "--all", "--dir", fresh, cache=cache).returncode == 0
    took = time.monotonic() - start
    after = snapshot(fresh)
    for fraction in (0.15, 0.3, 0.45, 0.6, 0.75, 0.9):
        process = subprocess.Popen([sys.executable, "-m", "mechgraph", "--graph", str(larger_graph), "export",
                                    "--all", "--dir", str(target)], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, env={**os.environ, "MECHGRAPH_CACHE_DIR": str(cache)})
        time.sleep(took * fraction)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=120)
        assert b"Traceback" not in stderr
        assert snapshot(target) in (before, after)
        assert leftovers(target, cache) == []
        shutil.rmtree(target)
        shutil.copytree(folder, target)


# -- atomic writes ------------------------------------------------------------------------------------

def test_a_file_is_synced_before_it_is_renamed(tmp_path, monkeypatch):
    events = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
                        or real_fsync(fd))
    monkeypatch.setattr(os, "replace", lambda a, b: events.append(("replace", str(a))) or real_replace(a, b))
    atomic.write_text(tmp_path / "out.txt", "text")
    (name, first), (second, renamed), (third, directory) = events
    assert (name, second, third) == ("fsync", "replace", "fsync")
    assert first == renamed and Path(renamed).name.startswith(".out.txt.")
    assert directory == str(tmp_path)


def test_a_directory_is_swapped_in_whole(tmp_path):
    """While a directory output is replaced again and again, a reader always finds it whole."""
    target = tmp_path / "out"
    target.mkdir()
    (target / "a.txt").write_text("0")
    stop, missing = threading.Event(), []

    def read():
        while not stop.is_set():
            try:
                (target / "a.txt").read_text()
            except OSError:
                missing.append(1)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for i in range(200):
            with atomic.atomic_path(target, directory=True) as tmp:
                (tmp / "a.txt").write_text(str(i))
    finally:
        stop.set()
        reader.join()
    if atomic._renameat2() is None:
        pytest.skip("this system cannot exchange two paths in one step")
    assert missing == [] and (target / "a.txt").read_text() == "199"
    assert sorted(os.listdir(tmp_path)) == ["out"]


def test_temporary_files_of_dead_processes_are_swept(tmp_path):
    host = atomic._host()
    dead = tmp_path / f".out.txt.{host}-{2**22 + 12345}.abcd.tmp"
    live = tmp_path / f".out.txt.{host}-{os.getpid()}.efgh.tmp"
    young = tmp_path / f".out.txt.{host}-{2**22 + 12346}.ijkl.tmp"
    other = tmp_path / ".other.txt.x-1.tmp"
    for path in (dead, live, young, other):
        path.write_text("left by a killed process")
    old = time.time() - 3600
    for path in (dead, live, other):
        os.utime(path, (old, old))
    atomic.write_text(tmp_path / "out.txt", "new")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, young.name, other.name, "out.txt"])


# -- concurrent runs ------------------------------------------------------------------------------------

def test_processes_on_a_cold_cache_agree_and_leave_one_whole_cache(larger_graph, tmp_path):
    cache = tmp_path / "cache"
    env = {**os.environ, "MECHGRAPH_CACHE_DIR": str(cache)}
    processes = [subprocess.Popen([sys.executable, "-m", "mechgraph", "--graph", str(larger_graph), "show", "g7",
                                   "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
                 for _ in range(4)]
    outputs = [p.communicate(timeout=300) for p in processes]
    assert all(p.returncode == 0 for p in processes)
    assert len({out for out, _ in outputs}) == 1 and all(err == b"" for _, err in outputs)
    assert leftovers(cache) == []
    later = mechgraph("--graph", larger_graph, "show", "g7", "--json", cache=cache)
    assert (later.stdout, later.stderr) == (outputs[0][0], b"")


def test_a_cache_directory_that_is_a_link_is_not_used(example_dir, tmp_path):
    private = tmp_path / "elsewhere"
    private.mkdir(mode=0o700)
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "mechgraph").symlink_to(private)
    done = mechgraph("--graph", example_dir, "stats", cache=tmp_path / "cache")
    fallback = tmp_path / "cache" / f"mechgraph-{os.geteuid()}"
    assert done.returncode == 0
    assert done.stderr.decode() == (f"warning: cache directory {tmp_path / 'cache' / 'mechgraph'} is not a directory; "
                                    f"caching in {fallback} instead\n")
    assert list(private.iterdir()) == [] and list(fallback.glob("*.index"))


def test_a_graph_path_that_loops_is_one_error_line(tmp_path):
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    assert errors(mechgraph("--graph", loop, "stats", cache=tmp_path / "cache"))[0] == \
        f"error: {loop}: not a graph directory"


def test_node_link_references_that_lead_nowhere_are_refused(tmp_path):
    """The issue's case: an edge citing a finding that does not exist (show then died with KeyError)."""
    import json
    from mechgraph import InvalidGraph
    from mechgraph.curation.yaml_reader import load_model
    from mechgraph.graph import MechGraph
    from mechgraph.io.nodelink import read_nodelink, to_nodelink
    data = to_nodelink(MechGraph(load_model(EXAMPLE_GRAPH)))
    data["edges"][0]["supporting"] = ["f-nowhere"]
    data["graph"]["findings"][0]["cites"] = ["s-nowhere"]
    data["graph"]["findings"][1]["interventions"] = [{"drug": "nobody"}]
    data["edges"][1]["context"] = {"brain_region": ["nowhere"]}
    island = next(i for i, node in enumerate(data["nodes"]) if node["id"] == "island")
    data["nodes"][island]["aliases"] = "not a list"
    path = tmp_path / "g.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InvalidGraph) as caught:
        read_nodelink(path)
    edge0, edge1 = data["edges"][0]["key"], data["edges"][1]["key"]
    f0, f1 = data["graph"]["findings"][0]["id"], data["graph"]["findings"][1]["id"]
    assert sorted(e.message for e in caught.value.errors) == sorted([
        "field 'aliases' must be a list, not text",
        f"finding '{f0}' cites unknown source 's-nowhere'",
        f"finding '{f1}' intervention refers to unknown entity 'nobody'",
        f"assertion '{edge0}' lists unknown finding 'f-nowhere'",
        f"assertion '{edge1}' context brain_region refers to unknown entity 'nowhere'",
        # the one finding edge 0 cited is now orphaned, which the YAML reader refuses too
        f"finding '{f0}' is not evidence for any assertion and is 'about' no entity"])
    # with no lines in the format, the record's position says where
    assert f"g.json: nodes[{island}]: field 'aliases' must be a list, not text" in str(caught.value)
    assert f"g.json: edges[0]: assertion '{edge0}' lists unknown finding 'f-nowhere'" in str(caught.value)
