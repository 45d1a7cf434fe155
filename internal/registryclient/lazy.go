package registryclient

import "context"

type lazyKey struct{}

// WithLazyDecode returns a context under which Packument decodes documents
// with packument.DecodeLazy: each version's manifest is decoded when it is
// first asked for (Packument.Manifest), not up front. An install asks for
// about one version in seventy, so this saves most of the decoding and of
// the decoded documents' memory; callers that read Packument.Versions or
// Packument.Time directly must not use it (read them through the
// packument's accessors instead). The first caller of a package decides
// how its shared document is decoded.
func WithLazyDecode(ctx context.Context) context.Context {
	return context.WithValue(ctx, lazyKey{}, true)
}

func lazyDecode(ctx context.Context) bool {
	v, _ := ctx.Value(lazyKey{}).(bool)
	return v
}
