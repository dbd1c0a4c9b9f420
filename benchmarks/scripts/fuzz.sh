#!/usr/bin/env bash
# The long hostile-input run: 100,000 mutated inputs per format (DER, PEM, PFX, P7B, JKS) through loading,
# inspection and policy, and 100,000 PKCS#12 inputs mutated below the MAC and re-sealed with a valid one.
# CI runs the same tests with 1,500 inputs per format and 150 re-sealed PKCS#12 inputs. Override the count with
# CERTGUARD_FUZZ_ITERATIONS. Figures are recorded in docs/reliability.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CERTGUARD_FUZZ_ITERATIONS="${CERTGUARD_FUZZ_ITERATIONS:-100000}"
dotnet test tests/CertGuard.Tests -c Release --filter "FullyQualifiedName~Fuzzing" --logger "console;verbosity=detailed" \
  | grep -E "inputs from|rejections|p12 resealed|^ +[0-9]+  |past the MAC|Passed!|Failed!|Error Message|input [0-9]+"
