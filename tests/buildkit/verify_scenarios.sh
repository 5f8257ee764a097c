#!/bin/bash
# verify.sh - run the planner scenarios of tests/planner/scenarios_test.cpp against a real
# BuildKit (the one built into Docker Engine 20.10, Debian's docker.io) and compare which layer
# steps BuildKit reports as CACHED on the second build with the planner's HIT/MISS expectation.
#
# Needs: dockerd running (bash ../shared/tools/reference-builders.sh, as root) with the local
# images python:3.11-slim, debian:bookworm, busybox:latest.
#
# Substitutions (no registry, no internet):
#   python:3.12-slim              -> python:3.11-slim   (local imitation image)
#   python:3.13-slim (base change)-> debian:bookworm
#   alpine:3.20 (docs stage)      -> busybox:latest
#   RUN pip install -r requirements.txt -> RUN cat requirements.txt > /installed.txt
# The Dockerfile is kept OUTSIDE the context (docker build -f), as in the test, where the
# context holds only requirements.txt, src/app.py, src/util.py, notes.md, .dockerignore.
#
# Per scenario: docker builder prune -af; build 1; apply the change; build 2 (--progress=plain).
# Raw logs: $ROOT/logs/<id>.build{1,2}.log (+ <id>.change.log).
#
# Reading the plain output: a step's vertex is "#N [<stage> i/n] INSTR"; it is CACHED if the
# log has "#N CACHED", ran if "#N DONE". FROM of a local image never prints CACHED in this
# BuildKit (always "DONE 0.0s"), so a FROM row is judged by its vertex digest: the same
# digest as in build 1 = same base (counted as HIT), another digest = new base (MISS).
set -u
ROOT=${ROOT:-/tmp/bkverify}
LOGS=$ROOT/logs
D=/usr/bin/docker
export DOCKER_BUILDKIT=1
mkdir -p "$LOGS" "$ROOT/ctx" "$ROOT/df"
RESULTS=$ROOT/results.tsv
: >"$RESULTS"

$D info >/dev/null 2>&1 || { echo "dockerd not running: run bash ../shared/tools/reference-builders.sh" >&2; exit 2; }
for i in python:3.11-slim debian:bookworm busybox:latest; do
  $D image inspect "$i" >/dev/null 2>&1 || { echo "missing local image $i" >&2; exit 2; }
done
NETFLAG=()
ip link show docker0 >/dev/null 2>&1 || NETFLAG=(--network=none)   # REFB_BRIDGE=none
{
  echo "date: $(date -u +%FT%TZ)"
  $D version
  echo "network flag: ${NETFLAG[*]:-(default bridge)}"
} >"$LOGS/versions.log" 2>&1

PY=python:3.11-slim
PY2=debian:bookworm
ALP=busybox:latest
RUNPIP='RUN cat requirements.txt > /installed.txt'

COPY_ALL_FIRST="FROM $PY
WORKDIR /app
COPY . .
$RUNPIP
CMD [\"python\", \"src/app.py\"]"
MANIFEST_FIRST_BODY="WORKDIR /app
COPY requirements.txt .
$RUNPIP
COPY src/ src/
CMD [\"python\", \"src/app.py\"]"
MANIFEST_FIRST="FROM $PY
$MANIFEST_FIRST_BODY"

make_app() {  # the App() of scenarios_test.cpp
  local c=$1
  rm -rf "$c"; mkdir -p "$c/src"
  printf 'flask==3.0.0\n' >"$c/requirements.txt"
  printf "print('hello')\n" >"$c/src/app.py"
  printf 'X = 1\n' >"$c/src/util.py"
  printf 'not part of the image\n' >"$c/notes.md"
  printf '*.md\n' >"$c/.dockerignore"
}

# vertex table of a plain log: "id<TAB>key<TAB>label<TAB>digest<TAB>status"
vertices() {
  awk '
    match($0, /^#[0-9]+ \[[^]]+\] /) {
      id = substr($1, 2); lab = substr($0, length($1) + 2)
      if (lab ~ /^\[internal\]/) next
      if (!(id in label)) { label[id] = lab; order[++n] = id }
      next
    }
    /^#[0-9]+ sha256:/ { id = substr($1, 2); if (!(id in dig)) dig[id] = $2; next }
    /^#[0-9]+ CACHED/ { st[substr($1, 2)] = "CACHED"; next }
    /^#[0-9]+ DONE/   { id = substr($1, 2); if (st[id] == "") st[id] = "ran"; next }
    /^#[0-9]+ ERROR/  { st[substr($1, 2)] = "ERROR"; next }
    END {
      for (k = 1; k <= n; k++) {
        id = order[k]; lab = label[id]
        key = lab; sub(/^\[/, "", key); sub(/\/[0-9]+\].*$/, "", key)
        print id "\t" key "\t" lab "\t" dig[id] "\t" (st[id] == "" ? "?" : st[id])
      }
    }' "$1"
}

# scenario ID "NAME" ; uses globals DF1 DF2 FLAGS1 FLAGS2 CHANGE EXPECT(array "key|HIT|MISS")
scenario() {
  local id=$1 name=$2
  local ctx=$ROOT/ctx/$id df1=$ROOT/df/$id.Dockerfile.1 df2=$ROOT/df/$id.Dockerfile.2
  echo "== $id: $name" >&2
  make_app "$ctx"
  printf '%s\n' "$DF1" >"$df1"
  printf '%s\n' "${DF2:-$DF1}" >"$df2"
  $D builder prune -af >/dev/null 2>&1
  (cd "$ctx" && $D build --progress=plain "${NETFLAG[@]}" "${FLAGS1[@]}" -f "$df1" -t "bkv-$id" .) \
    >"$LOGS/$id.build1.log" 2>&1 || echo "   build 1 FAILED (see $LOGS/$id.build1.log)" >&2
  {
    echo "change: ${CHANGE:-(none)}"
    (cd "$ctx" && ls -l --time-style=full-iso -R . && eval "${CHANGE:-true}" && echo "--- after" \
      && ls -l --time-style=full-iso -R .)
    echo "build 2 flags: ${FLAGS2[*]:-}"
    echo "--- Dockerfile 1"; cat "$df1"; echo "--- Dockerfile 2"; cat "$df2"
  } >"$LOGS/$id.change.log" 2>&1
  (cd "$ctx" && $D build --progress=plain "${NETFLAG[@]}" "${FLAGS2[@]}" -f "$df2" -t "bkv-$id" .) \
    >"$LOGS/$id.build2.log" 2>&1 || echo "   build 2 FAILED (see $LOGS/$id.build2.log)" >&2
  vertices "$LOGS/$id.build1.log" >"$LOGS/$id.build1.vertices"
  vertices "$LOGS/$id.build2.log" >"$LOGS/$id.build2.vertices"

  local seen=" " e key exp row lab dig st bk agree d1
  for e in "${EXPECT[@]}"; do
    key=${e%%|*}; exp=${e#*|}
    seen="$seen[$key] "
    row=$(awk -F'\t' -v k="$key" '$2 == k' "$LOGS/$id.build2.vertices" | head -1)
    if [ -z "$row" ]; then
      lab="[$key/?] (no vertex in build 2)"; bk="not built"
    else
      lab=$(cut -f3 <<<"$row"); dig=$(cut -f4 <<<"$row"); st=$(cut -f5 <<<"$row")
      bk=$st
      if [[ "$lab" =~ \]\ FROM\  ]] && [ "$st" != CACHED ]; then
        d1=$(awk -F'\t' -v k="$key" '$2 == k {print $4; exit}' "$LOGS/$id.build1.vertices")
        if [ "$dig" = "$d1" ]; then bk="$st (FROM, vertex same as build 1)"; else bk="$st (FROM, new vertex)"; fi
      fi
    fi
    agree=no
    case "$exp" in
      HIT*) { [ "$bk" = CACHED ] || [[ "$bk" == *"vertex same"* ]]; } && agree=yes ;;
      MISS*) { [ "$bk" = ran ] || [[ "$bk" == *"new vertex"* ]]; } && agree=yes ;;
    esac
    printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$lab" "$bk" "$exp" "$agree" >>"$RESULTS"
  done
  # vertices BuildKit built that the planner does not plan
  while IFS=$'\t' read -r _ key lab _ st; do
    [[ "$seen" == *" [$key] "* ]] && continue
    printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$lab" "$st" "(not planned)" no >>"$RESULTS"
  done <"$LOGS/$id.build2.vertices"
  DF2=; FLAGS1=(); FLAGS2=(); CHANGE=
}
DF2=; FLAGS1=(); FLAGS2=(); CHANGE=

# ---------------------------------------------------------------- scenarios (as in the test)
DF1=$MANIFEST_FIRST
EXPECT=("1|HIT" "2|HIT" "3|HIT" "4|HIT" "5|HIT")
scenario nochange "no change hits everywhere"

DF1=$COPY_ALL_FIRST
CHANGE="printf \"print('hello, world')\\n\" > src/app.py"
EXPECT=("1|HIT" "2|HIT" "3|MISS: src/app.py changed (content)" "4|MISS: parent step 3 missed")
scenario srcedit-copyall "a source file edited, COPY-all before the install"

DF1=$MANIFEST_FIRST
CHANGE="printf \"print('hello, world')\\n\" > src/app.py"
EXPECT=("1|HIT" "2|HIT" "3|HIT" "4|HIT" "5|MISS: src/app.py changed (content)")
scenario srcedit-manifest "a source file edited, manifest copied first"

DF1=$MANIFEST_FIRST
CHANGE="printf 'flask==3.0.1\\n' > requirements.txt"
EXPECT=("1|HIT" "2|HIT" "3|MISS: requirements.txt changed (content)" "4|MISS: parent step 3 missed"
        "5|MISS: parent step 4 missed")
scenario requirements "requirements edited"

DF1=$COPY_ALL_FIRST
CHANGE="printf 'edited\\n' > notes.md"
EXPECT=("1|HIT" "2|HIT" "3|HIT" "4|HIT")
scenario dockerignored ".dockerignore'd file edited"

DF1=$MANIFEST_FIRST
CHANGE="chmod u+x src/util.py"   # fs::perms::owner_exec, perm_options::add
EXPECT=("1|HIT" "2|HIT" "3|HIT" "4|HIT" "5|MISS: src/util.py changed (mode)")
scenario mode "only a file mode changed"

DF1=$MANIFEST_FIRST
CHANGE='touch -m -d "@$(( $(stat -c %Y src/app.py) + 3600 ))" src/app.py'   # +1 hour
EXPECT=("1|HIT" "2|HIT" "3|HIT" "4|HIT" "5|HIT")
scenario mtime "only an mtime changed"

DF1="FROM $PY
ARG UNUSED=1
COPY requirements.txt .
$RUNPIP"
FLAGS2=(--build-arg UNUSED=2)
EXPECT=("1|HIT" "2|HIT" "3|MISS: build-arg UNUSED changed from 1 to 2")
scenario arg-stage "ARG used by no step changed (declared in the stage)"

DF1="ARG UNUSED=1
FROM $PY
RUN true"
FLAGS2=(--build-arg UNUSED=2)
EXPECT=("1|HIT" "2|HIT")
scenario arg-global "ARG used by no step changed (global ARG, not redeclared)"

DF1="FROM $PY
ENV MODE=dev
COPY requirements.txt .
$RUNPIP"
DF2="FROM $PY
ENV MODE=prod
COPY requirements.txt .
$RUNPIP"
EXPECT=("1|HIT" "2|HIT" "3|MISS: ENV MODE changed from dev to prod")
scenario env "an ENV changed"

DF1=$MANIFEST_FIRST
DF2="FROM $PY2
$MANIFEST_FIRST_BODY"
EXPECT=("1|MISS: base image changed" "2|MISS: parent step 1 missed" "3|MISS: parent step 2 missed"
        "4|MISS: parent step 3 missed" "5|MISS: parent step 4 missed")
scenario baseimage "the base image changed ($PY -> $PY2)"

DF1=$MANIFEST_FIRST
FLAGS2=(--no-cache)
EXPECT=("1|MISS: --no-cache" "2|MISS: --no-cache" "3|MISS: --no-cache" "4|MISS: --no-cache"
        "5|MISS: --no-cache")
scenario nocache "--no-cache"

DF1="FROM $ALP AS docs
RUN echo v1 > /docs
FROM $PY AS app
COPY src/ /app/
FROM app
CMD [\"python\", \"/app/app.py\"]"
DF2="FROM $ALP AS docs
RUN echo v2 > /docs
FROM $PY AS app
COPY src/ /app/
FROM app
CMD [\"python\", \"/app/app.py\"]"
FLAGS1=(--target app)
FLAGS2=(--target app)
EXPECT=("app 1|HIT" "app 2|HIT")
scenario target "only a stage the target does not need changed (--target app)"

# ---------------------------------------------------------------- side evidence (not in the count)
{
  R=(run --rm "${NETFLAG[@]}")
  echo "## .dockerignore'd: contents of /app in the image of build 2 (notes.md must be absent)"
  $D "${R[@]}" bkv-dockerignored ls -la /app
  echo "## mode: /app/src in the image of build 2 (util.py must be u+x)"
  $D "${R[@]}" bkv-mode ls -l /app/src
  echo "## arg-stage: image history of build 2 (the RUN carries the ARG value)"
  $D history --no-trunc --format '{{.CreatedBy}}' bkv-arg-stage | head -3
  echo "## arg-global: image history of build 2"
  $D history --no-trunc --format '{{.CreatedBy}}' bkv-arg-global | head -2
  echo "## target: vertices of build 2 (the docs stage must be absent)"
  cat "$LOGS/target.build2.vertices"
} >"$LOGS/evidence.log" 2>&1

# ---------------------------------------------------------------- table
{
  printf 'scenario\tstep (BuildKit vertex)\tBuildKit (build 2)\tplanner expects\tagree\n'
  cat "$RESULTS"
} | column -t -s $'\t'
echo
m=$(wc -l <"$RESULTS")
n=$(awk -F'\t' '$5 == "yes"' "$RESULTS" | wc -l)
echo "BuildKit: Docker Engine $($D version -f '{{.Server.Version}}') (builder-next), logs in $LOGS"
m2=$(awk -F'\t' '$2 !~ /\] FROM /' "$RESULTS" | wc -l)
n2=$(awk -F'\t' '$2 !~ /\] FROM / && $5 == "yes"' "$RESULTS" | wc -l)
echo "note: FROM of a local image prints DONE, never CACHED, here; FROM rows are judged by vertex digest"
echo "      (same as build 1 = HIT). Rows other than FROM: $n2 of $m2 agree."
echo "$n of $m agree"
