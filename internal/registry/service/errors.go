// Package service is the registry's business logic: publish validation,
// packument derivation, dist-tags, accounts and tokens, signing, search,
// audit and the uplink proxy. It knows nothing of HTTP; handlers in
// httpapi translate its errors to statuses through Kind.
package service

import (
	"errors"
	"fmt"

	"gnode/internal/registry/meta"
)

// Kind classifies an error for the transport layer.
type Kind int

const (
	KindInternal Kind = iota
	KindInvalid
	KindUnauthorized
	KindForbidden
	KindNotFound
	KindConflict
	KindTooLarge
)

// Error is an error with a kind and a message for the client.
type Error struct {
	Kind Kind
	Msg  string
}

func (e *Error) Error() string { return e.Msg }

func errorf(k Kind, format string, args ...any) error {
	return &Error{Kind: k, Msg: fmt.Sprintf(format, args...)}
}

// KindOf maps any error to its kind, including the metadata store's sentinels.
func KindOf(err error) Kind {
	var e *Error
	switch {
	case errors.As(err, &e):
		return e.Kind
	case errors.Is(err, meta.ErrNotFound):
		return KindNotFound
	case errors.Is(err, meta.ErrExists):
		return KindConflict
	case errors.Is(err, meta.ErrForbidden):
		return KindForbidden
	}
	return KindInternal
}
