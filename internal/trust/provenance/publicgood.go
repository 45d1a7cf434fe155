package provenance

import (
	_ "embed"
)

// publicGoodRoot is a snapshot of the Sigstore public-good instance's
// trusted_root.json (Fulcio CAs, Rekor and CT log keys: public data, taken
// from sigstore-go v1.3.0's examples). It is not refreshed through TUF:
// go-tuf pulls protobuf and more into every gnode command. Keys rotate
// rarely; a root that no longer knows a signer makes verification fail
// (closed), and `sigstore-trusted-root=PATH` names a newer one meanwhile.
//
//go:embed public_good_trusted_root.json
var publicGoodRoot []byte

// PublicGoodSnapshot is the embedded snapshot of the public-good trusted root.
func PublicGoodSnapshot() []byte { return publicGoodRoot }

// PublicGoodSource is the Source of the public-good verifier.
const PublicGoodSource = "sigstore public-good (built-in snapshot)"

// PublicGood returns a verifier for the Sigstore public-good instance.
func PublicGood() (*Verifier, error) {
	return NewVerifier(publicGoodRoot, PublicGoodSource)
}
