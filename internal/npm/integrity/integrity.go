// Package integrity parses, prints and verifies Subresource Integrity
// strings as npm uses them in packuments and lockfiles: one or more
// "<algorithm>-<base64 digest>[?options]" tokens separated by whitespace,
// for example "sha512-z4PhNX...==" or "sha1-2jmj7l5rSw0yVb/vlWAYkK/YBwk=".
//
// npm's registry documents carry "integrity" (sha512) for every package
// published since 2017 and "shasum" (hex sha1) for all of them; FromShasum
// turns the latter into an Integrity so old packages verify the same way.
package integrity

import (
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"strings"
)

// Algorithm names as they appear in SRI strings.
const (
	SHA1   = "sha1"
	SHA256 = "sha256"
	SHA384 = "sha384"
	SHA512 = "sha512"
)

// strength orders the algorithms npm knows; a larger number is stronger.
// Unknown algorithms have strength 0 and are never used for verification,
// like npm's ssri, which keeps them in the string but cannot check them.
var strength = map[string]int{SHA1: 1, SHA256: 2, SHA384: 3, SHA512: 4}

// digestSize is the raw digest length of each known algorithm; a digest of
// another length cannot be right and is rejected by Parse.
var digestSize = map[string]int{SHA1: sha1.Size, SHA256: sha256.Size, SHA384: sha512.Size384, SHA512: sha512.Size}

// ErrEmpty is returned by Parse for a string without any hash.
var ErrEmpty = errors.New("empty integrity string")

// Hash is one "<algorithm>-<digest>[?options]" token.
type Hash struct {
	Algorithm string   // "sha512", "sha1", ... (lowercase)
	Digest    []byte   // raw digest bytes
	Options   []string // the "?opt" suffixes, without the "?", in order
}

// Known reports whether gnode can compute this hash's algorithm.
func (h Hash) Known() bool { return strength[h.Algorithm] > 0 }

// Base64 returns the digest in standard padded base64, as SRI writes it.
func (h Hash) Base64() string { return base64.StdEncoding.EncodeToString(h.Digest) }

// Hex returns the digest in lowercase hexadecimal (npm's "shasum" form).
func (h Hash) Hex() string { return hex.EncodeToString(h.Digest) }

// String returns the token as it appears in an SRI string.
func (h Hash) String() string {
	var b strings.Builder
	b.WriteString(h.Algorithm)
	b.WriteByte('-')
	b.WriteString(h.Base64())
	for _, o := range h.Options {
		b.WriteByte('?')
		b.WriteString(o)
	}
	return b.String()
}

// Equal reports whether two hashes have the same algorithm and digest;
// options do not take part, as in ssri's match.
func (h Hash) Equal(o Hash) bool {
	return h.Algorithm == o.Algorithm && string(h.Digest) == string(o.Digest)
}

// Integrity is a parsed SRI string: its hashes in the order written.
type Integrity struct {
	Hashes []Hash
}

// IsZero reports whether the integrity holds no hash at all.
func (i Integrity) IsZero() bool { return len(i.Hashes) == 0 }

// String returns the canonical SRI string: the tokens separated by a single
// space. Parse(i.String()) gives back an equal Integrity.
func (i Integrity) String() string {
	parts := make([]string, len(i.Hashes))
	for k, h := range i.Hashes {
		parts[k] = h.String()
	}
	return strings.Join(parts, " ")
}

// Strongest returns the first hash of the strongest known algorithm, or
// false when no hash has an algorithm gnode can compute.
func (i Integrity) Strongest() (Hash, bool) {
	best, found := Hash{}, false
	for _, h := range i.Hashes {
		if s := strength[h.Algorithm]; s > 0 && (!found || s > strength[best.Algorithm]) {
			best, found = h, true
		}
	}
	return best, found
}

// Get returns the first hash of the given algorithm.
func (i Integrity) Get(algorithm string) (Hash, bool) {
	for _, h := range i.Hashes {
		if h.Algorithm == algorithm {
			return h, true
		}
	}
	return Hash{}, false
}

// Merge returns i with the hashes of o that i does not already hold
// appended, for example to add the computed sha512 to a sha1-only value.
func (i Integrity) Merge(o Integrity) Integrity {
	out := Integrity{Hashes: append([]Hash(nil), i.Hashes...)}
	for _, h := range o.Hashes {
		dup := false
		for _, e := range out.Hashes {
			if e.Equal(h) {
				dup = true
				break
			}
		}
		if !dup {
			out.Hashes = append(out.Hashes, h)
		}
	}
	return out
}

// Parse parses an SRI string. Tokens are separated by any whitespace.
// Every token must read "<algorithm>-<base64>[?option...]" with a lowercase
// alphanumeric algorithm name; for a known algorithm the digest must decode
// to the algorithm's size. Tokens of unknown algorithms are kept (String
// prints them back) but never used to verify.
func Parse(s string) (Integrity, error) {
	fields := strings.Fields(s)
	if len(fields) == 0 {
		return Integrity{}, ErrEmpty
	}
	out := Integrity{Hashes: make([]Hash, 0, len(fields))}
	for _, f := range fields {
		h, err := parseHash(f)
		if err != nil {
			return Integrity{}, fmt.Errorf("invalid integrity %q: %w", truncate(s), err)
		}
		out.Hashes = append(out.Hashes, h)
	}
	return out, nil
}

// MustParse is Parse for constants in tests and tables; it panics on error.
func MustParse(s string) Integrity {
	i, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return i
}

func parseHash(tok string) (Hash, error) {
	dash := strings.IndexByte(tok, '-')
	if dash <= 0 {
		return Hash{}, fmt.Errorf("token %q is not <algorithm>-<base64 digest>", truncate(tok))
	}
	algo := tok[:dash]
	for i := 0; i < len(algo); i++ {
		c := algo[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return Hash{}, fmt.Errorf("algorithm %q must be lowercase letters and digits", truncate(algo))
		}
	}
	rest := tok[dash+1:]
	var opts []string
	if q := strings.IndexByte(rest, '?'); q >= 0 {
		opts = strings.Split(rest[q+1:], "?")
		rest = rest[:q]
	}
	if rest == "" {
		return Hash{}, fmt.Errorf("%s digest is empty", algo)
	}
	digest, err := decodeBase64(rest)
	if err != nil {
		return Hash{}, fmt.Errorf("%s digest is not base64: %w", algo, err)
	}
	if want, ok := digestSize[algo]; ok && len(digest) != want {
		return Hash{}, fmt.Errorf("%s digest is %d bytes, want %d", algo, len(digest), want)
	}
	return Hash{Algorithm: algo, Digest: digest, Options: opts}, nil
}

// decodeBase64 accepts padded and unpadded standard base64; some tools
// write SRI digests without the trailing '='.
func decodeBase64(s string) ([]byte, error) {
	if strings.HasSuffix(s, "=") || len(s)%4 == 0 {
		return base64.StdEncoding.Strict().DecodeString(s)
	}
	return base64.RawStdEncoding.Strict().DecodeString(s)
}

// FromShasum turns npm's hex sha1 "shasum" into a sha1 Integrity.
func FromShasum(hexSha1 string) (Integrity, error) {
	d, err := hex.DecodeString(strings.TrimSpace(hexSha1))
	if err != nil || len(d) != sha1.Size {
		return Integrity{}, fmt.Errorf("invalid shasum %q: want 40 hexadecimal digits", truncate(hexSha1))
	}
	return Integrity{Hashes: []Hash{{Algorithm: SHA1, Digest: d}}}, nil
}

// FromBytes computes the sha512 and sha1 integrity of b.
func FromBytes(b []byte) Integrity {
	h := NewHasher()
	h.Write(b)
	return h.Sum()
}

func truncate(s string) string {
	if len(s) > 100 {
		return s[:100] + "..."
	}
	return s
}

func newHash(algo string) hash.Hash {
	switch algo {
	case SHA1:
		return sha1.New()
	case SHA256:
		return sha256.New()
	case SHA384:
		return sha512.New384()
	case SHA512:
		return sha512.New()
	}
	return nil
}
