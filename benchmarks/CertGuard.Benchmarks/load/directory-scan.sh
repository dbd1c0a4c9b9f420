#!/usr/bin/env bash
# Directory scan, end to end through the real tool: rate and peak memory for N PEM files (one certificate each),
# beside a bare X509CertificateLoader loop over the same files (BenchmarkDotNet: DirectoryScanBenchmarks).
# Usage: benchmarks/CertGuard.Benchmarks/load/directory-scan.sh [count...]   (default: 10000 20000)
# Needs: python3 with the 'cryptography' package (to mint the files quickly), GNU time.
set -euo pipefail
cd "$(dirname "$0")/../../.."
counts=("${@:-10000 20000}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dotnet build -c Release src/CertGuard.Cli --nologo -v q >/dev/null
tool=src/CertGuard.Cli/bin/Release/net10.0/CertGuard.Cli.dll

mint() { # mint <dir> <count>: distinct self-signed P-256 certificates, expiries spread over a year
  python3 benchmarks/CertGuard.Benchmarks/load/mint-certificates.py "$1" "$2"
}

printf '| files | concurrency | seconds | certificates/s | peak RSS (MiB) | report bytes |\n| ---: | ---: | ---: | ---: | ---: | ---: |\n'
for count in ${counts[@]}; do
  mint "$work/$count" "$count"
  for concurrency in 1 4; do
    start=$(date +%s.%N)
    /usr/bin/time -f '%M' -o "$work/rss" dotnet "$tool" scan "$work/$count" --format json --output "$work/report.json" \
      --fail-on never --quiet --concurrency "$concurrency"
    end=$(date +%s.%N)
    seconds=$(echo "$end - $start" | bc -l)
    rate=$(echo "$count / $seconds" | bc -l)
    rss=$(( $(cat "$work/rss") / 1024 ))
    printf '| %d | %d | %.2f | %.0f | %d | %d |\n' "$count" "$concurrency" "$seconds" "$rate" "$rss" "$(stat -c %s "$work/report.json")"
  done
done
