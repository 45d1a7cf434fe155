package packument

import "context"

type receivedKey struct{}

// WithReceived returns a context carrying fn, which whoever fetches a
// document for that context calls (through Received) once the document's
// bytes have arrived and before it decodes them. The resolver holds one of
// a bounded number of request slots per packument: releasing it when the
// bytes are in, rather than after decoding (milliseconds for big
// documents, far longer when the process waits for a core), lets the next
// request start while this one decodes. fn may be called more than once
// and must be cheap.
func WithReceived(ctx context.Context, fn func()) context.Context {
	return context.WithValue(ctx, receivedKey{}, fn)
}

// Received calls the function WithReceived put in ctx, if any.
func Received(ctx context.Context) {
	if fn, ok := ctx.Value(receivedKey{}).(func()); ok && fn != nil {
		fn()
	}
}

type neededKey struct{}

// WithNeeded returns a context carrying needed, a channel its owner closes
// once it is blocked waiting for the document (the resolver needs it to
// go on), while a request made for ctx may still be queued behind
// speculative ones. A fetcher that queues requests serves those whose
// channel is closed first (see Needed).
func WithNeeded(ctx context.Context, needed <-chan struct{}) context.Context {
	return context.WithValue(ctx, neededKey{}, needed)
}

// Needed returns the channel WithNeeded put in ctx, or nil.
func Needed(ctx context.Context) <-chan struct{} {
	ch, _ := ctx.Value(neededKey{}).(<-chan struct{})
	return ch
}
