package runtime

import (
	"encoding/base64"
	"testing"
)

// Benchmarks of the byte loops against the standard library's, on 1 MB.

// benchBytes is the 1 MB input of the byte-loop benchmarks: every byte
// value, in a pattern no codec special-cases.
func benchBytes() []byte {
	src := make([]byte, 1<<20)
	for i := range src {
		src[i] = byte(i * 7)
	}
	return src
}

func BenchmarkDecodeBase64Into(b *testing.B) {
	src := benchBytes()
	text := []byte(base64.StdEncoding.EncodeToString(src))
	dst := make([]byte, len(src))
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		decodeBase64Into(dst, text)
	}
}

func BenchmarkStdlibBase64Decode(b *testing.B) {
	src := benchBytes()
	text := []byte(base64.StdEncoding.EncodeToString(src))
	dst := make([]byte, len(src))
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		base64.StdEncoding.Decode(dst, text)
	}
}

func BenchmarkDecodeHex(b *testing.B) {
	src := benchBytes()
	text := make([]byte, 2*len(src))
	encodeHex(text, src)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		decodeHex(src, text)
	}
}

func BenchmarkLatin1ToUTF8(b *testing.B) {
	src := make([]byte, 1<<20)
	for i := range src {
		src[i] = 'a' + byte(i%26)
	}
	dst := make([]byte, 2*len(src))
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		latin1ToUTF8(dst, src)
	}
}

func BenchmarkEncodeHex(b *testing.B) {
	src := benchBytes()
	dst := make([]byte, 2*len(src))
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		encodeHex(dst, src)
	}
}
