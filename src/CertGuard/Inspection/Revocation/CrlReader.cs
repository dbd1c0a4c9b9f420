using System.Formats.Asn1;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Operators;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace CertGuard.Inspection.Revocation;

/// <summary>Parses a downloaded CRL, checks that the certificate's issuer signed it, and looks serial numbers up in it.</summary>
/// <remarks>
/// The CRL is walked once with <see cref="AsnReader"/> over the downloaded bytes, keeping only each entry's serial,
/// date and reason. BouncyCastle's parser builds an object graph of every entry, about 75 times the CRL's size, which
/// for the largest public CRLs is hundreds of megabytes per download.
/// </remarks>
internal static class CrlReader
{
    private const string DeltaCrlIndicator = "2.5.29.27";

    /// <summary>The DER encoding of id-ce-cRLReasons (2.5.29.21), compared as bytes so entries allocate no strings.</summary>
    private static ReadOnlySpan<byte> ReasonCodeOid => [0x06, 0x03, 0x55, 0x1D, 0x15];
    private const int RemoveFromCrl = 8;

    /// <returns>The verified CRL, or why it cannot be used.</returns>
    public static (VerifiedCrl? Crl, string? Problem) Read(byte[] body, BcCertificate issuer, Uri url, DateTimeOffset now, TimeSpan skew)
    {
        if (Der(body) is not { } der || Parse(der) is not { } crl)
        {
            return (null, $"CRL {url} is not a valid CRL");
        }

        try
        {
            var crlIssuer = X509Name.GetInstance(Asn1Object.FromByteArray(crl.Issuer.ToArray()));
            if (!crlIssuer.Equivalent(issuer.SubjectDN))
            {
                return (null, $"CRL {url} was issued by '{crlIssuer}', not by the certificate's issuer");
            }

            if (!IsSignedBy(crl, issuer))
            {
                return (null, $"CRL {url} is not signed by the certificate's issuer");
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return (null, $"CRL {url} could not be verified ({ex.GetType().Name})");
        }

        if (crl.IsDelta)
        {
            return (null, $"CRL {url} is a delta CRL, which cannot be used without its base CRL");
        }

        if (crl.ThisUpdate > now + skew)
        {
            return (null, $"CRL {url} is dated in the future ({Format(crl.ThisUpdate)})");
        }

        return (new VerifiedCrl(crl.ThisUpdate, crl.NextUpdate, crl.Entries), null);
    }

    /// <summary>Whether the CRL lists the serial number. A CRL past its next update still answers, marked stale.</summary>
    public static RevocationFacts Lookup(VerifiedCrl crl, BigInteger serialNumber, Uri url, DateTimeOffset now)
    {
        var facts = new RevocationFacts
        {
            Status = RevocationStatus.Good,
            Source = $"crl {url}",
            ThisUpdate = crl.ThisUpdate,
            NextUpdate = crl.NextUpdate,
            IsStale = crl.NextUpdate < now,
        };

        return crl.TryFind(serialNumber, out var revokedAt, out var reason)
            ? facts with
            {
                Status = RevocationStatus.Revoked,
                RevokedAt = revokedAt,
                RevocationReason = reason is { } code ? RevocationReasons.Name(code) : null,
            }
            : facts;
    }

    /// <summary>The DER bytes of a DER or PEM (<c>X509 CRL</c>) body; null when a PEM body has no CRL block.</summary>
    private static ReadOnlyMemory<byte>? Der(byte[] body)
    {
        var start = 0;
        while (start < body.Length && body[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            start++;
        }

        if (start >= body.Length || body[start] != (byte)'-')
        {
            return body;
        }

        var text = Encoding.ASCII.GetString(body);
        var search = text.AsSpan();
        while (PemEncoding.TryFind(search, out var fields))
        {
            if (search[fields.Label].SequenceEqual("X509 CRL"))
            {
                var bytes = new byte[fields.DecodedDataLength];
                return Convert.TryFromBase64Chars(search[fields.Base64Data], bytes, out var written) ? bytes.AsMemory(0, written) : null;
            }

            search = search[fields.Location.End..];
        }

        return null;
    }

    private static ParsedCrl? Parse(ReadOnlyMemory<byte> der)
    {
        try
        {
            return ParsedCrl.Read(der, AsnEncodingRules.DER);
        }
        catch (Exception ex) when (ex is AsnContentException or CryptographicException or OverflowException or ArgumentException)
        {
            // Some CAs publish BER (indefinite lengths, non-minimal encodings); the signature still decides.
            try
            {
                return ParsedCrl.Read(der, AsnEncodingRules.BER);
            }
            catch (Exception inner) when (inner is AsnContentException or CryptographicException or OverflowException or ArgumentException)
            {
                return null;
            }
        }
    }

    private static bool IsSignedBy(ParsedCrl crl, BcCertificate issuer)
    {
        var algorithm = AlgorithmIdentifier.GetInstance(Asn1Object.FromByteArray(crl.SignatureAlgorithm.ToArray()));
        var verifier = new Asn1VerifierFactory(algorithm, issuer.GetPublicKey()).CreateCalculator();
        using (var stream = verifier.Stream)
        {
            stream.Write(crl.SignedPart.Span);
        }

        return verifier.GetResult().IsVerified(crl.Signature);
    }

    private static string Format(DateTimeOffset moment) => moment.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The parts of a CertificateList (RFC 5280, 5.1) that verification and lookups need.</summary>
    private sealed class ParsedCrl
    {
        public required ReadOnlyMemory<byte> SignedPart { get; init; }

        public required ReadOnlyMemory<byte> SignatureAlgorithm { get; init; }

        public required byte[] Signature { get; init; }

        public required ReadOnlyMemory<byte> Issuer { get; init; }

        public required DateTimeOffset ThisUpdate { get; init; }

        public DateTimeOffset? NextUpdate { get; init; }

        public required Dictionary<string, (DateTimeOffset RevokedAt, int? Reason)> Entries { get; init; }

        public bool IsDelta { get; init; }

        public static ParsedCrl Read(ReadOnlyMemory<byte> der, AsnEncodingRules rules)
        {
            var outer = new AsnReader(der, rules);
            var certificateList = outer.ReadSequence();
            outer.ThrowIfNotEmpty();

            var signedPart = certificateList.ReadEncodedValue();
            var signatureAlgorithm = certificateList.ReadEncodedValue();
            var signature = certificateList.ReadBitString(out _);
            certificateList.ThrowIfNotEmpty();

            var tbs = new AsnReader(signedPart, rules).ReadSequence();
            if (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
            {
                tbs.ReadInteger();
            }

            var innerAlgorithm = tbs.ReadEncodedValue();
            if (!innerAlgorithm.Span.SequenceEqual(signatureAlgorithm.Span))
            {
                throw new AsnContentException("The signature algorithm inside the CRL differs from the one outside.");
            }

            var issuer = tbs.ReadEncodedValue();
            var thisUpdate = ReadTime(tbs);
            DateTimeOffset? nextUpdate = tbs.HasData && IsTime(tbs.PeekTag()) ? ReadTime(tbs) : null;
            var entries = new Dictionary<string, (DateTimeOffset, int?)>(StringComparer.Ordinal);
            if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
            {
                var revoked = tbs.ReadEncodedValue();
                AsnDecoder.ReadSequence(revoked.Span, rules, out var offset, out var length, out _);
                // An entry takes at least 40 bytes; sizing the index once avoids rehashing a large CRL's entries.
                entries.EnsureCapacity(length / 40);
                var remaining = revoked.Span.Slice(offset, length);
                while (!remaining.IsEmpty)
                {
                    AsnDecoder.ReadSequence(remaining, rules, out offset, out length, out var consumed);
                    ReadEntry(remaining.Slice(offset, length), rules, entries);
                    remaining = remaining[consumed..];
                }
            }

            var isDelta = false;
            if (tbs.HasData)
            {
                var extensions = tbs.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0)).ReadSequence();
                isDelta = FindExtension(extensions, DeltaCrlIndicator) is not null;
            }

            tbs.ThrowIfNotEmpty();
            return new ParsedCrl
            {
                SignedPart = signedPart,
                SignatureAlgorithm = signatureAlgorithm,
                Signature = signature,
                Issuer = issuer,
                ThisUpdate = thisUpdate,
                NextUpdate = nextUpdate,
                Entries = entries,
                IsDelta = isDelta,
            };
        }

        /// <summary>Reads one revokedCertificates entry with the span decoder: a large CRL has millions of them.</summary>
        private static void ReadEntry(ReadOnlySpan<byte> entry, AsnEncodingRules rules, Dictionary<string, (DateTimeOffset, int?)> entries)
        {
            var serial = VerifiedCrl.Key(AsnDecoder.ReadIntegerBytes(entry, rules, out var consumed));
            entry = entry[consumed..];
            if (entry.IsEmpty)
            {
                throw new AsnContentException("A CRL entry has no revocation date.");
            }

            var revokedAt = entry[0] == (byte)UniversalTagNumber.UtcTime
                ? AsnDecoder.ReadUtcTime(entry, rules, out consumed)
                : AsnDecoder.ReadGeneralizedTime(entry, rules, out consumed);
            entry = entry[consumed..];
            int? reason = null;
            if (!entry.IsEmpty)
            {
                AsnDecoder.ReadSequence(entry, rules, out var offset, out var length, out consumed);
                reason = FindReason(entry.Slice(offset, length), rules);
                entry = entry[consumed..];
            }

            if (!entry.IsEmpty)
            {
                throw new AsnContentException("A CRL entry has data after its extensions.");
            }

            // removeFromCRL only has a meaning in delta CRLs, which are refused; an entry carrying it is not a revocation.
            if (reason != RemoveFromCrl)
            {
                entries[serial] = (revokedAt, reason);
            }
        }

        private static int? FindReason(ReadOnlySpan<byte> extensions, AsnEncodingRules rules)
        {
            int? reason = null;
            while (!extensions.IsEmpty)
            {
                AsnDecoder.ReadSequence(extensions, rules, out var offset, out var length, out var consumed);
                var extension = extensions.Slice(offset, length);
                extensions = extensions[consumed..];
                AsnDecoder.ReadEncodedValue(extension, rules, out _, out _, out var oidLength);
                if (!extension[..oidLength].SequenceEqual(ReasonCodeOid))
                {
                    continue;
                }

                extension = extension[oidLength..];
                if (!extension.IsEmpty && extension[0] == (byte)UniversalTagNumber.Boolean)
                {
                    AsnDecoder.ReadBoolean(extension, rules, out var booleanLength);
                    extension = extension[booleanLength..];
                }

                if (AsnDecoder.TryReadPrimitiveOctetString(extension, rules, out var value, out _))
                {
                    reason = ReadReason(value);
                }
            }

            return reason;
        }

        private static int? ReadReason(ReadOnlySpan<byte> value)
        {
            try
            {
                var bytes = AsnDecoder.ReadEnumeratedBytes(value, AsnEncodingRules.BER, out _);
                return bytes.Length is > 0 and <= 2 ? bytes[^1] | (bytes.Length == 2 ? bytes[0] << 8 : 0) : null;
            }
            catch (AsnContentException)
            {
                // An unreadable reason leaves the entry a revocation without a stated reason.
                return null;
            }
        }

        /// <returns>The extension's extnValue contents, or null when the list does not carry it.</returns>
        private static ReadOnlyMemory<byte>? FindExtension(AsnReader extensions, string oid)
        {
            ReadOnlyMemory<byte>? found = null;
            while (extensions.HasData)
            {
                var extension = extensions.ReadSequence();
                var id = extension.ReadObjectIdentifier();
                if (extension.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean))
                {
                    extension.ReadBoolean();
                }

                if (!extension.TryReadPrimitiveOctetString(out var value))
                {
                    value = extension.ReadOctetString();
                }

                extension.ThrowIfNotEmpty();
                if (id == oid)
                {
                    found = value;
                }
            }

            return found;
        }

        private static bool IsTime(Asn1Tag tag) => tag.HasSameClassAndValue(Asn1Tag.UtcTime) || tag.HasSameClassAndValue(Asn1Tag.GeneralizedTime);

        private static DateTimeOffset ReadTime(AsnReader reader) =>
            reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) ? reader.ReadUtcTime() : reader.ReadGeneralizedTime();
    }
}
