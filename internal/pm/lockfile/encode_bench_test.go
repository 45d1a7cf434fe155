package lockfile

import (
	"os"
	"testing"
)

// BenchmarkEncode: the express-app fixture's lockfile, full and hidden.
func BenchmarkEncode(b *testing.B) {
	data, err := os.ReadFile("testdata/express-app.package-lock.json")
	if err != nil {
		b.Fatal(err)
	}
	lf, err := Decode(data)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("direct", func(b *testing.B) {
		for b.Loop() {
			lf.Encode(false)
			lf.Encode(true)
		}
	})
	b.Run("maps", func(b *testing.B) {
		for b.Loop() {
			lf.encodeViaMaps(false)
			lf.encodeViaMaps(true)
		}
	})
}

// BenchmarkDecode: the express-app fixture's lockfile.
func BenchmarkDecode(b *testing.B) {
	data, err := os.ReadFile("testdata/express-app.package-lock.json")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Decode(data); err != nil {
			b.Fatal(err)
		}
	}
}
