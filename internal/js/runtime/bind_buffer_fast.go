package runtime

import (
	"bytes"
	"encoding/binary"
	"math"

	"gnode/internal/js/qjs"
)

// Native Buffer methods. Every call from JavaScript into the engine costs
// about as much as the whole operation does in Node: a method lookup on a
// typed array (the engine first checks whether the name is a numeric
// index), a JavaScript frame, and each `this.length` (a getter call through
// the prototype chain) are 50-150 ns apiece here, so a Buffer method
// written in JavaScript over a binding call spent 0.5-1 µs on a 20-byte
// toString. The functions below are the methods themselves: one native call
// per operation. Each handles its common calls exactly as lib/buffer.js's
// JavaScript does and hands anything else (odd arguments, other encodings,
// errors to throw) to that JavaScript implementation, so behaviour stays
// buffer.js's.
//
// Small Buffers come from an 8 KiB pool as in Node; the pool lives here so
// native and JavaScript allocations share it (buffer.js's allocate calls
// poolAlloc).

// bufEncoding is an encoding the native methods handle.
type bufEncoding int

const (
	encUnknown bufEncoding = iota
	encUTF8
	encHex
	encBase64
	encBase64URL
	encLatin1
	encASCII
)

// encodingArg reads an encoding argument: undefined is UTF-8; the names
// buffer.js's own switch statements take are recognised (other spellings
// such as 'UTF8' or 'ucs2' are encUnknown, left to JavaScript).
func encodingArg(vm *qjs.VM, v qjs.Value) bufEncoding {
	if v.IsUndefined() {
		return encUTF8
	}
	enc := encUnknown
	l1, _, flat, ok := vm.StringData(v)
	if !ok {
		return encUnknown
	}
	switch string(l1) {
	case "utf8", "utf-8":
		enc = encUTF8
	case "hex":
		enc = encHex
	case "base64":
		enc = encBase64
	case "base64url":
		enc = encBase64URL
	case "latin1", "binary":
		enc = encLatin1
	case "ascii":
		enc = encASCII
	}
	vm.Free(flat)
	return enc
}

// numArg is a number argument (ok false for anything else, undefined
// included).
func numArg(v qjs.Value) (float64, bool) { return qjs.Num(v) }

// indexArg is an integer argument in [0, 2^31), the form buffer.js's fast
// checks ((x | 0) === x && x >= 0) accept.
func indexArg(v qjs.Value) (int, bool) {
	if n, ok := qjs.SmallInt(v); ok {
		return n, n >= 0
	}
	f, ok := qjs.Num(v)
	if !ok || f != math.Trunc(f) || f < 0 || f > math.MaxInt32 {
		return 0, false
	}
	return int(f), true
}

type bufFast struct {
	r      *rt
	ctor   qjs.Value // Buffer (borrowed from r.held)
	proto  qjs.Value // Buffer.prototype, FastBuffer's
	holder qjs.Value // [pool]: holds the current pool's reference
	pool   qjs.Value // borrowed from holder
	off    int       // next free byte of the pool
	kPool  qjs.PropKey
	cPool  qjs.SlotCache // where Buffer keeps poolSize
}

// poolSize reads Buffer.poolSize (programs may change it). ok is false
// when it is not a plain size: buffer.js's arithmetic then decides.
func (f *bufFast) poolSize(vm *qjs.VM) (int, bool) {
	// Read from Buffer's own slot while poolSize is a plain data property
	// (no engine lookup), else through the engine (a getter runs).
	v, ok := qjs.OwnData(f.ctor, f.kPool, &f.cPool)
	if !ok {
		var err error
		if v, err = vm.GetKey(f.ctor, f.kPool); err != nil {
			return 0, false
		}
		defer vm.Free(v)
	}
	// An integer from 0 to 1 GiB; anything else (a fraction, a string, a
	// negative size whose pool buffer.js cannot create) is left to
	// buffer.js's own arithmetic.
	n, ok := qjs.SmallInt(v)
	if !ok || n < 0 || n > 1<<30 {
		return 0, false
	}
	return n, true
}

// alloc returns a new zero-filled Buffer of n > 0 bytes, from the pool when
// n is under half of Buffer.poolSize as in Node (allocate in buffer.js),
// with its bytes. ok is false when Buffer.poolSize is not a number.
func (f *bufFast) alloc(vm *qjs.VM, n int) (qjs.Value, []byte, bool) {
	ps, ok := f.poolSize(vm)
	if !ok {
		return qjs.Undefined, nil, false
	}
	return f.allocWith(vm, n, ps)
}

// allocWith is alloc with Buffer.poolSize already read.
func (f *bufFast) allocWith(vm *qjs.VM, n, ps int) (qjs.Value, []byte, bool) {
	if n < int(uint32(ps)>>1) {
		size, live := qjs.ArrayBufferLen(f.pool)
		if !live || n > size-f.off {
			ab := vm.NewArrayBufferZero(ps)
			if _, ok := qjs.ArrayBufferLen(ab); !ok {
				vm.Free(ab) // out of memory: buffer.js reports it
				return qjs.Undefined, nil, false
			}
			f.pool = ab
			vm.SetIndex(f.holder, 0, ab)
			f.off = 0
		}
		v, ok := vm.NewUint8View(f.pool, f.off, n, f.proto)
		if !ok {
			return qjs.Undefined, nil, false
		}
		f.off = (f.off + n + 7) &^ 7
		b, _ := vm.Uint8ArrayBytes(v)
		return v, b, true
	}
	return f.own(vm, n)
}

// own returns a zero-filled Buffer of n bytes with an ArrayBuffer of its
// own (newBuffer in buffer.js: Go's heap from 2 MiB).
func (f *bufFast) own(vm *qjs.VM, n int) (qjs.Value, []byte, bool) {
	var ab qjs.Value
	if n >= 2<<20 {
		ab = vm.NewArrayBuffer(make([]byte, n))
	} else {
		ab = vm.NewArrayBufferZero(n)
	}
	v, ok := vm.NewUint8View(ab, 0, n, f.proto)
	vm.Free(ab)
	if !ok {
		return qjs.Undefined, nil, false
	}
	b, _ := vm.Uint8ArrayBytes(v)
	return v, b, true
}

// empty is `new FastBuffer()`.
func (f *bufFast) empty(vm *qjs.VM) (qjs.Value, bool) {
	v, _, ok := f.own(vm, 0)
	return v, ok
}

// hold keeps v alive until the run closes and returns it.
func (r *rt) hold(v qjs.Value) qjs.Value {
	r.held = append(r.held, v)
	return v
}

// twinFn is a native twin's body; slow is the JavaScript version it falls
// back to.
type twinFn func(vm *qjs.VM, this qjs.Value, a []qjs.Value, slow qjs.Value) (qjs.Value, error)

// twinDefiner returns def(name, fn), which sets m[name] to a native function
// with slow[name]'s name and length whose body is fn, called with slow[name]
// (held for the run) as its fallback; nothing when slow[name] is not a
// function.
func (r *rt) twinDefiner(vm *qjs.VM, slow, m qjs.Value) func(name string, fn twinFn) {
	return func(name string, fn twinFn) {
		s := r.hold(vm.GetV(slow, name))
		if !vm.IsFunction(s) {
			return
		}
		nv, lv := vm.GetV(s, "name"), vm.GetV(s, "length")
		fname, length := vm.Str(nv), int(vm.Int(lv))
		vm.FreeAll(nv, lv)
		vm.Set(m, name, vm.Function(fname, length, func(vm *qjs.VM, this qjs.Value, a []qjs.Value) (qjs.Value, error) {
			return fn(vm, this, a, s)
		}))
	}
}

// bindBufferFast adds fastMethods to the buffer binding:
// fastMethods(Buffer, slow) returns native versions of the methods in slow
// (buffer.js's JavaScript implementations, called for anything the native
// side does not handle) plus poolAlloc(size), for buffer.js to install.
func bindBufferFast(r *rt, obj qjs.Value) {
	r.fn(obj, "fastMethods", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		hold := r.hold
		ctor, slow := qjs.Arg(a, 0), qjs.Arg(a, 1)
		f := &bufFast{r: r, ctor: hold(vm.Dup(ctor)), kPool: vm.Key("poolSize")}
		f.proto = hold(vm.GetV(ctor, "prototype"))
		f.holder = hold(vm.Array())
		m := vm.Object()
		def := r.twinDefiner(vm, slow, m)
		callSlow := func(vm *qjs.VM, s, this qjs.Value, a []qjs.Value) (qjs.Value, error) {
			return vm.Call(s, this, a...)
		}

		def("toString", func(vm *qjs.VM, this qjs.Value, a []qjs.Value, s qjs.Value) (qjs.Value, error) {
			b, ok := vm.Uint8ArrayBytes(this)
			if !ok || len(a) > 3 {
				return callSlow(vm, s, this, a)
			}
			enc := encodingArg(vm, qjs.Arg(a, 0))
			if enc == encUnknown {
				return callSlow(vm, s, this, a)
			}
			start, end := qjs.Arg(a, 1), qjs.Arg(a, 2)
			if !start.IsUndefined() || !end.IsUndefined() {
				// buffer.js's range arithmetic, for number (or undefined)
				// bounds: undefined acts as NaN.
				st, ok1 := numArg(start)
				en, ok2 := numArg(end)
				if (!ok1 && !start.IsUndefined()) || (!ok2 && !end.IsUndefined()) {
					return callSlow(vm, s, this, a)
				}
				if start.IsUndefined() {
					st = math.NaN()
				}
				n := float64(len(b))
				switch {
				case st <= 0:
					st = 0
				case st >= n:
					return vm.String(""), nil
				default:
					st = math.Trunc(st)
					if math.IsNaN(st) {
						st = 0
					}
				}
				if end.IsUndefined() || en > n {
					en = n
				} else {
					en = math.Trunc(en)
					if math.IsNaN(en) {
						en = 0
					}
				}
				if en <= st {
					return vm.String(""), nil
				}
				b = b[int(st):int(en)]
			}
			return encodeSlice(vm, enc, b), nil
		})
		def("write", func(vm *qjs.VM, this qjs.Value, a []qjs.Value, s qjs.Value) (qjs.Value, error) {
			buf, ok := vm.Uint8ArrayBytes(this)
			str := qjs.Arg(a, 0)
			if !ok || !str.IsString() || len(a) > 4 {
				return callSlow(vm, s, this, a)
			}
			off, length, encArg := qjs.Arg(a, 1), qjs.Arg(a, 2), qjs.Arg(a, 3)
			if off.IsUndefined() {
				// buffer.js writes UTF-8 over the whole buffer then,
				// whatever follows.
				return qjs.Int(int32(utf8WriteTo(vm, str, buf))), nil
			}
			// The forms write(s, enc), write(s, off), write(s, off, enc),
			// write(s, off, len[, enc]) with integer offset and length
			// inside the buffer.
			o := 0
			if off.IsString() && len(a) == 2 {
				encArg = off
			} else {
				var ok bool
				if o, ok = indexArg(off); !ok || o > len(buf) {
					return callSlow(vm, s, this, a)
				}
			}
			n := len(buf) - o
			if length.IsString() && len(a) == 3 {
				encArg = length
			} else if !length.IsUndefined() {
				l, ok := indexArg(length)
				if !ok || l > len(buf) {
					return callSlow(vm, s, this, a)
				}
				n = min(n, l)
			}
			enc := encodingArg(vm, encArg)
			if enc == encUnknown {
				return callSlow(vm, s, this, a)
			}
			return qjs.Int(int32(encodeWrite(vm, enc, str, buf[o:o+n]))), nil
		})
		def("equals", func(vm *qjs.VM, this qjs.Value, a []qjs.Value, s qjs.Value) (qjs.Value, error) {
			x, ok1 := vm.Uint8ArrayBytes(this)
			y, ok2 := vm.Uint8ArrayBytes(qjs.Arg(a, 0))
			if !ok1 || !ok2 {
				return callSlow(vm, s, this, a)
			}
			return qjs.Bool(bytes.Equal(x, y)), nil
		})
		def("compare", func(vm *qjs.VM, this qjs.Value, a []qjs.Value, s qjs.Value) (qjs.Value, error) {
			x, ok1 := vm.Uint8ArrayBytes(this)
			y, ok2 := vm.Uint8ArrayBytes(qjs.Arg(a, 0))
			if !ok1 || !ok2 || len(a) > 1 {
				return callSlow(vm, s, this, a)
			}
			return qjs.Int(int32(bytes.Compare(x, y))), nil
		})
		// buf.utf8Slice(start, end), buf.hexWrite(str, offset, length) and
		// the other per-encoding methods Node has on Buffer.prototype, for
		// integer arguments inside the buffer.
		for _, e := range []struct {
			name string
			enc  bufEncoding
		}{{"utf8", encUTF8}, {"hex", encHex}, {"base64", encBase64}, {"base64url", encBase64URL}, {"latin1", encLatin1}, {"ascii", encASCII}} {
			enc := e.enc
			def(e.name+"Slice", func(vm *qjs.VM, this qjs.Value, a []qjs.Value, s qjs.Value) (qjs.Value, error) {
				b, ok := vm.Uint8ArrayBytes(this)
				if !ok || len(a) > 2 {
					return callSlow(vm, s, this, a)
				}
				st, en := 0, len(b)
				if v := qjs.Arg(a, 0); !v.IsUndefined() {
					if st, ok = qjs.SmallInt(v); !ok || st < 0 || st > len(b) {
						return callSlow(vm, s, this, a)
					}
				}
				if v := qjs.Arg(a, 1); !v.IsUndefined() {
					if en, ok = qjs.SmallInt(v); !ok || en > len(b) {
						return callSlow(vm, s, this, a)
					}
				}
				return encodeSlice(vm, enc, b[st:max(en, st)]), nil
			})
			def(e.name+"Write", func(vm *qjs.VM, this qjs.Value, a []qjs.Value, s qjs.Value) (qjs.Value, error) {
				b, ok := vm.Uint8ArrayBytes(this)
				str := qjs.Arg(a, 0)
				if !ok || !str.IsString() || len(a) > 3 {
					return callSlow(vm, s, this, a)
				}
				off := 0
				if v := qjs.Arg(a, 1); !v.IsUndefined() {
					if off, ok = qjs.SmallInt(v); !ok || off < 0 || off > len(b) {
						return callSlow(vm, s, this, a)
					}
				}
				n := len(b) - off
				if v := qjs.Arg(a, 2); !v.IsUndefined() {
					l, ok := qjs.SmallInt(v)
					if !ok {
						return callSlow(vm, s, this, a)
					}
					n = max(min(n, l), 0)
				}
				return qjs.Int(int32(encodeWrite(vm, enc, str, b[off:off+n]))), nil
			})
		}
		// indexOf(value) and includes(value) with no offset or encoding:
		// a non-empty string (as UTF-8), a byte value or a Uint8Array.
		indexOf := func(vm *qjs.VM, this qjs.Value, a []qjs.Value) (int, bool) {
			hay, ok := vm.Uint8ArrayBytes(this)
			if !ok || len(a) != 1 {
				return 0, false
			}
			v := a[0]
			if v.IsString() {
				if l1, u, flat, ok := vm.StringData(v); !ok || len(l1)+len(u) == 0 {
					vm.Free(flat)
					return 0, false
				} else {
					vm.Free(flat)
				}
				return indexOfString(vm, hay, v, 0, true), true
			}
			if n, ok := qjs.SmallInt(v); ok {
				return bytes.IndexByte(hay, byte(n)), true
			}
			if needle, ok := vm.Uint8ArrayBytes(v); ok {
				return bytes.Index(hay, needle), true
			}
			return 0, false
		}
		def("indexOf", func(vm *qjs.VM, this qjs.Value, a []qjs.Value, s qjs.Value) (qjs.Value, error) {
			if i, ok := indexOf(vm, this, a); ok {
				return qjs.Int(int32(i)), nil
			}
			return callSlow(vm, s, this, a)
		})
		def("includes", func(vm *qjs.VM, this qjs.Value, a []qjs.Value, s qjs.Value) (qjs.Value, error) {
			if i, ok := indexOf(vm, this, a); ok {
				return qjs.Bool(i >= 0), nil
			}
			return callSlow(vm, s, this, a)
		})
		// Buffer.compare(a, b) (staticCompare in slow): two Uint8Arrays.
		def("staticCompare", func(vm *qjs.VM, this qjs.Value, a []qjs.Value, s qjs.Value) (qjs.Value, error) {
			x, ok1 := vm.Uint8ArrayBytes(qjs.Arg(a, 0))
			y, ok2 := vm.Uint8ArrayBytes(qjs.Arg(a, 1))
			if !ok1 || !ok2 || len(a) > 2 {
				return callSlow(vm, s, this, a)
			}
			return qjs.Int(int32(bytes.Compare(x, y))), nil
		})
		// slice and subarray: integer bounds in [0, 2^31) (clamped to the
		// length), the form buffer.js's own fast check takes.
		view := func(vm *qjs.VM, this qjs.Value, a []qjs.Value, s qjs.Value) (qjs.Value, error) {
			ab, base, n, ok := vm.Uint8ArrayRange(this)
			if !ok || len(a) > 2 {
				return callSlow(vm, s, this, a)
			}
			st, en := 0, n
			if v := qjs.Arg(a, 0); !v.IsUndefined() {
				if st, ok = indexArg(v); !ok {
					return callSlow(vm, s, this, a)
				}
				st = min(st, n)
			}
			if v := qjs.Arg(a, 1); !v.IsUndefined() {
				if en, ok = indexArg(v); !ok {
					return callSlow(vm, s, this, a)
				}
				en = min(en, n)
			}
			v, ok := vm.NewUint8View(ab, base+st, max(en-st, 0), f.proto)
			if !ok {
				return callSlow(vm, s, this, a)
			}
			return v, nil
		}
		def("slice", view)
		def("subarray", view)
		def("byteLength", func(vm *qjs.VM, this qjs.Value, a []qjs.Value, s qjs.Value) (qjs.Value, error) {
			str := qjs.Arg(a, 0)
			if !str.IsString() || len(a) > 2 || encodingArg(vm, qjs.Arg(a, 1)) != encUTF8 {
				return callSlow(vm, s, this, a)
			}
			return qjs.Int(int32(utf8Len(vm, str))), nil
		})
		// isBuffer is `b instanceof Buffer`: false for a primitive, true
		// for an object made by Buffer (its prototype Buffer.prototype);
		// the JavaScript walks the prototype chain of anything else.
		// Express calls it three times per res.send.
		def("isBuffer", func(vm *qjs.VM, this qjs.Value, a []qjs.Value, s qjs.Value) (qjs.Value, error) {
			b := qjs.Arg(a, 0)
			if !b.IsObject() {
				return qjs.False, nil
			}
			if qjs.HasProto(b, f.proto) {
				return qjs.True, nil
			}
			return callSlow(vm, s, this, a)
		})
		u8ctor := vm.GetV(ctor, "__proto__") // Uint8Array
		u8proto := hold(vm.GetV(u8ctor, "prototype"))
		vm.Free(u8ctor)
		kValueOf := vm.Key("valueOf")
		objectValueOf := hold(vm.GetV(slow, "objectValueOf"))
		def("from", func(vm *qjs.VM, this qjs.Value, a []qjs.Value, s qjs.Value) (qjs.Value, error) {
			str := qjs.Arg(a, 0)
			if b, ok := vm.Uint8ArrayBytes(str); ok && (qjs.HasProto(str, f.proto) || qjs.HasProto(str, u8proto)) {
				// A copy of a Buffer or Uint8Array (buffer.js: an instance
				// of Uint8Array whose valueOf is Object.prototype's).
				vo, err := vm.GetKey(str, kValueOf)
				if err != nil {
					return qjs.Undefined, err
				}
				same := vo.Same(objectValueOf)
				vm.Free(vo)
				if !same {
					return callSlow(vm, s, this, a)
				}
				var v qjs.Value
				if len(b) == 0 {
					v, ok = f.empty(vm)
				} else {
					var dst []byte
					if v, dst, ok = f.alloc(vm, len(b)); ok {
						b, _ = vm.Uint8ArrayBytes(str) // the pool may be new
						copy(dst, b)
					}
				}
				if !ok {
					return callSlow(vm, s, this, a)
				}
				return v, nil
			}
			if !str.IsString() || len(a) > 2 {
				return callSlow(vm, s, this, a)
			}
			enc := encodingArg(vm, qjs.Arg(a, 1))
			if enc == encUnknown {
				return callSlow(vm, s, this, a)
			}
			v, ok := f.fromString(vm, str, enc)
			if !ok {
				return callSlow(vm, s, this, a)
			}
			return v, nil
		})
		def("concat", func(vm *qjs.VM, this qjs.Value, a []qjs.Value, s qjs.Value) (qjs.Value, error) {
			length := -1
			if len(a) == 2 {
				// concat(list, length) with an integer length: the result
				// has length bytes, the rest zero-filled.
				var ok bool
				if length, ok = qjs.SmallInt(a[1]); !ok || length < 0 {
					return callSlow(vm, s, this, a)
				}
			} else if len(a) != 1 {
				return callSlow(vm, s, this, a)
			}
			v, ok, err := f.concat(vm, a[0], length)
			if err != nil {
				return qjs.Undefined, err
			}
			if !ok {
				return callSlow(vm, s, this, a)
			}
			return v, nil
		})
		def("allocUnsafe", func(vm *qjs.VM, this qjs.Value, a []qjs.Value, s qjs.Value) (qjs.Value, error) {
			n, ok := qjs.SmallInt(qjs.Arg(a, 0))
			if !ok || n <= 0 || len(a) != 1 {
				return callSlow(vm, s, this, a)
			}
			v, _, ok := f.alloc(vm, n)
			if !ok {
				return callSlow(vm, s, this, a)
			}
			return v, nil
		})
		def("alloc", func(vm *qjs.VM, this qjs.Value, a []qjs.Value, s qjs.Value) (qjs.Value, error) {
			n, ok := qjs.SmallInt(qjs.Arg(a, 0))
			if !ok || n < 0 || len(a) > 1 {
				return callSlow(vm, s, this, a)
			}
			v, _, ok := f.own(vm, n)
			if !ok {
				return callSlow(vm, s, this, a)
			}
			return v, nil
		})
		for _, nf := range numberFields {
			nf := nf
			read, write := "read"+nf.name, "write"+nf.name
			def(read, func(vm *qjs.VM, this qjs.Value, a []qjs.Value, s qjs.Value) (qjs.Value, error) {
				b, ok := vm.Uint8ArrayBytes(this)
				if !ok || len(a) > 1 {
					return callSlow(vm, s, this, a)
				}
				off, ok := offsetArg(qjs.Arg(a, 0), nf.size, len(b))
				if !ok {
					return callSlow(vm, s, this, a)
				}
				return qjs.Float(nf.get(b[off : off+nf.size])), nil
			})
			def(write, func(vm *qjs.VM, this qjs.Value, a []qjs.Value, s qjs.Value) (qjs.Value, error) {
				b, ok := vm.Uint8ArrayBytes(this)
				if !ok || len(a) > 2 || len(a) == 0 {
					return callSlow(vm, s, this, a)
				}
				v, ok := qjs.Num(a[0])
				if !ok || (!nf.float && !(v >= nf.min && v <= nf.max)) {
					return callSlow(vm, s, this, a)
				}
				off, ok := offsetArg(qjs.Arg(a, 1), nf.size, len(b))
				if !ok {
					return callSlow(vm, s, this, a)
				}
				nf.put(b[off:off+nf.size], v)
				return qjs.Int(int32(off + nf.size)), nil
			})
		}
		// poolAlloc(size) is allocate(size) for 0 < size < poolSize >>> 1:
		// buffer.js's own allocations from the shared pool.
		vm.Set(m, "poolAlloc", vm.Function("poolAlloc", 1, func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
			n, ok := qjs.SmallInt(qjs.Arg(a, 0))
			if !ok || n <= 0 {
				return qjs.Undefined, nil
			}
			v, _, ok := f.alloc(vm, n)
			if !ok {
				return qjs.Undefined, nil
			}
			return v, nil
		}))
		return m, nil
	})
}

// encodeSlice is b as a string in enc.
func encodeSlice(vm *qjs.VM, enc bufEncoding, b []byte) qjs.Value {
	switch enc {
	case encHex:
		return hexSlice(vm, b)
	case encBase64:
		return base64Slice(vm, b, false)
	case encBase64URL:
		return base64Slice(vm, b, true)
	case encLatin1:
		return latin1String(vm, b)
	case encASCII:
		return asciiSlice(vm, b)
	}
	return utf8Slice(vm, b)
}

// encodeWrite writes str into dst in enc and returns the bytes written.
func encodeWrite(vm *qjs.VM, enc bufEncoding, str qjs.Value, dst []byte) int {
	switch enc {
	case encUTF8:
		return utf8WriteTo(vm, str, dst)
	case encHex:
		return hexWriteTo(vm, str, dst)
	case encBase64, encBase64URL:
		return base64WriteTo(vm, str, dst, false)
	}
	return latin1WriteTo(vm, str, dst)
}

// fromString is Buffer.from(str, enc) for strings whose bytes fit the
// pool (bigger ones go to buffer.js, whose bulk path is as fast). The
// bytes are encoded first (into a stack array when short), then copied
// into a pooled Buffer of exactly that size.
func (f *bufFast) fromString(vm *qjs.VM, str qjs.Value, enc bufEncoding) (qjs.Value, bool) {
	var small [256]byte
	var tmp []byte
	var n int
	switch enc {
	case encUTF8:
		n = utf8Len(vm, str)
		if n == 0 {
			return f.empty(vm)
		}
		v, b, ok := f.allocPooled(vm, n)
		if !ok {
			return qjs.Undefined, false
		}
		utf8WriteTo(vm, str, b)
		return v, true
	case encLatin1, encASCII:
		l1, u, flat, ok := vm.StringData(str)
		vm.Free(flat)
		if !ok {
			return qjs.Undefined, false
		}
		n = len(l1) + len(u)
		if n == 0 {
			return f.empty(vm)
		}
		v, b, ok := f.allocPooled(vm, n)
		if !ok {
			return qjs.Undefined, false
		}
		latin1WriteTo(vm, str, b)
		return v, true
	}
	// hex and base64 decode into a scratch array first: the text's length
	// only bounds the result.
	l1, u, flat, ok := vm.StringData(str)
	vm.Free(flat)
	if !ok {
		return qjs.Undefined, false
	}
	room := len(l1) + len(u)
	if enc == encHex {
		room /= 2
	} else {
		room = room*3/4 + 3
	}
	if room <= len(small) {
		tmp = small[:room]
	} else if room < 8192 {
		tmp = make([]byte, room)
	} else {
		return qjs.Undefined, false
	}
	if enc == encHex {
		n = hexWriteTo(vm, str, tmp)
	} else {
		n = base64WriteTo(vm, str, tmp, true)
	}
	if n == 0 {
		return f.empty(vm)
	}
	v, b, ok := f.allocPooled(vm, n)
	if !ok {
		return qjs.Undefined, false
	}
	copy(b, tmp[:n])
	return v, true
}

// allocPooled is alloc for sizes the pool takes (ok false otherwise, and
// when Buffer.poolSize is not a number).
func (f *bufFast) allocPooled(vm *qjs.VM, n int) (qjs.Value, []byte, bool) {
	ps, ok := f.poolSize(vm)
	if !ok || n >= int(uint32(ps)>>1) {
		return qjs.Undefined, nil, false
	}
	return f.allocWith(vm, n, ps)
}

// concat is Buffer.concat(list[, length]) for an array of Uint8Arrays
// (length -1 when absent). ok is false (nothing made) for anything else,
// for buffer.js to handle or throw.
func (f *bufFast) concat(vm *qjs.VM, list qjs.Value, length int) (qjs.Value, bool, error) {
	// A plain dense Array only, its elements read in place (a Proxy's
	// traps, holes and getters run in buffer.js's order).
	view, ok := qjs.ArrayElems(list)
	n := len(view)
	if !ok || n == 0 || n > 64 {
		return qjs.Undefined, false, nil
	}
	total := 0
	for _, el := range view {
		b, ok := vm.Uint8ArrayBytes(el)
		if !ok {
			return qjs.Undefined, false, nil
		}
		total += len(b)
	}
	// Held from here: reading Buffer.poolSize below may run a getter that
	// changes the list.
	var els [64]qjs.Value
	for i, el := range view {
		els[i] = vm.Dup(el)
	}
	defer func() {
		for _, v := range els[:n] {
			vm.Free(v)
		}
	}()
	if length >= 0 {
		total = length
	}
	if total == 0 {
		v, ok := f.empty(vm)
		return v, ok, nil
	}
	v, dst, ok := f.alloc(vm, total)
	if !ok {
		return qjs.Undefined, false, nil
	}
	pos := 0
	for _, el := range els[:n] {
		b, _ := vm.Uint8ArrayBytes(el)
		pos += copy(dst[pos:], b)
		if pos == len(dst) {
			break
		}
	}
	return v, true, nil
}

// offsetArg is a reader's or writer's offset: undefined is 0, else an
// integer number with size bytes from it inside the buffer (buffer.js's
// fast paths take exactly those; anything else goes to its checks).
func offsetArg(v qjs.Value, size, n int) (int, bool) {
	if v.IsUndefined() {
		return 0, size <= n
	}
	f, ok := qjs.Num(v)
	if !ok || f != math.Trunc(f) || f < 0 || f > float64(n-size) {
		return 0, false
	}
	return int(f), true
}

// numberField is one fixed-width number type of the read*/write* methods.
type numberField struct {
	name     string
	size     int
	float    bool
	min, max float64 // the values a writer takes (integers)
	get      func(b []byte) float64
	put      func(b []byte, v float64)
}

// toUint32 is ECMAScript's ToUint32 of a finite number in int64 range (the
// writers' values are in [-2^31, 2^32)), which gives the bytes Node writes
// for fractions too.
func toUint32(v float64) uint32 { return uint32(int64(math.Trunc(v))) }

var numberFields = []numberField{
	{"UInt8", 1, false, 0, 0xff,
		func(b []byte) float64 { return float64(b[0]) },
		func(b []byte, v float64) { b[0] = byte(toUint32(v)) }},
	{"Int8", 1, false, -0x80, 0x7f,
		func(b []byte) float64 { return float64(int8(b[0])) },
		func(b []byte, v float64) { b[0] = byte(toUint32(v)) }},
	{"UInt16LE", 2, false, 0, 0xffff,
		func(b []byte) float64 { return float64(binary.LittleEndian.Uint16(b)) },
		func(b []byte, v float64) { binary.LittleEndian.PutUint16(b, uint16(toUint32(v))) }},
	{"UInt16BE", 2, false, 0, 0xffff,
		func(b []byte) float64 { return float64(binary.BigEndian.Uint16(b)) },
		func(b []byte, v float64) { binary.BigEndian.PutUint16(b, uint16(toUint32(v))) }},
	{"Int16LE", 2, false, -0x8000, 0x7fff,
		func(b []byte) float64 { return float64(int16(binary.LittleEndian.Uint16(b))) },
		func(b []byte, v float64) { binary.LittleEndian.PutUint16(b, uint16(toUint32(v))) }},
	{"Int16BE", 2, false, -0x8000, 0x7fff,
		func(b []byte) float64 { return float64(int16(binary.BigEndian.Uint16(b))) },
		func(b []byte, v float64) { binary.BigEndian.PutUint16(b, uint16(toUint32(v))) }},
	{"UInt32LE", 4, false, 0, 0xffffffff,
		func(b []byte) float64 { return float64(binary.LittleEndian.Uint32(b)) },
		func(b []byte, v float64) { binary.LittleEndian.PutUint32(b, toUint32(v)) }},
	{"UInt32BE", 4, false, 0, 0xffffffff,
		func(b []byte) float64 { return float64(binary.BigEndian.Uint32(b)) },
		func(b []byte, v float64) { binary.BigEndian.PutUint32(b, toUint32(v)) }},
	{"Int32LE", 4, false, -0x80000000, 0x7fffffff,
		func(b []byte) float64 { return float64(int32(binary.LittleEndian.Uint32(b))) },
		func(b []byte, v float64) { binary.LittleEndian.PutUint32(b, toUint32(v)) }},
	{"Int32BE", 4, false, -0x80000000, 0x7fffffff,
		func(b []byte) float64 { return float64(int32(binary.BigEndian.Uint32(b))) },
		func(b []byte, v float64) { binary.BigEndian.PutUint32(b, toUint32(v)) }},
	{"FloatLE", 4, true, 0, 0,
		func(b []byte) float64 { return float64(math.Float32frombits(binary.LittleEndian.Uint32(b))) },
		func(b []byte, v float64) { binary.LittleEndian.PutUint32(b, math.Float32bits(float32(v))) }},
	{"FloatBE", 4, true, 0, 0,
		func(b []byte) float64 { return float64(math.Float32frombits(binary.BigEndian.Uint32(b))) },
		func(b []byte, v float64) { binary.BigEndian.PutUint32(b, math.Float32bits(float32(v))) }},
	{"DoubleLE", 8, true, 0, 0,
		func(b []byte) float64 { return math.Float64frombits(binary.LittleEndian.Uint64(b)) },
		func(b []byte, v float64) { binary.LittleEndian.PutUint64(b, math.Float64bits(v)) }},
	{"DoubleBE", 8, true, 0, 0,
		func(b []byte) float64 { return math.Float64frombits(binary.BigEndian.Uint64(b)) },
		func(b []byte, v float64) { binary.BigEndian.PutUint64(b, math.Float64bits(v)) }},
}
