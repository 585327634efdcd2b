#!/usr/bin/env bash
# Serve Kefu for benchmarks on an instance seeded with N tickets:
#
#   bench/run_server.sh N [PORT]
#
# The instance is $KEFU_INSTANCE_PATH, by default ${TMPDIR:-/tmp}/kefu-bench-<N as 100k, 1m, …>. The first
# time, it is created with `kefu init`, `kefu demo` and `kefu seed --tickets N` (timed, with the database's
# size); later runs reuse it. Then `kefu run --workers $WORKERS` (default 2) serves it in the foreground.
# $KEFU is the kefu command (default: the project's .venv, else kefu on PATH).
set -euo pipefail

tickets=${1:?usage: bench/run_server.sh N [PORT]}
port=${2:-5100}
workers=${WORKERS:-2}
root=$(cd "$(dirname "$0")/.." && pwd)
if [[ -z ${KEFU:-} ]]; then
    if [[ -x $root/.venv/bin/kefu ]]; then KEFU=$root/.venv/bin/kefu; else KEFU=kefu; fi
fi

if (( tickets % 1000000 == 0 )); then label=$((tickets / 1000000))m
elif (( tickets % 1000 == 0 )); then label=$((tickets / 1000))k
else label=$tickets
fi
export KEFU_INSTANCE_PATH=${KEFU_INSTANCE_PATH:-${TMPDIR:-/tmp}/kefu-bench-$label}

if [[ ! -f $KEFU_INSTANCE_PATH/seeded ]]; then
    mkdir -p "$KEFU_INSTANCE_PATH"
    "$KEFU" init 2>/dev/null | tail -n 1
    "$KEFU" demo | head -n 1
    start=$(date +%s)
    "$KEFU" seed --tickets "$tickets"
    echo "Seeded $tickets tickets in $(( $(date +%s) - start )) s;" \
         "database: $(du -ch "$KEFU_INSTANCE_PATH"/kefu.db* | tail -n 1 | cut -f1)"
    touch "$KEFU_INSTANCE_PATH/seeded"
fi

exec "$KEFU" run --workers "$workers" --port "$port"
