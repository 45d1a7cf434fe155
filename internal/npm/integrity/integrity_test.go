package integrity

import (
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"testing"
)

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

var (
	data     = []byte("hello npm\n")
	sum512   = sha512.Sum512(data)
	sum1     = sha1.Sum(data)
	sum256   = sha256.Sum256(data)
	sri512   = "sha512-" + b64(sum512[:])
	sri1     = "sha1-" + b64(sum1[:])
	sri256   = "sha256-" + b64(sum256[:])
	otherSum = sha512.Sum512([]byte("something else"))
	wrong512 = "sha512-" + b64(otherSum[:])
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, in  string
		want      string // String() of the result
		strongest string // algorithm of Strongest, "" if none
		wantErr   string
	}{
		{name: "sha512", in: sri512, want: sri512, strongest: "sha512"},
		{name: "sha1", in: sri1, want: sri1, strongest: "sha1"},
		{name: "two hashes keep order", in: sri1 + " " + sri512, want: sri1 + " " + sri512, strongest: "sha512"},
		{name: "any whitespace", in: "\n\t" + sri512 + " \n  " + sri1 + "\t", want: sri512 + " " + sri1, strongest: "sha512"},
		{name: "options", in: sri512 + "?foo?bar", want: sri512 + "?foo?bar", strongest: "sha512"},
		{name: "sha256 beats sha1", in: sri1 + " " + sri256, want: sri1 + " " + sri256, strongest: "sha256"},
		{name: "unknown algorithm kept, not used", in: "md5-XrY7u+Ae7tCTyyK7j1rNww==", want: "md5-XrY7u+Ae7tCTyyK7j1rNww==", strongest: ""},
		{name: "unpadded base64", in: strings.TrimRight(sri512, "="), want: sri512, strongest: "sha512"},
		{name: "empty", in: "", wantErr: "empty integrity"},
		{name: "blank", in: "  \n", wantErr: "empty integrity"},
		{name: "no dash", in: "sha512", wantErr: "not <algorithm>-<base64 digest>"},
		{name: "leading dash", in: "-abc", wantErr: "not <algorithm>-<base64 digest>"},
		{name: "uppercase algorithm", in: "SHA512-" + b64(sum512[:]), wantErr: "lowercase letters and digits"},
		{name: "bad base64", in: "sha512-!!!!", wantErr: "not base64"},
		{name: "empty digest", in: "sha512-?x", wantErr: "digest is empty"},
		{name: "wrong length", in: "sha512-" + b64(sum1[:]), wantErr: "is 20 bytes, want 64"},
		{name: "one bad token spoils all", in: sri512 + " sha1-zz", wantErr: "sha1 digest"},
		{name: "hex is not base64 sri", in: "sha1-" + hex.EncodeToString(sum1[:]), wantErr: "sha1 digest"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Parse(%q) error = %v, want containing %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if s := got.String(); s != tt.want {
				t.Errorf("String() = %q, want %q", s, tt.want)
			}
			h, ok := got.Strongest()
			if ok != (tt.strongest != "") || h.Algorithm != tt.strongest {
				t.Errorf("Strongest() = %q, %v; want %q", h.Algorithm, ok, tt.strongest)
			}
		})
	}
}

func TestFromShasum(t *testing.T) {
	i, err := FromShasum(hex.EncodeToString(sum1[:]))
	if err != nil {
		t.Fatal(err)
	}
	if i.String() != sri1 {
		t.Fatalf("FromShasum = %q, want %q", i, sri1)
	}
	if h, _ := i.Strongest(); h.Hex() != hex.EncodeToString(sum1[:]) {
		t.Fatalf("Hex() = %s", h.Hex())
	}
	for _, bad := range []string{"", "abc", strings.Repeat("z", 40), strings.Repeat("a", 42)} {
		if _, err := FromShasum(bad); err == nil || !strings.Contains(err.Error(), "invalid shasum") {
			t.Errorf("FromShasum(%q) error = %v", bad, err)
		}
	}
}

func TestHasherSum(t *testing.T) {
	h := NewHasher()
	// Write in pieces: the digest must not depend on chunking.
	h.Write(data[:3])
	h.Write(data[3:])
	if got, want := h.Sum().String(), sri512+" "+sri1; got != want {
		t.Fatalf("Sum = %q, want %q", got, want)
	}
	if h.Shasum() != hex.EncodeToString(sum1[:]) || h.Size() != int64(len(data)) {
		t.Fatalf("Shasum = %s, Size = %d", h.Shasum(), h.Size())
	}
	if got := FromBytes(data).String(); got != sri512+" "+sri1 {
		t.Fatalf("FromBytes = %q", got)
	}
	// sha256 is computed only when the expected value needs it; sha1
	// only when the expected value has no sha512.
	for _, c := range []struct{ expected, sum, shasum string }{
		{sri256, sri512 + " " + sri256 + " " + sri1, hex.EncodeToString(sum1[:])},
		{sri1, sri512 + " " + sri1, hex.EncodeToString(sum1[:])},
		{sri512, sri512, ""},
		{sri1 + " " + sri512, sri512, ""},
		{wrong512, sri512, ""},
		{"md5-XrY7u+Ae7tCTyyK7j1rNww==", sri512 + " " + sri1, hex.EncodeToString(sum1[:])},
	} {
		h2 := NewHasherFor(MustParse(c.expected))
		h2.Write(data[:5])
		h2.Write(data[5:])
		if got := h2.Sum().String(); got != c.sum {
			t.Errorf("NewHasherFor(%.20s).Sum = %q, want %q", c.expected, got, c.sum)
		}
		if got := h2.Shasum(); got != c.shasum {
			t.Errorf("NewHasherFor(%.20s).Shasum = %q, want %q", c.expected, got, c.shasum)
		}
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name     string
		expected string
		mismatch bool
	}{
		{"sha512 match", sri512, false},
		{"sha1 only match", sri1, false},
		{"sha256 match", sri256, false},
		{"sha512 mismatch", wrong512, true},
		// The strongest algorithm decides: a right sha1 does not excuse a wrong sha512.
		{"right sha1, wrong sha512", sri1 + " " + wrong512, true},
		// Any of several digests of the strongest algorithm may match.
		{"one of two sha512", wrong512 + " " + sri512, false},
		{"options ignored", sri512 + "?x", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exp := MustParse(tt.expected)
			h := NewHasherFor(exp)
			h.Write(data)
			err := h.Check(exp)
			var me *MismatchError
			if !tt.mismatch {
				if err != nil {
					t.Fatalf("Check: %v", err)
				}
				return
			}
			if !errors.As(err, &me) {
				t.Fatalf("Check error = %v, want *MismatchError", err)
			}
			if me.Expected.String() != exp.String() {
				t.Errorf("Expected = %q", me.Expected)
			}
			if a, _ := me.Actual.Get(SHA512); a.String() != sri512 {
				t.Errorf("Actual sha512 = %q, want %q", a, sri512)
			}
			msg := err.Error()
			if !strings.Contains(msg, wrong512) || !strings.Contains(msg, sri512) {
				t.Errorf("message %q must name expected %s and actual %s", msg, wrong512, sri512)
			}
		})
	}
	t.Run("nothing checkable", func(t *testing.T) {
		h := NewHasher()
		if err := h.Check(MustParse("md5-XrY7u+Ae7tCTyyK7j1rNww==")); !errors.Is(err, ErrNoKnownAlgorithm) {
			t.Fatalf("err = %v, want ErrNoKnownAlgorithm", err)
		}
		if err := h.Check(Integrity{}); !errors.Is(err, ErrNoKnownAlgorithm) {
			t.Fatalf("empty: err = %v, want ErrNoKnownAlgorithm", err)
		}
	})
	t.Run("algorithm not computed", func(t *testing.T) {
		h := NewHasher() // not NewHasherFor: no sha256
		h.Write(data)
		if err := h.Check(MustParse(sri256)); err == nil || !strings.Contains(err.Error(), "not computed") {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestVerifier(t *testing.T) {
	v := NewVerifier(bytes.NewReader(data), MustParse(sri512))
	got, err := io.ReadAll(v)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("ReadAll = %q, %v", got, err)
	}
	// Verified against sha512, sha1 is not computed.
	if v.Sum().String() != sri512 {
		t.Fatalf("Sum = %s", v.Sum())
	}
	v = NewVerifier(bytes.NewReader(data), MustParse(wrong512))
	_, err = io.ReadAll(v)
	var me *MismatchError
	if !errors.As(err, &me) {
		t.Fatalf("err = %v, want mismatch", err)
	}
	// The failure is sticky.
	if _, err := v.Read(make([]byte, 1)); !errors.As(err, &me) {
		t.Fatalf("second Read err = %v", err)
	}
}

func TestMerge(t *testing.T) {
	got := MustParse(sri1).Merge(MustParse(sri512 + " " + sri1))
	if got.String() != sri1+" "+sri512 {
		t.Fatalf("Merge = %q", got)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{sri512, sri1, sri1 + " " + sri512, sri512 + "?a?b", "md5-abc", "", "sha512-", "a-b", "sha1-AAAA===", "x-y?", "\t sha256-" + strings.Repeat("A", 43)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		i, err := Parse(s)
		if err != nil {
			return
		}
		if i.IsZero() {
			t.Fatalf("Parse(%q) gave no hash and no error", s)
		}
		again, err := Parse(i.String())
		if err != nil {
			t.Fatalf("Parse(String()) of %q: %v", i.String(), err)
		}
		if again.String() != i.String() {
			t.Fatalf("round trip %q -> %q", i.String(), again.String())
		}
		for k, h := range i.Hashes {
			if !h.Equal(again.Hashes[k]) {
				t.Fatalf("hash %d changed in round trip", k)
			}
		}
		i.Strongest()
	})
}
