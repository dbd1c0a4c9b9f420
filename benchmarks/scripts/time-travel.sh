#!/usr/bin/env bash
# Runs the whole test suite with the clock moved years ahead (libfaketime), proving no test depends on a certificate
# minted once and committed. Usage: benchmarks/scripts/time-travel.sh [+5y] [+20y] ...
set -uo pipefail
cd "$(dirname "$0")/../.."
command -v faketime >/dev/null || { apt-get update -qq && apt-get install -y -qq faketime >/dev/null; }
shifts=("$@"); [ ${#shifts[@]} -gt 0 ] || shifts=(+5y +20y)
dotnet build CertGuard.sln >/dev/null || exit 1
# Only the clock moves: file times stay the kernel's. By default libfaketime also shifts the times stat() returns but
# not the ones a program sets, so a file stamped "ten minutes ago" would read back as five years ahead.
export NO_FAKE_STAT=1
# The packaging and tool tests restore; NuGet's audit would fetch vulnerability data over HTTPS, and at a fake date the
# feed's own certificate is expired (not one of ours), so the audit, and only it, is off.
export NuGetAudit=false
status=0
for shift in "${shifts[@]}"; do
  echo "== clock $shift: $(faketime -f "$shift" date -u +%Y-%m-%dT%H:%MZ)"
  faketime -f "$shift" dotnet test CertGuard.sln --no-build 2>&1 | grep -E '^(Passed|Failed)!|^\s+Failed ' || status=1
  [ "${PIPESTATUS[0]}" = 0 ] || status=1
done
exit $status
