#!/usr/bin/env bash
# Package check: proves that the packages work for a consumer outside this repository.
#   1. builds and packs ConstCl.Core, ConstCl.MLNet and the constcl tool into artifacts/packages under a version
#      unique to this run (0.1.0-ci.<UTC time>.<pid>), with symbols (.snupkg);
#   2. inspects the packages: README (absolute links only), repository URL, buildTransitive targets, symbols, and no
#      native runtime among the libraries' dependencies;
#   3. copies tests/PackageConsumer out of the repository, writes a nuget.config in which ConstCl.* come only from
#      that feed (package source mapping; third-party packages from the machine's own sources), restores into a
#      private packages folder, builds (the GLIBCXX fix must run through buildTransitive) and runs it: pre-training,
#      probe, embedding, ML.NET save/load;
#   4. installs the tool from the feed into a tool path and runs `constcl info --preset tiny --json`.
# Prints one line per check and ends with "package-check: passed (N s)" (exit 0) or "package-check: FAILED …" (exit 1).
# Usage: bash .ci/package-check.sh        (KEEP=1 keeps the work folder)
set -uo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
start=$(date +%s)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

version="0.1.0-ci.$(date -u +%Y%m%d%H%M%S).$$"
feed="$repo/artifacts/packages"
work=$(mktemp -d "${TMPDIR:-/tmp}/constcl-package-check.XXXXXX")
if [ "${KEEP:-0}" != 1 ]; then trap 'rm -rf "$work"' EXIT; fi
log="$work/log.txt"

fail() { echo "package-check: FAILED: $*"; echo "package-check: FAILED ($(( $(date +%s) - start )) s)"; exit 1; }
ok() { echo "package-check: ok   $*"; }
run_logged() { # run_logged WHAT CMD...: runs CMD, output to the log; on failure prints the log's tail and fails
  local what=$1; shift
  if ! "$@" >"$log" 2>&1; then tail -n 40 "$log"; fail "$what"; fi
}
dn() { nice -n 10 dotnet "$@"; }

echo "package-check: version $version, feed artifacts/packages, work folder $work"

# 1. Build and pack. Packages of earlier checks (…-ci.…) are removed first: the tool package alone is large.
mkdir -p "$feed"
rm -f "$feed"/ConstCl.*-ci.*.nupkg "$feed"/ConstCl.*-ci.*.snupkg
run_logged "build src/ConstCl.Cli (Release)" dn build src/ConstCl.Cli/ConstCl.Cli.csproj -c Release
for project in ConstCl.Core ConstCl.MLNet ConstCl.Cli; do
  run_logged "pack $project" dn pack "src/$project/$project.csproj" -c Release --no-build \
    -p:PackageVersion="$version" -o "$feed"
done
for id in ConstCl.Core ConstCl.MLNet ConstCl.Cli; do
  [ -f "$feed/$id.$version.nupkg" ] || fail "$id.$version.nupkg was not written"
done
ok "packed: $(cd "$feed" && ls -s --block-size=K ConstCl.*"$version"*.*nupkg | awk '{printf "%s%s (%s) ", sep, $2, $1; sep=""}')"

# 2. Inspect the packages.
for id in ConstCl.Core ConstCl.MLNet ConstCl.Cli; do
  nupkg="$feed/$id.$version.nupkg"
  nuspec=$(unzip -p "$nupkg" "$id.nuspec") || fail "$id: no nuspec"
  readme=$(unzip -p "$nupkg" README.md) || fail "$id: no README.md in the package"
  grep -q '<readme>README.md</readme>' <<<"$nuspec" || fail "$id: the nuspec names no readme"
  grep -Eq '<repository type="git" url="https?://' <<<"$nuspec" || fail "$id: no repository URL in the nuspec"
  relative=$(grep -oE '\]\([^)#]*\)' <<<"$readme" | grep -vE '\]\((https?://|mailto:)' || true)
  [ -z "$relative" ] || fail "$id: README has relative links: $relative"
  grep -Eq '\{\{[A-Za-z]+\}\}' <<<"$readme" && fail "$id: README has an unreplaced {{…}} token"
  if [ "$id" != ConstCl.Cli ]; then
    [ -f "$feed/$id.$version.snupkg" ] || fail "$id: no symbol package (.snupkg)"
    grep -q "lib/net10.0/$id.pdb" <<<"$(unzip -l "$feed/$id.$version.snupkg")" || fail "$id: the .snupkg holds no $id.pdb"
    natives=$(grep -oiE 'id="(libtorch[^"]*|TorchSharp-(cpu|cuda)[^"]*|OpenCvSharp4\.[^"]*runtime[^"]*|Microsoft\.ML\.OnnxRuntime(\.Gpu[^"]*)?)"' <<<"$nuspec" || true)
    [ -z "$natives" ] || fail "$id depends on native runtime packages: $natives"
  fi
done
grep -q "buildTransitive/ConstCl.Core.targets" <<<"$(unzip -l "$feed/ConstCl.Core.$version.nupkg")" || fail "ConstCl.Core: no buildTransitive/ConstCl.Core.targets"
grep -q "id=\"ConstCl.Core\" version=\"$version\"" <<<"$(unzip -p "$feed/ConstCl.MLNet.$version.nupkg" ConstCl.MLNet.nuspec)" || fail "ConstCl.MLNet does not depend on ConstCl.Core $version"
ok "packages: README.md with absolute links, repository URL, symbols, buildTransitive targets, no native runtime in the libraries' dependencies"

# 3. The consumer, outside the repository, ConstCl.* only from the feed.
consumer="$work/consumer"
mkdir -p "$consumer"
cp "$repo"/tests/PackageConsumer/*.cs "$repo"/tests/PackageConsumer/*.csproj "$consumer"/
machine_packages=$(cd "$work" && dn nuget locals global-packages --list | sed -n 's/^global-packages: *//p')
mapfile -t machine_sources < <(cd "$work" && dn nuget list source | sed -n 's/^ *[0-9]*\. *\(.*\) \[Enabled\]$/\1/p')
[ ${#machine_sources[@]} -gt 0 ] || fail "the machine has no enabled package source"
xml() { sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/"/\&quot;/g' <<<"$1"; }
{
  echo '<?xml version="1.0" encoding="utf-8"?>'
  echo '<!-- Written by .ci/package-check.sh: ConstCl.* only from the packed feed; everything else from the machine sources. -->'
  echo '<configuration>'
  echo "  <packageSources><add key=\"constcl-check-feed\" value=\"$(xml "$feed")\" /></packageSources>"
  [ -n "$machine_packages" ] && echo "  <fallbackPackageFolders><add key=\"machine\" value=\"$(xml "$machine_packages")\" /></fallbackPackageFolders>"
  echo '  <packageSourceMapping>'
  echo '    <packageSource key="constcl-check-feed"><package pattern="ConstCl.*" /></packageSource>'
  for key in "${machine_sources[@]}"; do
    [ "$key" = constcl-local ] && continue
    echo "    <packageSource key=\"$(xml "$key")\"><package pattern=\"*\" /></packageSource>"
  done
  echo '  </packageSourceMapping>'
  echo '</configuration>'
} >"$consumer/nuget.config"

versions() { sed -n "s/.*<PackageVersion Include=\"$1\" Version=\"\([^\"]*\)\".*/\1/p" "$repo/Directory.Packages.props"; }
export NUGET_PACKAGES="$work/packages"   # private: this run's ConstCl.* are extracted here, nowhere else
props=(-p:ConstClVersion="$version" -p:LibtorchVersion="$(versions libtorch-cpu-linux-x64)"
       -p:OpenCvRuntimeVersion="$(versions OpenCvSharp4.official.runtime.linux-x64)" -p:OnnxRuntimeVersion="$(versions Microsoft.ML.OnnxRuntime)")
run_logged "consumer build" bash -c 'cd "$0" && nice -n 10 dotnet build -c Release "$@"' "$consumer" "${props[@]}"
grep -q "ConstCl: marked GLIBCXX_3.4.32 weak" "$log" || [ "$(uname -s)" != Linux ] || fail "the consumer build did not run ConstCl.Core's buildTransitive GLIBCXX fix"
assets="$consumer/obj/project.assets.json"
grep -q '"type": "project"' "$assets" && fail "the consumer has a project reference"
for id in constcl.core constcl.mlnet; do
  grep -qF "\"source\": \"$feed" "$NUGET_PACKAGES/$id/$version/.nupkg.metadata" 2>/dev/null \
    || fail "$id $version did not come from the packed feed"
done
ok "consumer restored ConstCl.Core and ConstCl.MLNet $version from the packed feed only (no project reference), built; GLIBCXX fix ran through buildTransitive"

dll=$(find "$consumer/bin/Release" -name PackageConsumer.dll | head -n 1)
[ -n "$dll" ] || fail "no PackageConsumer.dll"
if ! nice -n 10 dotnet "$dll" "$work/run" 2>&1 | tee "$log"; then fail "the consumer's checks"; fi
grep -q "consumer: all checks passed" "$log" || fail "the consumer's checks"

# 4. The tool, installed from the feed.
run_logged "dotnet tool install ConstCl.Cli" bash -c 'cd "$0" && nice -n 10 dotnet tool install ConstCl.Cli --version "$1" --tool-path "$2" --configfile nuget.config' \
  "$consumer" "$version" "$work/tool"
info=$("$work/tool/constcl" info --preset tiny --json 2>&1) || { echo "$info" | tail -n 20; fail "constcl info from the installed tool"; }
grep -q '"preset":"tiny"' <<<"$info" || fail "constcl info printed: $info"
ok "tool installed from the feed: constcl info --preset tiny --json → $(echo "$info" | head -c 160)"

echo "package-check: passed ($(( $(date +%s) - start )) s)"
