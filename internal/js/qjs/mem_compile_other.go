//go:build !linux

package qjs

import "errors"

// CompileIsolated needs the page heap, which is Linux only; callers
// compile in their VM instead.
func CompileIsolated(src []byte, filename string, o IsolatedOptions, emit func(bytecode []byte) error) error {
	return errors.New("qjs: isolated compile is not supported on this platform")
}

// IsolatedOptions configure CompileIsolated.
type IsolatedOptions struct {
	MaxStackSlots int
	StripSource   bool
	Module        bool
	Progress      func()
}
