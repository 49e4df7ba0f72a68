#!/usr/bin/env bash
# One-time setup of a fresh clone: builds the esp-script tool from this checkout and installs it as a local
# .NET tool (see .config/dotnet-tools.json), so that `dotnet esp-script SCRIPT.csx` works here.
# Run it again after changing src/: it replaces the installed build. Takes about a minute; the tool carries
# libtorch (the package is about 150 MB, about 800 MB once installed in the NuGet folder).
set -euo pipefail
cd "$(dirname "$0")"
packages=.esp/packages
rm -rf "$packages"
dotnet pack src/Esp.Scripting -c Release -o "$packages" --nologo -v quiet
# NuGet never re-extracts a version it already holds: drop earlier builds of this version first, the
# runtime-specific package (esp.scripting.linux-x64, which the tool runs from) included, or a re-run of setup
# after a pull would keep running the old engine.
rm -rf "${NUGET_PACKAGES:-$HOME/.nuget/packages}"/esp.scripting*/0.1.0
dotnet tool restore --add-source "$packages"
