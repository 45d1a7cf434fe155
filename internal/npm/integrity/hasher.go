package integrity

import (
	"crypto/sha1"
	"crypto/sha512"
	"errors"
	"fmt"
	"hash"
	"io"
)

// ErrNoKnownAlgorithm is returned when asked to verify against an integrity
// that has no hash gnode can compute. Verification is never skipped, so
// this is an error rather than a pass.
var ErrNoKnownAlgorithm = errors.New("integrity has no sha512, sha384, sha256 or sha1 hash to verify against")

// MismatchError reports data whose digest is not the expected one.
type MismatchError struct {
	Expected Integrity // what the caller asked for
	Actual   Integrity // what the data hashes to: sha512 (and sha1 unless sha512 was checked), plus the checked algorithm
}

func (e *MismatchError) Error() string {
	// Name the digests of the algorithm that was compared, in full, so the
	// user can compare them with the lockfile or the registry.
	s, ok := e.Expected.Strongest()
	if !ok {
		return fmt.Sprintf("integrity mismatch: expected %s, got %s", truncate(e.Expected.String()), e.Actual)
	}
	var want Integrity
	for _, h := range e.Expected.Hashes {
		if h.Algorithm == s.Algorithm {
			want.Hashes = append(want.Hashes, h)
		}
	}
	got := e.Actual.String()
	if h, ok := e.Actual.Get(s.Algorithm); ok {
		got = h.String()
	}
	return fmt.Sprintf("integrity mismatch: expected %s, got %s", want, got)
}

// Hasher is an io.Writer that computes sha512 and sha1 of everything
// written in one pass (plus sha256 or sha384 when the expected integrity
// uses them), so a tarball is read once whatever npm recorded for it: new
// lockfiles need sha512 even for packages whose registry entry only has a
// sha1 shasum. A Hasher made by NewHasherFor an integrity with a sha512
// skips sha1: nothing checks it then, and it cost ~20 ms of CPU per cold
// install of ~900 tarballs (34 MB).
type Hasher struct {
	sha512 hash.Hash
	sha1   hash.Hash // nil when not computed
	extra  hash.Hash // sha256 or sha384, nil otherwise
	algo   string    // extra's algorithm
	n      int64
}

// NewHasher returns a Hasher computing sha512 and sha1.
func NewHasher() *Hasher {
	return &Hasher{sha512: sha512.New(), sha1: sha1.New()}
}

// NewHasherFor returns a Hasher that also computes the strongest algorithm
// of expected when it is neither sha512 nor sha1, so Check can verify it.
// When that algorithm is sha512, sha1 is not computed (Sum and Shasum
// leave it out).
func NewHasherFor(expected Integrity) *Hasher {
	h := NewHasher()
	if s, ok := expected.Strongest(); ok {
		switch s.Algorithm {
		case SHA512:
			h.sha1 = nil
		case SHA1:
		default:
			h.extra, h.algo = newHash(s.Algorithm), s.Algorithm
		}
	}
	return h
}

// Write hashes p. It never fails.
func (h *Hasher) Write(p []byte) (int, error) {
	h.sha512.Write(p)
	if h.sha1 != nil {
		h.sha1.Write(p)
	}
	if h.extra != nil {
		h.extra.Write(p)
	}
	h.n += int64(len(p))
	return len(p), nil
}

// Size returns the number of bytes written so far.
func (h *Hasher) Size() int64 { return h.n }

// Sum returns the integrity of the bytes written so far: sha512 first,
// then the extra algorithm if any, then sha1 when it is computed.
func (h *Hasher) Sum() Integrity {
	out := Integrity{Hashes: []Hash{{Algorithm: SHA512, Digest: h.sha512.Sum(nil)}}}
	if h.extra != nil {
		out.Hashes = append(out.Hashes, Hash{Algorithm: h.algo, Digest: h.extra.Sum(nil)})
	}
	if h.sha1 != nil {
		out.Hashes = append(out.Hashes, Hash{Algorithm: SHA1, Digest: h.sha1.Sum(nil)})
	}
	return out
}

// SHA512 returns the sha512 hash of the bytes written so far.
func (h *Hasher) SHA512() Hash { return Hash{Algorithm: SHA512, Digest: h.sha512.Sum(nil)} }

// Shasum returns the hex sha1 of the bytes written so far (npm's
// "shasum"), "" when the Hasher does not compute sha1.
func (h *Hasher) Shasum() string {
	if h.sha1 == nil {
		return ""
	}
	return Hash{Algorithm: SHA1, Digest: h.sha1.Sum(nil)}.Hex()
}

// Check verifies the bytes written so far against expected the way npm
// does: the strongest algorithm in expected is computed and must equal one
// of expected's hashes of that algorithm. It returns *MismatchError on a
// mismatch, ErrNoKnownAlgorithm when expected has nothing checkable.
func (h *Hasher) Check(expected Integrity) error {
	return Check(expected, h.Sum())
}

// Check compares a computed integrity with an expected one (see
// Hasher.Check). actual must hold the strongest algorithm of expected.
func Check(expected, actual Integrity) error {
	s, ok := expected.Strongest()
	if !ok {
		return ErrNoKnownAlgorithm
	}
	got, ok := actual.Get(s.Algorithm)
	if !ok {
		return fmt.Errorf("cannot verify %s: the data's %s digest was not computed", s.Algorithm, s.Algorithm)
	}
	for _, e := range expected.Hashes {
		if e.Equal(got) {
			return nil
		}
	}
	return &MismatchError{Expected: expected, Actual: actual}
}

// Verifier wraps a reader, hashing what is read through it; when the
// underlying reader reports io.EOF the data is checked, and a mismatch is
// returned in place of io.EOF, so a caller that reads to the end cannot
// miss it.
type Verifier struct {
	r        io.Reader
	h        *Hasher
	expected Integrity
	err      error // sticky result once EOF is reached
}

// NewVerifier returns a Verifier reading r and checking it against expected.
func NewVerifier(r io.Reader, expected Integrity) *Verifier {
	return &Verifier{r: r, h: NewHasherFor(expected), expected: expected}
}

func (v *Verifier) Read(p []byte) (int, error) {
	if v.err != nil {
		return 0, v.err
	}
	n, err := v.r.Read(p)
	v.h.Write(p[:n])
	if err == io.EOF {
		if cerr := v.h.Check(v.expected); cerr != nil {
			v.err = cerr
			return n, cerr
		}
		v.err = io.EOF
	}
	return n, err
}

// Sum returns the integrity of what has been read so far.
func (v *Verifier) Sum() Integrity { return v.h.Sum() }

// Hasher returns the underlying hasher.
func (v *Verifier) Hasher() *Hasher { return v.h }
