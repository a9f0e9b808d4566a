#!/bin/sh
# The container's entrypoint: `python -m bot "$@"`, with one change for `run`.
#
# Docker's restart policies cannot tell exit codes apart, and the bot's exit codes mean
# different things (README, "Exit codes"): 1 is a fault a restart may cure (Discord
# unreachable), 2 a configuration a restart cannot cure (token, intent, knowledge base,
# DATA_DIR). So for `run`, exit 2 becomes exit 0 after one line saying so: with
# `restart: on-failure`, Docker restarts on 1 and leaves a configuration error stopped, its
# one-line reason at the end of `docker compose logs`.
#
# The bot runs as a child so that its exit code can be read; SIGTERM and SIGINT (docker stop,
# Ctrl-C) are passed on to it, and it stops cleanly.
python -m bot "$@" &
child=$!
trap 'kill -TERM "$child" 2>/dev/null' TERM INT
wait "$child"
code=$?
if [ "$code" -gt 128 ] && kill -0 "$child" 2>/dev/null; then
    wait "$child"  # woken by a signal: wait for the bot to finish stopping
    code=$?
fi
if [ "$1" = "run" ] && [ "$code" -eq 2 ]; then
    echo "entrypoint: the bot stopped on a configuration error (exit 2, see the line above); not restarting until it is fixed" >&2
    exit 0
fi
exit "$code"
