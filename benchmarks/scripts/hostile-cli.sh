#!/usr/bin/env bash
# Runs the adversarial CLI attacks of docs/reliability.md ("Hostile files and text: the CLI") against the built
# tool and prints one Markdown row per attack: exit code, wall time and peak memory (GNU time), and the first
# line of standard error. Needs GNU time, python3 with 'cryptography', and (for the full-disk row) unshare/mount.
# Usage: benchmarks/scripts/hostile-cli.sh [path/to/CertGuard.Cli.dll]
set -u
repo=$(cd "$(dirname "$0")/../.." && pwd)
tool=${1:-$repo/src/CertGuard.Cli/bin/Debug/net10.0/CertGuard.Cli.dll}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

python3 - <<'PY'
import datetime
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
key = ec.generate_private_key(ec.SECP256R1())
now = datetime.datetime.now(datetime.timezone.utc)
def mint(cn, path, count=1, days=200):
    with open(path, "wb") as f:
        for i in range(count):
            name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn, _validate=False)])
            cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                    .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=100))
                    .not_valid_after(now + datetime.timedelta(days=days)).sign(key, hashes.SHA256()))
            f.write(cert.public_bytes(serialization.Encoding.PEM))
import os
os.makedirs("certs", exist_ok=True); os.makedirs("empty", exist_ok=True)
mint("good.example", "certs/good.pem")
mint("\x1b]0;PWNED\x07\x1b[2J", "escape.pem")
mint("invoice\u202efdp.exe", "rlo.pem")
mint("W" * 20000, "huge.pem")
mint("many.example", "many.pem", count=200, days=-10)
mint("pct.example", "a%41b.pem", days=-10)
PY
mkfifo pipe
printf '%*s' 40000 '' | tr ' ' '[' > nested.yaml

row() { # row "attack" args...
    local attack=$1; shift
    /usr/bin/time -f '%e %M' -o time.txt timeout 120 dotnet "$tool" "$@" >out.txt 2>err.txt
    local code=$?
    read -r seconds kib < <(tail -1 time.txt)
    local note
    note=$(head -c 150 err.txt | head -1 | sed 's/|/\\|/g')
    printf '| %s | %s | %s s | %s MB | %s |\n' "$attack" "$code" "$seconds" "$((kib / 1024))" "$note"
}

echo "| attack | exit | time | peak RSS | first line of stderr |"
echo "| --- | --- | --- | --- | --- |"
row "--password-file on a named pipe" scan certs --password-file pipe
row "--owners on a named pipe" scan certs --owners pipe
row "--trust on a named pipe" scan certs --trust pipe
row "--password-file /dev/zero" scan certs --password-file /dev/zero
row "--owners /dev/zero" scan certs --owners /dev/zero
row "--owners with 40,000 nested [" scan certs --owners nested.yaml
row "--max-validity 99999999" scan certs --max-validity 99999999
row "host:99999" scan example.invalid:99999
row "tls://[::1 (unclosed)" scan 'tls://[::1'
row "[::1]:1 (IPv6, nothing listening)" scan '[::1]:1' --timeout 5
row "empty directory" scan empty
row "glob matching nothing" scan 'empty/*.pem'
row "subject with ESC ] 0 ; BEL, table" scan escape.pem
grep -c $'\x1b' out.txt | sed 's/^/  raw ESC bytes on stdout: /'
row "20,000-character subject, table" scan huge.pem
awk '{ if (length($0) > max) max = length($0) } END { print "  longest table line: " max " characters" }' out.txt
row "RLO in subject, HTML" scan rlo.pem --format html --output rlo.html
grep -c $'\u202e' rlo.html | sed 's/^/  raw U+202E in the page: /'
row "SARIF for a%41b.pem" scan "$work/a%41b.pem" --format sarif
grep -o '"uri": "[^"]*"' out.txt | head -1 | sed 's/^/  /'

# A 64 KiB tmpfs in a private mount namespace: the JSON report (about 300 KiB) dies of ENOSPC.
mkdir -p full
/usr/bin/time -f '%e %M' -o time.txt unshare --map-root-user --mount bash -c "
    mount -t tmpfs -o size=64k tmpfs full && printf previous > full/report.json &&
    dotnet '$tool' scan many.pem --format json --output full/report.json 2>err.txt; echo \$? > code.txt;
    cat full/report.json > left.txt; ls -A full > files.txt"
read -r seconds kib < <(tail -1 time.txt)
printf '| --output on a full disk (64 KiB tmpfs) | %s | %s s | %s MB | %s |\n' "$(cat code.txt)" "$seconds" "$((kib / 1024))" "$(head -1 err.txt)"
echo "  report left: $(cat left.txt); files: $(tr '\n' ' ' < files.txt)"
