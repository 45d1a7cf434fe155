package qjs

import (
	"errors"
	"strings"

	lib "modernc.org/libquickjs"
)

// JSError is a JavaScript exception seen from Go.
type JSError struct {
	Name    string
	Message string
	Stack   string // QuickJS backtrace lines ("    at f (file:line:col)")
	// value is the thrown value, pinned in the VM until Release or Close.
	vm  *VM
	pin int32
}

func (e *JSError) Error() string {
	if e.Name == "" {
		return e.Message
	}
	if e.Message == "" {
		return e.Name
	}
	return e.Name + ": " + e.Message
}

// Value returns the thrown value (borrowed; valid until Release).
func (e *JSError) Value() Value {
	if e.vm == nil || e.vm.pinned == nil {
		return Undefined
	}
	return Value{e.vm.pinned[e.pin]}
}

// Release drops the VM's reference to the thrown value.
func (e *JSError) Release() {
	if e.vm == nil || e.vm.pinned == nil {
		return
	}
	if v, ok := e.vm.pinned[e.pin]; ok {
		delete(e.vm.pinned, e.pin)
		lib.XFreeValue(e.vm.tls, e.vm.ctx, v)
	}
}

// pin keeps v (owned) alive until unpinned; returns its key.
func (vm *VM) pin(v lib.TJSValue) int32 {
	vm.pinSeq++
	vm.pinned[vm.pinSeq] = v
	return vm.pinSeq
}

// exception takes the pending exception and returns it as a *JSError.
func (vm *VM) exception() error {
	ex := lib.XJS_GetException(vm.tls, vm.ctx)
	return vm.errorFromValue(Value{ex})
}

// errorFromValue wraps an owned thrown value in a *JSError.
func (vm *VM) errorFromValue(ex Value) *JSError {
	e := &JSError{vm: vm}
	if ex.IsObject() {
		e.Name = vm.Str(vm.getTmp(ex, "name"))
		e.Message = vm.Str(vm.getTmp(ex, "message"))
		e.Stack = vm.Str(vm.getTmp(ex, "stack"))
		vm.freeTmp()
	} else {
		e.Message = "Uncaught " + vm.Str(ex)
	}
	e.pin = vm.pin(ex.v)
	return e
}

func (vm *VM) getTmp(obj Value, name string) Value {
	r := lib.XGetProperty(vm.tls, vm.ctx, obj.v, vm.atom(name))
	if r.Ftag == tagException {
		vm.clearException()
		return Undefined
	}
	vm.tmp = append(vm.tmp, Value{r})
	return Value{r}
}

func (vm *VM) freeTmp() {
	for _, v := range vm.tmp {
		vm.Free(v)
	}
	vm.tmp = vm.tmp[:0]
}

func (vm *VM) clearException() {
	ex := lib.XJS_GetException(vm.tls, vm.ctx)
	lib.XFreeValue(vm.tls, vm.ctx, ex)
}

// HasException reports whether an exception is pending.
func (vm *VM) HasException() bool { return lib.XJS_HasException(vm.tls, vm.ctx) != 0 }

// thrown is an error that throws a specific JS value.
type thrown struct {
	v Value
}

func (t *thrown) Error() string { return "javascript value thrown" }

// Throw returns an error that, returned from a Func, throws v (taking
// ownership of v).
func (vm *VM) Throw(v Value) error { return &thrown{v} }

// NewError creates an Error object (of constructor kind "Error",
// "TypeError", "RangeError", ...) with message.
func (vm *VM) NewError(kind, message string) Value {
	g := vm.Global()
	ctor := vm.GetV(g, kind)
	vm.Free(g)
	if !vm.IsFunction(ctor) {
		vm.Free(ctor)
		e := lib.XJS_NewError(vm.tls, vm.ctx)
		vm.Set(Value{e}, "message", vm.String(message))
		return Value{e}
	}
	msg := vm.String(message)
	e, err := vm.New(ctor, msg)
	vm.Free(msg)
	vm.Free(ctor)
	if err != nil {
		if je, ok := err.(*JSError); ok {
			v := vm.Dup(je.Value())
			je.Release()
			return v
		}
	}
	return e
}

// TypeError returns an error that throws a TypeError with msg.
func (vm *VM) TypeError(msg string) error { return vm.Throw(vm.NewError("TypeError", msg)) }

// RangeError returns an error that throws a RangeError with msg.
func (vm *VM) RangeError(msg string) error { return vm.Throw(vm.NewError("RangeError", msg)) }

// throwGo converts a Go error to a pending JS exception.
func (vm *VM) throwGo(err error) lib.TJSValue {
	var v Value
	var t *thrown
	var je *JSError
	switch {
	case errors.As(err, &t):
		v = t.v
	case errors.As(err, &je) && je.vm == vm && vm.pinned != nil:
		v = vm.Dup(je.Value())
		je.Release()
	case vm.ErrorValue != nil:
		v = vm.ErrorValue(vm, err)
	default:
		v = vm.NewError("Error", err.Error())
	}
	return lib.XJS_Throw(vm.tls, vm.ctx, v.v)
}

// ThrowNow makes err the pending exception and returns the exception
// marker, for code that runs inside engine callbacks.
func (vm *VM) ThrowNow(err error) Value { return Value{vm.throwGo(err)} }

// StackLines splits a QuickJS backtrace into frames.
func StackLines(stack string) []string {
	var out []string
	for _, l := range strings.Split(stack, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}
