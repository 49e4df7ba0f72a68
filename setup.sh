#!/usr/bin/env bash
# Builds the esp-script tool from this checkout and installs it as this clone's local .NET tool, so that
# `dotnet esp-script SCRIPT.csx` works inside the clone and `/path/to/clone/esp SCRIPT.csx` anywhere.
# Run it again after changing src/. About a minute when anything changed (the tool carries libtorch: the package
# is about 150 MB, about 800 MB once installed in the NuGet folder); a second or two when nothing did.
#
# Every clone on the machine shares the NuGet folder (~/.nuget/packages), and NuGet never re-extracts a version
# it already holds. So the tool's version names this clone and the content it was built from,
# 0.1.0-c<clone>-s<content> (<clone>: a hash of the clone's path; <content>: a hash of src/, build/ and
# Directory.Build.*): a change gives a new version, and set-up never overwrites or deletes another clone's tool.
# It removes only this clone's own earlier versions.
#
# The tool manifest .config/dotnet-tools.json names that version, so setup.sh writes it; it is not tracked by git
# (.gitignore), as it differs per clone and per build.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd -P)
nuget=${NUGET_PACKAGES:-$HOME/.nuget/packages}
packages=.esp/packages

clone=$(printf '%s' "$root" | sha256sum | cut -c1-8)
content=$( { find src build -type f -not -path '*/bin/*' -not -path '*/obj/*' -print0
             printf '%s\0' Directory.Build.props Directory.Build.targets; } |
           LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-12)
version="0.1.0-c$clone-s$content"

# .nupkg.metadata is the last file NuGet writes when it installs a package: its presence means a complete install
if [ -f "$nuget/esp.scripting.linux-x64/$version/.nupkg.metadata" ] && [ -f "$nuget/esp.scripting/$version/.nupkg.metadata" ]; then
  echo "setup: esp-script $version (this checkout's content) is already built and installed"
else
  rm -rf "$packages"
  dotnet pack src/Esp.Scripting -c Release -o "$packages" -p:PackageVersion="$version" --nologo -v quiet
fi
mkdir -p "$packages" .config
cat > .config/dotnet-tools.json <<EOF
{
  "version": 1,
  "isRoot": true,
  "tools": {
    "esp.scripting": {
      "version": "$version",
      "commands": [
        "esp-script"
      ],
      "rollForward": false
    }
  }
}
EOF
dotnet tool restore --add-source "$packages"

# this clone's earlier builds (800 MB each); other clones' versions carry another c<clone>
for old in "$nuget"/esp.scripting/"0.1.0-c$clone-"* "$nuget"/esp.scripting.linux-x64/"0.1.0-c$clone-"*; do
  if [ -e "$old" ] && [ "$(basename "$old")" != "$version" ]; then rm -rf "$old"; fi
done
echo "setup: esp-script $version installed for $root"
echo "setup: run scripts with \`dotnet esp-script SCRIPT.csx\` here, or \`$root/esp SCRIPT.csx\` from any folder"
