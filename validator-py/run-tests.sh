#!/usr/bin/env bash
# Runs the validator's pytest suite with its own virtualenv (var/venv/validator).
# tests/test_grpc_service.py needs the stack's server up (`npx flowledger stack up`); the other
# integration tests start a server of their own on free ports.
# Extra arguments go to pytest, e.g. `validator-py/run-tests.sh -m "not integration"`.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
python="$here/../var/venv/validator/bin/python"
if [[ ! -x "$python" ]]; then
  echo "validator-py: $python missing; install the stack first (npx flowledger stack up)" >&2
  exit 1
fi
cd "$here"
exec "$python" -m pytest "$@"
