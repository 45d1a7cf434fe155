package inflate

import (
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// fuzzLimit bounds the output in the fuzz tests.
const fuzzLimit = 1 << 20

// addCorpusSeeds adds the first bytes of up to max real tarballs from
// $TARBALL_CORPUS, when set, through add.
func addCorpusSeeds(f *testing.F, max int, add func(tgz []byte)) {
	dir := os.Getenv("TARBALL_CORPUS")
	if dir == "" {
		return
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.tgz"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil || len(b) > 64<<10 {
			continue
		}
		add(b)
		if max--; max == 0 {
			return
		}
	}
}

// FuzzInflate holds Inflate to compress/flate on arbitrary raw streams:
// the same output and the same input length, or both refuse (except
// output over the limit, which only Inflate refuses).
func FuzzInflate(f *testing.F) {
	for _, d := range samples() {
		for _, level := range levels {
			f.Add(deflate(f, d[:min(len(d), 5000)], level))
		}
	}
	for _, src := range hostileStreams(f) {
		f.Add(src)
	}
	addCorpusSeeds(f, 30, func(tgz []byte) {
		if p, err := headerLen(tgz); err == nil {
			f.Add(tgz[p : len(tgz)-8])
		}
	})
	f.Fuzz(func(t *testing.T, src []byte) {
		got, used, err := Inflate(src, fuzzLimit, nil)
		want, wused, werr := stdInflate(src)
		// Every fast loop gives the same answer.
		for name, loop := range fastLoops() {
			lgot, lused, lerr := decodeWith(src, len(src), nil, fuzzLimit, loop)
			if !errors.Is(lerr, err) || !bytes.Equal(lgot, got) || lerr == nil && lused != used {
				t.Fatalf("%s loop: %d bytes using %d (%v), fastLoopArch: %d using %d (%v)", name, len(lgot), lused, lerr, len(got), used, err)
			}
		}
		switch {
		case err == nil && werr != nil:
			t.Fatalf("accepted (%d bytes) a stream compress/flate refuses: %v", len(got), werr)
		case err == nil && (!bytes.Equal(got, want) || used != wused):
			t.Fatalf("got %d bytes using %d, compress/flate %d bytes using %d", len(got), used, len(want), wused)
		case errors.Is(err, ErrTooLarge):
			if werr == nil && len(want) <= fuzzLimit {
				t.Fatalf("ErrTooLarge for %d bytes", len(want))
			}
		case err != nil && werr == nil:
			t.Fatalf("refused (%v) a stream compress/flate accepts (%d bytes)", err, len(want))
		}
	})
}

// FuzzGunzip holds Gunzip to compress/gzip (reading one member): whatever
// Gunzip accepts, compress/gzip accepts with the same output; whatever
// compress/gzip accepts as one member ending at the end of the input,
// with at most fuzzLimit bytes, Gunzip accepts.
func FuzzGunzip(f *testing.F) {
	for _, d := range samples() {
		for _, level := range levels {
			f.Add(gz(f, d[:min(len(d), 5000)], level))
		}
	}
	addCorpusSeeds(f, 30, func(tgz []byte) { f.Add(tgz) })
	f.Fuzz(func(t *testing.T, src []byte) {
		got, err := Gunzip(src, fuzzLimit, nil)
		br := bytes.NewReader(src)
		var want []byte
		zr, werr := gzip.NewReader(br)
		if werr == nil {
			zr.Multistream(false)
			var buf bytes.Buffer
			_, werr = buf.ReadFrom(zr)
			want = buf.Bytes()
		}
		if err == nil {
			if werr != nil || !bytes.Equal(got, want) {
				t.Fatalf("accepted %d bytes; compress/gzip: %d bytes, %v", len(got), len(want), werr)
			}
			return
		}
		if werr == nil && br.Len() == 0 && len(want) <= fuzzLimit {
			t.Fatalf("refused (%v) a member compress/gzip accepts (%d bytes)", err, len(want))
		}
	})
}
