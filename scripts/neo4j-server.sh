#!/usr/bin/env bash
# A Neo4j 5.26 LTS Community server for trying `mechgraph load` and for the test suite, assembled
# from Maven Central (Java 17 and Maven needed), cached, and run on a free loopback port with
# authentication on. mechgraph itself never downloads anything; only this script fetches the server.
#
#   scripts/neo4j-server.sh start [--dir DIR] [--port N]   start (or find running) and print
#                                                          NEO4J_URI=... NEO4J_USER=neo4j NEO4J_PASSWORD=...
#   scripts/neo4j-server.sh stop [--dir DIR]               stop it cleanly
#   scripts/neo4j-server.sh status [--dir DIR]             print the variables if running, else exit 1
#   scripts/neo4j-server.sh assemble                       only fetch the server into the cache
#   scripts/neo4j-server.sh admin [--dir DIR] ARGS...      run neo4j-admin on the instance (server stopped
#                                                          for `database import`)
#
# Try it:   eval "$(scripts/neo4j-server.sh start)"; export NEO4J_URI NEO4J_USER NEO4J_PASSWORD
#           mechgraph load && mechgraph query "MATCH (d:Drug) RETURN d.name"
#           scripts/neo4j-server.sh stop
#
# DIR (default: $TMPDIR/mechgraph-neo4j-$USER) holds one instance: conf, data, logs, the password
# (mode 600) and the pid. The server is cached in ${XDG_CACHE_HOME:-~/.cache}/mechgraph/neo4j-VERSION.
set -euo pipefail

VERSION=5.26.30
HERE="$(cd "$(dirname "$0")" && pwd)"
CACHE="${MECHGRAPH_NEO4J_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mechgraph/neo4j-$VERSION}"
LIB="$CACHE/lib"
START_TIMEOUT="${MECHGRAPH_NEO4J_START_TIMEOUT:-180}"
# MECHGRAPH_NEO4J_HEAP (default 1g) sizes the heap, MECHGRAPH_NEO4J_PAGECACHE (default 64m) the page cache;
# MECHGRAPH_NEO4J_SETTINGS adds lines to neo4j.conf (a setting already written above may not appear twice)

say() { echo "neo4j-server: $*" >&2; }
die() { echo "error: $*" >&2; exit 1; }

assemble() {
  [ -f "$LIB/.complete" ] && return 0
  command -v java >/dev/null || die "java is not installed (Neo4j $VERSION needs Java 17)"
  command -v mvn >/dev/null || die "mvn is not installed (the server is assembled from Maven Central)"
  say "assembling Neo4j Community $VERSION from Maven Central into $LIB"
  mkdir -p "$CACHE"
  local partial="$CACHE/lib.partial.$$"
  rm -rf "$partial"
  if ! mvn -q -B -f "$HERE/neo4j/pom.xml" -Dneo4j.version="$VERSION" \
      dependency:copy-dependencies -DoutputDirectory="$partial" >"$CACHE/assemble.log" 2>&1; then
    rm -rf "$partial"
    die "could not assemble Neo4j $VERSION from Maven Central (see $CACHE/assemble.log)"
  fi
  touch "$partial/.complete"
  rm -rf "$LIB"
  mv "$partial" "$LIB"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

java_cmd() {  # the instance's environment and class path for one of Neo4j's main classes
  NEO4J_HOME="$DIR" NEO4J_CONF="$DIR/conf" java -cp "$LIB/*" "$@"
}

alive() { [ -f "$DIR/run/neo4j.pid" ] && kill -0 "$(cat "$DIR/run/neo4j.pid")" 2>/dev/null; }

variables() {
  echo "NEO4J_URI=bolt://127.0.0.1:$(cat "$DIR/port") NEO4J_USER=neo4j NEO4J_PASSWORD=$(cat "$DIR/password")"
}

write_conf() {
  local port=$1
  mkdir -p "$DIR"/{conf,data,logs,plugins,run,import}
  cat >"$DIR/conf/neo4j.conf" <<EOF
server.default_listen_address=127.0.0.1
server.bolt.listen_address=127.0.0.1:$port
server.bolt.advertised_address=127.0.0.1:$port
server.http.enabled=false
server.https.enabled=false
dbms.security.auth_enabled=true
dbms.usage_report.enabled=false
server.memory.pagecache.size=${MECHGRAPH_NEO4J_PAGECACHE:-64m}
server.directories.import=import
EOF
  # extra settings, one key=value per line (e.g. a smaller transaction memory limit in a test)
  [ -z "${MECHGRAPH_NEO4J_SETTINGS:-}" ] || printf '%s\n' "$MECHGRAPH_NEO4J_SETTINGS" >>"$DIR/conf/neo4j.conf"
  echo "$port" >"$DIR/port"
}

start() {
  assemble
  if alive; then variables; return 0; fi
  local port=${PORT:-}
  [ -n "$port" ] || { [ -f "$DIR/port" ] && port=$(cat "$DIR/port"); } || true
  [ -n "$port" ] || port=$(free_port)
  write_conf "$port"
  if [ ! -f "$DIR/password" ]; then  # first start of this instance: the initial password
    # a letter first: a password starting with "-" would be taken for an option by neo4j-admin
    (umask 077; python3 -c 'import secrets; print("p" + secrets.token_urlsafe(18))' >"$DIR/password")
    java_cmd org.neo4j.cli.AdminTool dbms set-initial-password "$(cat "$DIR/password")" >"$DIR/logs/admin.log" 2>&1 \
      || die "could not set the initial password (see $DIR/logs/admin.log)"
  fi
  : >"$DIR/logs/neo4j.log"
  say "starting Neo4j $VERSION on 127.0.0.1:$port (instance $DIR)"
  NEO4J_HOME="$DIR" NEO4J_CONF="$DIR/conf" setsid java -Xms256m -Xmx${MECHGRAPH_NEO4J_HEAP:-1g} \
    -XX:+UseG1GC -Dfile.encoding=UTF-8 -cp "$LIB/*" org.neo4j.server.CommunityEntryPoint \
    --home-dir="$DIR" --config-dir="$DIR/conf" >"$DIR/logs/console.log" 2>&1 </dev/null &
  echo $! >"$DIR/run/neo4j.pid"
  local waited=0
  until grep -q "INFO  Started." "$DIR/logs/neo4j.log" 2>/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    if ! alive; then
      tail -n 20 "$DIR/logs/console.log" >&2 || true
      die "Neo4j exited while starting (see $DIR/logs/console.log)"
    fi
    if [ "$waited" -ge $((START_TIMEOUT * 5)) ]; then
      stop >/dev/null 2>&1 || true
      die "Neo4j did not answer on 127.0.0.1:$port within $START_TIMEOUT s (see $DIR/logs/neo4j.log)"
    fi
    sleep 0.2
    waited=$((waited + 1))
  done
  variables
}

stop() {
  if ! alive; then rm -f "$DIR/run/neo4j.pid"; say "not running ($DIR)"; return 0; fi
  local pid
  pid=$(cat "$DIR/run/neo4j.pid")
  kill -TERM "$pid"
  for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then say "did not stop within 30 s; killing it"; kill -KILL "$pid"; fi
  rm -f "$DIR/run/neo4j.pid"
  say "stopped ($DIR)"
}

command=${1:-}
[ $# -gt 0 ] && shift
DIR="${TMPDIR:-/tmp}/mechgraph-neo4j-${USER:-$(id -u)}"
PORT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) DIR=$2; shift 2 ;;
    --port) PORT=$2; shift 2 ;;
    *) break ;;
  esac
done
DIR="$(mkdir -p "$DIR" && cd "$DIR" && pwd)"

case "$command" in
  start) start ;;
  stop) stop ;;
  status) alive && variables ;;
  assemble) assemble; echo "$LIB" ;;
  admin) assemble; java_cmd org.neo4j.cli.AdminTool "$@" ;;
  *) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
