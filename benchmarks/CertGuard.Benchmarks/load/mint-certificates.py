#!/usr/bin/env python3
"""Mints COUNT distinct self-signed P-256 certificates into DIR (certNNNNNN.pem), fast, for the load scripts.

Usage: mint-certificates.py DIR COUNT [spread|healthy]
  spread  (default) expiries spread over a year from tomorrow, some inside the warning window
  healthy every certificate has 60 days or more left and a lifetime under 398 days, so all are Healthy
Needs the 'cryptography' package.
"""
import datetime
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

out, count = sys.argv[1], int(sys.argv[2])
healthy = len(sys.argv) > 3 and sys.argv[3] == "healthy"
os.makedirs(out, exist_ok=True)
key = ec.generate_private_key(ec.SECP256R1())
now = datetime.datetime.now(datetime.timezone.utc)
for i in range(count):
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"host{i}.bench.example")])
    if healthy:
        not_before, not_after = now - datetime.timedelta(days=30), now + datetime.timedelta(days=60 + i % 300)
    else:
        not_before, not_after = now - datetime.timedelta(days=30 + i % 300), now + datetime.timedelta(days=1 + i % 365)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before)
            .not_valid_after(not_after)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(f"host{i}.bench.example")]), critical=False)
            .sign(key, hashes.SHA256()))
    with open(os.path.join(out, f"cert{i:06d}.pem"), "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
