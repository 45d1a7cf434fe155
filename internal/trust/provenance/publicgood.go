package provenance

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/sigstore/sigstore-go/pkg/tuf"
)

// publicGoodRoot is a snapshot of the Sigstore public-good instance's
// trusted_root.json (Fulcio CAs, Rekor and CT log keys: public data, taken
// from sigstore-go v1.3.0's examples). It is the fallback when the TUF
// repository cannot be reached; keys rotate, so the TUF copy is preferred.
//
//go:embed public_good_trusted_root.json
var publicGoodRoot []byte

// PublicGoodSnapshot is the embedded snapshot of the public-good trusted root.
func PublicGoodSnapshot() []byte { return publicGoodRoot }

// PublicGoodSource starts the Source of verifiers over the public-good
// root, whichever copy of it they use.
const PublicGoodSource = "sigstore public-good"

// tufTimeout bounds the TUF refresh: an install must not hang on it.
const tufTimeout = 20 * time.Second

// PublicGood returns a verifier for the Sigstore public-good instance. The
// trusted root comes from Sigstore's TUF repository, whose root of trust
// (root.json) is embedded in sigstore-go, cached under cacheDir for a day;
// offline uses the cache only. When TUF fails, the embedded snapshot is
// used and warn says so.
func PublicGood(ctx context.Context, cacheDir string, offline bool, warn func(string)) (*Verifier, error) {
	opts := tuf.DefaultOptions().WithContext(ctx).WithCacheValidity(1)
	tufDir := ""
	if cacheDir != "" {
		tufDir = filepath.Join(cacheDir, "_sigstore-tuf")
		opts = opts.WithCachePath(tufDir)
	} else {
		opts = opts.WithDisableLocalCache()
	}
	if offline {
		if _, err := os.Stat(tufDir); tufDir == "" || err != nil {
			// Nothing cached: TUF would go to the network.
			return NewVerifier(publicGoodRoot, PublicGoodSource+" (embedded snapshot)")
		}
		opts = opts.WithForceCache()
	}
	type result struct {
		b   []byte
		err error
	}
	ch := make(chan result, 1)
	go func() {
		c, err := tuf.New(opts)
		if err != nil {
			ch <- result{err: err}
			return
		}
		b, err := c.GetTarget("trusted_root.json")
		ch <- result{b, err}
	}()
	var r result
	select {
	case r = <-ch:
	case <-time.After(tufTimeout):
		r.err = fmt.Errorf("no answer in %s", tufTimeout)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if r.err == nil {
		if v, err := NewVerifier(r.b, PublicGoodSource+" (TUF)"); err == nil {
			return v, nil
		} else {
			r.err = err
		}
	}
	if warn != nil {
		warn(fmt.Sprintf("could not refresh Sigstore's trusted root through TUF (%v); using the copy built into gnode", r.err))
	}
	return NewVerifier(publicGoodRoot, PublicGoodSource+" (embedded snapshot)")
}
