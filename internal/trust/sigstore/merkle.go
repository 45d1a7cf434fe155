package sigstore

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// verifyInclusion checks an RFC 9162 inclusion proof of body in the log
// and the log's signed checkpoint (a signed note) for that tree.
func verifyInclusion(lk *LogKey, index, size json.Number, rootB64 string, hashesB64 []string, checkpoint string, body []byte) error {
	idx, err1 := strconv.ParseUint(string(index), 10, 64)
	n, err2 := strconv.ParseUint(string(size), 10, 64)
	if err1 != nil || err2 != nil || idx >= n {
		return fmt.Errorf("bad index %s or tree size %s", index, size)
	}
	root, err := base64.StdEncoding.DecodeString(rootB64)
	if err != nil {
		return fmt.Errorf("root hash: %w", err)
	}
	proof := make([][]byte, len(hashesB64))
	for i, h := range hashesB64 {
		if proof[i], err = base64.StdEncoding.DecodeString(h); err != nil {
			return fmt.Errorf("proof hash %d: %w", i, err)
		}
	}
	leaf := sha256.Sum256(append([]byte{0}, body...))
	if !bytes.Equal(rootFromProof(idx, n, leaf[:], proof), root) {
		return errors.New("the proof does not lead to the root hash")
	}
	if checkpoint == "" {
		return errors.New("no signed checkpoint")
	}
	return verifyCheckpoint(lk, checkpoint, n, root)
}

func nodeHash(l, r []byte) []byte {
	h := sha256.New()
	h.Write([]byte{1})
	h.Write(l)
	h.Write(r)
	return h.Sum(nil)
}

// rootFromProof recomputes the tree head from a leaf hash and its audit
// path (RFC 9162 section 2.1.3.2); nil when the path has the wrong shape.
func rootFromProof(index, size uint64, leaf []byte, proof [][]byte) []byte {
	fn, sn := index, size-1
	r := leaf
	for _, p := range proof {
		if sn == 0 {
			return nil
		}
		if fn&1 == 1 || fn == sn {
			r = nodeHash(p, r)
			for fn&1 == 0 && fn != 0 {
				fn >>= 1
				sn >>= 1
			}
		} else {
			r = nodeHash(r, p)
		}
		fn >>= 1
		sn >>= 1
	}
	if sn != 0 {
		return nil
	}
	return r
}

// verifyCheckpoint checks a signed note: "origin\nsize\nbase64 root\n[...]\n\n"
// followed by "— name base64(keyhint[4] || signature)" lines, one of which
// must verify with the log's key.
func verifyCheckpoint(lk *LogKey, note string, size uint64, root []byte) error {
	text, sigs, ok := strings.Cut(note, "\n\n")
	if !ok {
		return errors.New("checkpoint is not a signed note")
	}
	text += "\n"
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) < 3 {
		return errors.New("checkpoint has too few lines")
	}
	if lines[1] != strconv.FormatUint(size, 10) {
		return fmt.Errorf("checkpoint is for tree size %s, the proof for %d", lines[1], size)
	}
	if r, err := base64.StdEncoding.DecodeString(lines[2]); err != nil || !bytes.Equal(r, root) {
		return errors.New("checkpoint is for another root hash")
	}
	for _, line := range strings.Split(sigs, "\n") {
		rest, ok := strings.CutPrefix(line, "\u2014 ")
		if !ok {
			continue
		}
		_, b64, ok := strings.Cut(rest, " ")
		if !ok {
			continue
		}
		raw, err := base64.StdEncoding.DecodeString(b64)
		if err != nil || len(raw) < 5 {
			continue
		}
		if verifySignature(lk.Key, []byte(text), raw[4:]) == nil {
			return nil
		}
	}
	return errors.New("no checkpoint signature verifies with the log's key")
}
