#!/usr/bin/env bash
# The README's test command: installs the Debian packages the tests use when any is missing, then runs them.
#   ./test.sh          every test (what CI runs; about 5 minutes on 2 cores once built)
#   ./test.sh --fast   the everyday tier: every test not marked [Trait("Category", "Slow")] (about 3 minutes)
# Packages: chromium renders the figure pages; dataset-fashion-mnist and fortunes are the network and BERT tests'
# data; slurmctld, slurmd, slurm-client and munge run the one-node Slurm cluster a test submits a sweep to. The
# test run prints a line per finished test, so it never looks hung.
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
packages=(chromium dataset-fashion-mnist fortunes slurmctld slurmd slurm-client munge)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh: installing ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

filter=()
case "${1:-}" in
  --fast) filter=(--filter "Category!=Slow") ;;
  "") ;;
  *) echo "usage: ./test.sh [--fast]" >&2; exit 64 ;;
esac
# Built first, then one test project after the other, so that nothing else runs beside the tests that time what they
# run (the progress estimate's): dotnet test runs a solution's test projects side by side.
dotnet build Esp.sln -c Release -v quiet -nologo
status=0
for project in tests/Esp.Core.Tests tests/Esp.Scripting.Tests; do
  dotnet test "$project" -c Release --no-build --logger "console;verbosity=normal" "${filter[@]}" || status=1
done
exit $status
