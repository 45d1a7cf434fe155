package cjslexer

import (
	"math/rand"
	"testing"
	"time"
)

// TestMutationsTerminate feeds mutated table sources (with invalid UTF-8,
// surrogates and unusual whitespace mixed in) and fails on any input that
// does not finish quickly: a guard against tokenizer loops that never
// advance.
func TestMutationsTerminate(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	alphabet := []byte("\xff\xed\xa0\x80\xf0\x9f\x98\x80\u00a0\u2028#!0123456789exports.module=({}[])'\"`/ *\n\\$Object.defineProperty keys forEach require,;:ab_")
	for i := 0; i < 50000; i++ {
		base := []byte(lexCases[rng.Intn(len(lexCases))].src)
		n := rng.Intn(12) + 1
		for k := 0; k < n; k++ {
			switch rng.Intn(3) {
			case 0:
				if len(base) > 0 {
					j := rng.Intn(len(base))
					base = append(base[:j], base[j+1:]...)
				}
			case 1:
				j := rng.Intn(len(base) + 1)
				base = append(base[:j], append([]byte{alphabet[rng.Intn(len(alphabet))]}, base[j:]...)...)
			case 2:
				if len(base) > 0 {
					base = base[:rng.Intn(len(base))]
				}
			}
		}
		done := make(chan bool)
		src := append([]byte(nil), base...)
		go func() { Analyze(src); close(done) }()
		select {
		case <-done:
		case <-time.After(2 * time.Second):
			t.Fatalf("hang on %q", src)
		}
	}
}
