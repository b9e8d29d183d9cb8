#!/usr/bin/env bash
# The Prometheus configuration and alert rules: syntax, and the rules' unit tests (alerts.test.yml).
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v promtool > /dev/null; then
  echo "promtool not found: install Debian's prometheus package (apt-get install prometheus)" >&2
  exit 1
fi
promtool check config prometheus.yml
promtool test rules alerts.test.yml
