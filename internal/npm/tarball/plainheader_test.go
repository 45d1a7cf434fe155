package tarball

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
)

// stdHeader reads block as the first header of an archive with
// archive/tar (the data that follows is zeros).
func stdHeader(block []byte) (*tar.Header, error) {
	var hdr tar.Header
	h, err := tar.NewReader(io.MultiReader(bytes.NewReader(block), zeros{})).Next()
	if err != nil {
		return nil, err
	}
	hdr = *h
	return &hdr, nil
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// checkPlainHeader holds plainHeader to archive/tar on one block: when it
// takes the block, archive/tar reads the same name, type, size and mode.
func checkPlainHeader(t *testing.T, block []byte) (taken bool) {
	t.Helper()
	got := plainHeader(block)
	if got == nil {
		return false
	}
	want, err := stdHeader(block)
	if err != nil {
		t.Fatalf("plainHeader took a block archive/tar refuses (%v): %+v", err, got)
	}
	if got.Name != want.Name || got.Typeflag != want.Typeflag || got.Size != want.Size || got.Mode != want.Mode || len(want.PAXRecords) != 0 {
		t.Fatalf("plainHeader %q %c %d %o; archive/tar %q %c %d %o %v", got.Name, got.Typeflag, got.Size, got.Mode, want.Name, want.Typeflag, want.Size, want.Mode, want.PAXRecords)
	}
	return true
}

// headerBlock writes one header with archive/tar and returns its first
// block.
func headerBlock(t testing.TB, hdr *tar.Header) []byte {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	if err := tw.WriteHeader(hdr); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()[:blockSize]
}

// setChecksum rewrites a block's checksum field for its current bytes.
func setChecksum(b []byte) []byte {
	copy(b[148:156], "        ")
	var sum int64
	for _, c := range b {
		sum += int64(c)
	}
	copy(b[148:156], fmt.Sprintf("%06o\x00 ", sum))
	return b
}

func TestPlainHeaderMatchesArchiveTar(t *testing.T) {
	long := strings.Repeat("d/", 60) + "file.js" // needs the prefix field
	type tc struct {
		block []byte
		taken bool
	}
	ustar := func(name string, typ byte, size int64) []byte {
		return headerBlock(t, &tar.Header{Name: name, Typeflag: typ, Size: size, Mode: 0o644, Format: tar.FormatUSTAR})
	}
	edit := func(b []byte, f func(b []byte)) []byte {
		b = append([]byte(nil), b...)
		f(b)
		return setChecksum(b)
	}
	base := ustar("package/index.js", tar.TypeReg, 1234)
	cases := map[string]tc{
		"file":                  {base, true},
		"folder":                {ustar("package/lib/", tar.TypeDir, 0), true},
		"prefix":                {ustar("package/"+long, tar.TypeReg, 5), true},
		"empty file":            {ustar("package/empty", tar.TypeReg, 0), true},
		"big size":              {ustar("package/big", tar.TypeReg, 1<<33-1), true},
		"spaces in size":        {edit(base, func(b []byte) { copy(b[124:136], "  2322     \x00") }), true},
		"size ends without NUL": {edit(base, func(b []byte) { copy(b[124:136], "00000002322 ") }), true},
		"empty mode":            {edit(base, func(b []byte) { clear(b[100:108]) }), true},
		"NUL inside size":       {edit(base, func(b []byte) { copy(b[124:136], "0002\x00322    ") }), false},
		"base-256 size":         {edit(base, func(b []byte) { copy(b[124:136], "\x80\x00\x00\x00\x00\x00\x00\x00\x00\x00\x04\xd2") }), false},
		"8 in mode":             {edit(base, func(b []byte) { copy(b[100:108], "0000648\x00") }), false},
		"bad uid":               {edit(base, func(b []byte) { copy(b[108:116], "x\x00") }), false},
		"bad devminor":          {edit(base, func(b []byte) { copy(b[337:345], "9") }), false},
		"bad checksum":          {func() []byte { b := append([]byte(nil), base...); b[0] ^= 1; return b }(), false},
		"signed checksum": {func() []byte {
			b := edit(base, func(b []byte) { b[20] = 0xe9 }) // non-ASCII name byte
			var signed int64
			copy(b[148:156], "        ")
			for _, c := range b {
				signed += int64(int8(c))
			}
			copy(b[148:156], fmt.Sprintf("%06o\x00 ", signed))
			return b
		}(), false},
		"non-ASCII name": {edit(base, func(b []byte) { copy(b[8:], "é.js\x00") }), true},
		"gnu":            {headerBlock(t, &tar.Header{Name: "package/a", Typeflag: tar.TypeReg, Size: 3, Mode: 0o644, Format: tar.FormatGNU}), false},
		"v7":             {edit(base, func(b []byte) { clear(b[257:265]) }), false},
		"star":           {edit(base, func(b []byte) { copy(b[508:512], "tar\x00") }), false},
		"pax":            {headerBlock(t, &tar.Header{Name: "package/" + strings.Repeat("x", 120), Typeflag: tar.TypeReg, Size: 3, Mode: 0o644, Format: tar.FormatPAX}), false},
		"old regular":    {edit(base, func(b []byte) { b[156] = 0 }), false},
		"symlink":        {headerBlock(t, &tar.Header{Name: "package/l", Linkname: "x", Typeflag: tar.TypeSymlink, Format: tar.FormatUSTAR}), false},
		"dot-dot":        {ustar("package/../../x", tar.TypeReg, 1), false},
		"absolute":       {ustar("/etc/x", tar.TypeReg, 1), false},
		"zero block":     {make([]byte, blockSize), false},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if taken := checkPlainHeader(t, c.block); taken != c.taken {
				t.Fatalf("taken = %v, want %v", taken, c.taken)
			}
		})
	}
}

// FuzzPlainHeader: any block plainHeader takes, archive/tar reads the same.
func FuzzPlainHeader(f *testing.F) {
	for _, name := range []string{"package/package.json", "package/" + strings.Repeat("ab/", 50) + "c", "package/x"} {
		f.Add(headerBlock(f, &tar.Header{Name: name, Typeflag: tar.TypeReg, Size: 77, Mode: 0o755, Format: tar.FormatUSTAR}))
		f.Add(headerBlock(f, &tar.Header{Name: name + "/", Typeflag: tar.TypeDir, Mode: 0o755, Format: tar.FormatUSTAR}))
	}
	f.Fuzz(func(t *testing.T, block []byte) {
		if len(block) < blockSize {
			block = append(block, make([]byte, blockSize-len(block))...)
		}
		checkPlainHeader(t, block[:blockSize])
		// And with the checksum made right, so mutations get past it.
		checkPlainHeader(t, setChecksum(append([]byte(nil), block[:blockSize]...)))
	})
}
