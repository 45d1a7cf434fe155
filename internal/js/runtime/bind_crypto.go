package runtime

import (
	"bytes"
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/md5"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha3"
	"crypto/sha512"
	"crypto/subtle"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"hash"
	"math/big"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/crypto/chacha20"
	"golang.org/x/crypto/chacha20poly1305"
	"golang.org/x/crypto/ripemd160" //nolint:staticcheck // Node still offers ripemd160
	"golang.org/x/crypto/scrypt"
	lib "modernc.org/libquickjs"

	"gnode/internal/js/qjs"
)

// bindCrypto is internalBinding('crypto'), see lib/bindings/crypto.md.
// Stateful objects (hashes, ciphers, keys) are host-class instances whose
// Go state is dropped when the JavaScript object is collected.
func bindCrypto(r *rt, obj qjs.Value) {
	vm := r.vm
	cls, err := vm.NewClass("CryptoHandle", nil)
	if err != nil {
		panic(fmt.Sprintf("crypto binding: %v", err))
	}
	handle := func(v any) qjs.Value { return vm.NewInstance(cls, qjs.Undefined, v) }
	opaque := func(v qjs.Value) any {
		o, _ := vm.Opaque(v, cls)
		return o
	}

	vm.Set(obj, "hashNames", vm.StringArray(hashNames))

	// protoArg is the prototype for a new hash object: Hash.prototype (or
	// a subclass's) makes the binding's object the Hash itself, so a hash
	// costs one JavaScript object and no state record beside it.
	protoArg := func(a []qjs.Value, i int) qjs.Value {
		if p := qjs.Arg(a, i); p.IsObject() {
			return p
		}
		return qjs.Undefined
	}
	hashOf := func(vm *qjs.VM, v qjs.Value) (*hashState, error) {
		h, _ := opaque(v).(*hashState)
		if h == nil {
			return nil, vm.TypeError("not a hash handle")
		}
		return h, nil
	}

	// hashNew(alg, outputLength, proto) -> hash | undefined
	r.fn(obj, "hashNew", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		alg, ok := lookupHashValue(vm, qjs.Arg(a, 0))
		if !ok {
			return qjs.Undefined, nil
		}
		h := &hashState{h: alg.new(), alg: alg, outLen: -1}
		if v := qjs.Arg(a, 1); v.IsNumber() {
			h.outLen = int(vm.Int(v))
		}
		return vm.NewInstance(cls, protoArg(a, 2), h), nil
	})
	// hmacNew(alg, key, proto) -> hmac | undefined; a string key is UTF-8.
	r.fn(obj, "hmacNew", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		alg, ok := lookupHashValue(vm, qjs.Arg(a, 0))
		if !ok || alg.xof {
			return qjs.Undefined, nil
		}
		var key []byte
		if !withUTF8(vm, qjs.Arg(a, 1), func(b []byte) { key = bytes.Clone(b) }) {
			key = bytes.Clone(r.argBytes(a, 1))
		}
		return vm.NewInstance(cls, protoArg(a, 2), &hashState{h: hmac.New(alg.new, key), alg: alg, outLen: -1}), nil
	})
	// hashUpdate(h, data) -> false once digested; a string is hashed as
	// UTF-8, read in place when it is ASCII.
	r.fn(obj, "hashUpdate", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		h, err := hashOf(vm, qjs.Arg(a, 0))
		if err != nil {
			return qjs.Undefined, err
		}
		if h.finalized {
			return qjs.False, nil
		}
		if !withUTF8(vm, qjs.Arg(a, 1), func(b []byte) { h.h.Write(b) }) {
			h.h.Write(r.argBytes(a, 1))
		}
		return qjs.True, nil
	})
	// hashDigest(h[, enc]) -> undefined once digested. enc hex, base64,
	// base64url or latin1 gives a string (saves a Buffer and a second call
	// for the common digest('hex')), anything else the bytes.
	r.fn(obj, "hashDigest", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		h, err := hashOf(vm, qjs.Arg(a, 0))
		if err != nil {
			return qjs.Undefined, err
		}
		if h.finalized {
			return qjs.Undefined, nil
		}
		h.finalized = true
		return digestValue(vm, h.sum(), qjs.Arg(a, 1)), nil
	})
	// hashCopy(h, outputLength, proto) -> hash | null once digested.
	r.fn(obj, "hashCopy", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		h, err := hashOf(vm, qjs.Arg(a, 0))
		if err != nil {
			return qjs.Undefined, err
		}
		if h.finalized {
			return qjs.Null, nil
		}
		c, err := cloneHash(h.h)
		if err != nil {
			return qjs.Undefined, err
		}
		outLen := h.outLen
		if v := qjs.Arg(a, 1); v.IsNumber() {
			outLen = int(vm.Int(v))
		}
		return vm.NewInstance(cls, protoArg(a, 2), &hashState{h: c, alg: h.alg, outLen: outLen}), nil
	})
	// hashOnce(alg, data, enc) is crypto.hash(): one call, no hash object.
	// undefined for an unknown algorithm.
	r.fn(obj, "hashOnce", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		alg, ok := lookupHashValue(vm, qjs.Arg(a, 0))
		if !ok {
			return qjs.Undefined, nil
		}
		h := &hashState{h: alg.new(), alg: alg, outLen: -1}
		if !withUTF8(vm, qjs.Arg(a, 1), func(b []byte) { h.h.Write(b) }) {
			h.h.Write(r.argBytes(a, 1))
		}
		return digestValue(vm, h.sum(), qjs.Arg(a, 2)), nil
	})
	// hashMethods(hashProto, hmacProto, slow) makes createHash, createHmac
	// and the update/digest methods native for their common calls
	// (createHash('sha256').update(str).digest('hex')): a JavaScript frame
	// costs more here than the hashing of a short string. Anything else
	// (options, encodings, a digested hash, odd arguments) goes to the
	// JavaScript implementation in slow, so behaviour is lib/crypto.js's.
	r.fn(obj, "hashMethods", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		hold := r.hold
		hashProto, hmacProto := hold(vm.Dup(qjs.Arg(a, 0))), hold(vm.Dup(qjs.Arg(a, 1)))
		slow := qjs.Arg(a, 2)
		slowFn := func(name string) qjs.Value { return hold(vm.GetV(slow, name)) }
		slowCreateHash, slowCreateHmac := slowFn("createHash"), slowFn("createHmac")
		slowUpdate, slowDigest, slowHmacDigest := slowFn("update"), slowFn("digest"), slowFn("hmacDigest")
		digestResult, setProto, bufferProto := slowFn("digestResult"), slowFn("setPrototypeOf"), slowFn("bufferPrototype")

		// digestOut finishes a digest: a string for the encodings Go
		// writes, a Buffer for none, else lib/crypto.js's digestResult.
		digestOut := func(vm *qjs.VM, sum []byte, enc qjs.Value) (qjs.Value, error) {
			buffer := enc.IsUndefined()
			if !buffer && enc.IsString() {
				withChars(vm, enc, func(l1 []byte, _ []uint16) { buffer = string(l1) == "buffer" })
			}
			if !buffer {
				v := digestValue(vm, sum, enc)
				if v.IsString() {
					return v, nil
				}
				defer vm.Free(v)
				return vm.Call(digestResult, qjs.Undefined, v, enc)
			}
			u := vm.NewUint8Array(sum)
			defer vm.Free(u)
			return vm.Call(setProto, qjs.Undefined, u, bufferProto)
		}
		m := vm.Object()
		vm.Set(m, "createHash", vm.Function("createHash", 2, func(vm *qjs.VM, this qjs.Value, a []qjs.Value) (qjs.Value, error) {
			if alg := qjs.Arg(a, 0); alg.IsString() && qjs.Arg(a, 1).IsUndefined() {
				if h, ok := lookupHashValue(vm, alg); ok {
					return vm.NewInstance(cls, hashProto, &hashState{h: h.new(), alg: h, outLen: -1}), nil
				}
			}
			return vm.Call(slowCreateHash, this, a...)
		}))
		vm.Set(m, "createHmac", vm.Function("createHmac", 3, func(vm *qjs.VM, this qjs.Value, a []qjs.Value) (qjs.Value, error) {
			if alg, k := qjs.Arg(a, 0), qjs.Arg(a, 1); alg.IsString() && qjs.Arg(a, 2).IsUndefined() {
				if h, ok := lookupHashValue(vm, alg); ok && !h.xof {
					var key []byte
					ok = withUTF8(vm, k, func(b []byte) { key = bytes.Clone(b) })
					if !ok && isView(vm, k) {
						var b []byte
						b, ok = vm.TypedArrayBytes(k)
						key = bytes.Clone(b)
					}
					if ok {
						return vm.NewInstance(cls, hmacProto, &hashState{h: hmac.New(h.new, key), alg: h, outLen: -1}), nil
					}
				}
			}
			return vm.Call(slowCreateHmac, this, a...)
		}))
		vm.Set(m, "update", vm.Function("update", 2, func(vm *qjs.VM, this qjs.Value, a []qjs.Value) (qjs.Value, error) {
			h, _ := opaque(this).(*hashState)
			if h != nil && !h.finalized {
				d := qjs.Arg(a, 0)
				// update(str) and update(str, 'utf8') (etag's call); a
				// view's bytes whatever the encoding, which Node ignores.
				if utf8Encoding(vm, qjs.Arg(a, 1)) && withUTF8(vm, d, func(b []byte) { h.h.Write(b) }) {
					return vm.Dup(this), nil
				}
				if isView(vm, d) {
					if b, ok := vm.TypedArrayBytes(d); ok {
						h.h.Write(b)
						return vm.Dup(this), nil
					}
				}
			}
			return vm.Call(slowUpdate, this, a...)
		}))
		digest := func(name string, slow qjs.Value) qjs.Value {
			return vm.Function(name, 1, func(vm *qjs.VM, this qjs.Value, a []qjs.Value) (qjs.Value, error) {
				h, _ := opaque(this).(*hashState)
				if h == nil || h.finalized {
					return vm.Call(slow, this, a...)
				}
				h.finalized = true
				return digestOut(vm, h.sum(), qjs.Arg(a, 0))
			})
		}
		vm.Set(m, "digest", digest("digest", slowDigest))
		vm.Set(m, "hmacDigest", digest("digest", slowHmacDigest))
		return m, nil
	})
	// digest(alg, data[, cb]) one shot; hmac(alg, key, data[, cb]).
	r.defineCrypto(obj, "digest", func(r *rt, a []qjs.Value) (func() (any, error), error) {
		alg, ok := lookupHash(r.vm.Str(qjs.Arg(a, 0)))
		if !ok {
			return nil, errDigest
		}
		data := r.argBytes(a, 1)
		return func() (any, error) {
			h := alg.new()
			h.Write(data)
			return jsBytes((&hashState{h: h, alg: alg, outLen: -1}).sum()), nil
		}, nil
	})
	r.defineCrypto(obj, "hmac", func(r *rt, a []qjs.Value) (func() (any, error), error) {
		alg, ok := lookupHash(r.vm.Str(qjs.Arg(a, 0)))
		if !ok {
			return nil, errDigest
		}
		key, data := r.argBytes(a, 1), r.argBytes(a, 2)
		return func() (any, error) {
			m := hmac.New(alg.new, key)
			m.Write(data)
			return jsBytes(m.Sum(nil)), nil
		}, nil
	})
	// randomFill(u8[, cb]) fills the view in place.
	r.defineCrypto(obj, "randomFill", func(r *rt, a []qjs.Value) (func() (any, error), error) {
		b, ok := r.vm.TypedArrayBytes(qjs.Arg(a, 0))
		if !ok {
			return nil, errors.New("randomFill needs a typed array")
		}
		return func() (any, error) { rand.Read(b); return nil, nil }, nil
	})
	// pbkdf2(pass, salt, iterations, keylen, digest[, cb])
	r.defineCrypto(obj, "pbkdf2", func(r *rt, a []qjs.Value) (func() (any, error), error) {
		pass, salt := r.argBytes(a, 0), r.argBytes(a, 1)
		iter, keylen := int(r.argInt(a, 2)), int(r.argInt(a, 3))
		alg, ok := lookupHash(r.vm.Str(qjs.Arg(a, 4)))
		if !ok || alg.xof {
			return nil, &codedError{"TypeError", "ERR_CRYPTO_INVALID_DIGEST", "Invalid digest: " + r.vm.Str(qjs.Arg(a, 4))}
		}
		return func() (any, error) {
			if keylen == 0 {
				return jsBytes{}, nil
			}
			k, err := pbkdf2.Key(alg.new, string(pass), salt, iter, keylen)
			if err != nil {
				return nil, fmt.Errorf("pbkdf2: %w", err)
			}
			return jsBytes(k), nil
		}, nil
	})
	// scrypt(pass, salt, keylen, N, r, p, maxmem[, cb])
	r.defineCrypto(obj, "scrypt", func(r *rt, a []qjs.Value) (func() (any, error), error) {
		pass, salt := r.argBytes(a, 0), r.argBytes(a, 1)
		keylen, n, bs, p := int(r.argInt(a, 2)), int(r.argInt(a, 3)), int(r.argInt(a, 4)), int(r.argInt(a, 5))
		maxmem := r.vm.Float(qjs.Arg(a, 6))
		if n < 2 || n&(n-1) != 0 || bs < 1 || p < 1 {
			return nil, &codedError{"RangeError", "ERR_CRYPTO_INVALID_SCRYPT_PARAMS", "Invalid scrypt params"}
		}
		// OpenSSL counts 128·r·(N+2) bytes for V and 128·r·p for B.
		if 128*float64(bs)*(float64(n)+2)+128*float64(bs)*float64(p) > maxmem {
			return nil, &codedError{"RangeError", "ERR_CRYPTO_INVALID_SCRYPT_PARAMS", "Invalid scrypt params: error:030000AC:digital envelope routines::memory limit exceeded"}
		}
		return func() (any, error) {
			if keylen == 0 {
				return jsBytes{}, nil
			}
			k, err := scrypt.Key(pass, salt, n, bs, p, keylen)
			if err != nil {
				return nil, &codedError{"RangeError", "ERR_CRYPTO_INVALID_SCRYPT_PARAMS", "Invalid scrypt params"}
			}
			return jsBytes(k), nil
		}, nil
	})
	// hkdf(digest, ikm, salt, info, keylen[, cb])
	r.defineCrypto(obj, "hkdf", func(r *rt, a []qjs.Value) (func() (any, error), error) {
		alg, ok := lookupHash(r.vm.Str(qjs.Arg(a, 0)))
		if !ok || alg.xof {
			return nil, &codedError{"TypeError", "ERR_CRYPTO_INVALID_DIGEST", "Invalid digest: " + r.vm.Str(qjs.Arg(a, 0))}
		}
		ikm, salt, info := r.argBytes(a, 1), r.argBytes(a, 2), r.argBytes(a, 3)
		keylen := int(r.argInt(a, 4))
		return func() (any, error) {
			if keylen == 0 {
				return jsBytes{}, nil
			}
			k, err := hkdf.Key(alg.new, ikm, salt, string(info), keylen)
			if err != nil {
				return nil, fmt.Errorf("hkdf: %w", err)
			}
			return jsBytes(k), nil
		}, nil
	})
	r.fn(obj, "timingSafeEqual", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		return qjs.Bool(subtle.ConstantTimeCompare(r.argBytes(a, 0), r.argBytes(a, 1)) == 1), nil
	})

	// cipherNew(name, key, iv, decrypt, authTagLength) -> handle
	r.fn(obj, "cipherNew", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		c, err := newCipher(vm.Str(qjs.Arg(a, 0)), r.argBytes(a, 1), r.argBytes(a, 2), vm.Truthy(qjs.Arg(a, 3)), int(vm.Int(qjs.Arg(a, 4))))
		if err != nil {
			return qjs.Undefined, vm.Throw(r.cryptoErrorValue(vm, err))
		}
		return handle(c), nil
	})
	cipherOp := func(name string, f func(c *cipherState, vm *qjs.VM, a []qjs.Value) (qjs.Value, error)) {
		r.fn(obj, name, func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
			c, _ := opaque(qjs.Arg(a, 0)).(*cipherState)
			if c == nil {
				return qjs.Undefined, vm.TypeError("not a cipher handle")
			}
			v, err := f(c, vm, a)
			if err != nil {
				return qjs.Undefined, vm.Throw(r.cryptoErrorValue(vm, err))
			}
			return v, nil
		})
	}
	cipherOp("cipherUpdate", func(c *cipherState, vm *qjs.VM, a []qjs.Value) (qjs.Value, error) {
		return vm.NewUint8Array(c.update(r.argBytes(a, 1))), nil
	})
	cipherOp("cipherFinal", func(c *cipherState, vm *qjs.VM, a []qjs.Value) (qjs.Value, error) {
		out, err := c.final()
		if err != nil {
			return qjs.Undefined, err
		}
		return vm.NewUint8Array(out), nil
	})
	cipherOp("cipherSetAAD", func(c *cipherState, vm *qjs.VM, a []qjs.Value) (qjs.Value, error) {
		c.aad = append(c.aad, r.argBytes(a, 1)...)
		return qjs.Undefined, nil
	})
	cipherOp("cipherSetAutoPadding", func(c *cipherState, vm *qjs.VM, a []qjs.Value) (qjs.Value, error) {
		c.padding = vm.Truthy(qjs.Arg(a, 1))
		return qjs.Undefined, nil
	})
	cipherOp("cipherGetAuthTag", func(c *cipherState, vm *qjs.VM, a []qjs.Value) (qjs.Value, error) {
		return vm.NewUint8Array(append([]byte(nil), c.tag...)), nil
	})
	cipherOp("cipherSetAuthTag", func(c *cipherState, vm *qjs.VM, a []qjs.Value) (qjs.Value, error) {
		c.tag = append([]byte(nil), r.argBytes(a, 1)...)
		return qjs.Undefined, nil
	})

	// Keys.
	// keyParse(data, format, type, kind, passphrase) -> handle
	r.fn(obj, "keyParse", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		var pass []byte
		if p := qjs.Arg(a, 4); !p.IsNullish() {
			pass = bytes.Clone(r.argBytes(a, 4))
		}
		k, err := parseKeyPass(r.argBytes(a, 0), vm.Str(qjs.Arg(a, 1)), vm.Str(qjs.Arg(a, 2)), vm.Str(qjs.Arg(a, 3)), pass)
		if err != nil {
			return qjs.Undefined, vm.Throw(r.cryptoErrorValue(vm, err))
		}
		return handle(k), nil
	})
	// keyJWK(json, kind) -> handle ; kind 'private'|'public'
	r.fn(obj, "keyFromJWK", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		k, err := keyFromJWK(vm, qjs.Arg(a, 0), vm.Str(qjs.Arg(a, 1)))
		if err != nil {
			return qjs.Undefined, vm.Throw(r.cryptoErrorValue(vm, err))
		}
		return handle(k), nil
	})
	keyOp := func(name string, f func(k *asymKey, vm *qjs.VM, a []qjs.Value) (qjs.Value, error)) {
		r.fn(obj, name, func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
			k, _ := opaque(qjs.Arg(a, 0)).(*asymKey)
			if k == nil {
				return qjs.Undefined, vm.TypeError("not a key handle")
			}
			v, err := f(k, vm, a)
			if err != nil {
				return qjs.Undefined, vm.Throw(r.cryptoErrorValue(vm, err))
			}
			return v, nil
		})
	}
	// keyInfo(h) -> [type, asymmetricKeyType, modulusLength, publicExponent(hex), namedCurve]
	keyOp("keyInfo", func(k *asymKey, vm *qjs.VM, a []qjs.Value) (qjs.Value, error) {
		typ := "public"
		if k.priv != nil {
			typ = "private"
		}
		asym, bits, exp, curve := k.describe()
		return vm.ArrayOf(vm.String(typ), vm.String(asym), qjs.Int(int32(bits)), vm.String(exp), vm.String(curve)), nil
	})
	keyOp("keyPublic", func(k *asymKey, vm *qjs.VM, a []qjs.Value) (qjs.Value, error) {
		return handle(&asymKey{pub: k.pub}), nil
	})
	// keyExport(h, format, type) -> string (pem) | Uint8Array (der)
	keyOp("keyExport", func(k *asymKey, vm *qjs.VM, a []qjs.Value) (qjs.Value, error) {
		format, typ := vm.Str(qjs.Arg(a, 1)), vm.Str(qjs.Arg(a, 2))
		der, label, err := k.marshal(typ)
		if err != nil {
			return qjs.Undefined, err
		}
		block := &pem.Block{Type: label, Bytes: der}
		if c := qjs.Arg(a, 3); c.IsString() {
			block, err = encryptKey(block, vm.Str(c), r.argBytes(a, 4), format == "pem")
			if err != nil {
				return qjs.Undefined, err
			}
		}
		if format == "pem" {
			return vm.String(string(pem.EncodeToMemory(block))), nil
		}
		return vm.NewUint8Array(block.Bytes), nil
	})
	keyOp("keyToJWK", func(k *asymKey, vm *qjs.VM, a []qjs.Value) (qjs.Value, error) {
		return k.jwk(vm)
	})
	keyOp("keyEquals", func(k *asymKey, vm *qjs.VM, a []qjs.Value) (qjs.Value, error) {
		o, _ := opaque(qjs.Arg(a, 1)).(*asymKey)
		if o == nil {
			return qjs.Bool(false), nil
		}
		x, err1 := x509.MarshalPKIXPublicKey(k.pub)
		y, err2 := x509.MarshalPKIXPublicKey(o.pub)
		return qjs.Bool(err1 == nil && err2 == nil && bytes.Equal(x, y) && (k.priv == nil) == (o.priv == nil)), nil
	})
	// sign(digest, data, key, padding, saltLength, dsaEncoding) -> Uint8Array
	keyOp("sign", func(k *asymKey, vm *qjs.VM, a []qjs.Value) (qjs.Value, error) {
		sig, err := k.sign(vm.Str(qjs.Arg(a, 1)), r.argBytes(a, 2), int(vm.Int(qjs.Arg(a, 3))), int(vm.Int(qjs.Arg(a, 4))), vm.Str(qjs.Arg(a, 5)))
		if err != nil {
			return qjs.Undefined, err
		}
		return vm.NewUint8Array(sig), nil
	})
	// verify(key, digest, data, sig, padding, saltLength, dsaEncoding) -> bool
	keyOp("verify", func(k *asymKey, vm *qjs.VM, a []qjs.Value) (qjs.Value, error) {
		ok, err := k.verify(vm.Str(qjs.Arg(a, 1)), r.argBytes(a, 2), r.argBytes(a, 3), int(vm.Int(qjs.Arg(a, 4))), int(vm.Int(qjs.Arg(a, 5))), vm.Str(qjs.Arg(a, 6)))
		if err != nil {
			return qjs.Undefined, err
		}
		return qjs.Bool(ok), nil
	})
	// rsaCrypt(h, op, data, padding, oaepHash, label): publicEncrypt,
	// privateDecrypt, privateEncrypt, publicDecrypt.
	keyOp("rsaCrypt", func(k *asymKey, vm *qjs.VM, a []qjs.Value) (qjs.Value, error) {
		out, err := k.rsaCrypt(vm.Str(qjs.Arg(a, 1)), r.argBytes(a, 2), int(vm.Int(qjs.Arg(a, 3))), vm.Str(qjs.Arg(a, 4)), r.argBytes(a, 5))
		if err != nil {
			return qjs.Undefined, err
		}
		return vm.NewUint8Array(out), nil
	})
	// ECDH (createECDH): ecdhNew(curve) -> handle | undefined.
	r.fn(obj, "ecdhNew", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		c := ecdhCurve(vm.Str(qjs.Arg(a, 0)))
		if c == nil {
			return qjs.Undefined, nil
		}
		return handle(&ecdhState{curve: c, name: vm.Str(qjs.Arg(a, 0))}), nil
	})
	ecdhOp := func(name string, f func(e *ecdhState, vm *qjs.VM, a []qjs.Value) (qjs.Value, error)) {
		r.fn(obj, name, func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
			e, _ := opaque(qjs.Arg(a, 0)).(*ecdhState)
			if e == nil {
				return qjs.Undefined, vm.TypeError("not an ECDH handle")
			}
			v, err := f(e, vm, a)
			if err != nil {
				return qjs.Undefined, vm.Throw(r.cryptoErrorValue(vm, err))
			}
			return v, nil
		})
	}
	ecdhOp("ecdhGenerate", func(e *ecdhState, vm *qjs.VM, a []qjs.Value) (qjs.Value, error) {
		k, err := e.curve.GenerateKey(rand.Reader)
		if err != nil {
			return qjs.Undefined, err
		}
		e.priv = k
		return qjs.Undefined, nil
	})
	// ecdhPublic(h, compressed) / ecdhPrivate(h) -> bytes (undefined before keys exist)
	ecdhOp("ecdhPublic", func(e *ecdhState, vm *qjs.VM, a []qjs.Value) (qjs.Value, error) {
		if e.priv == nil {
			return qjs.Undefined, nil
		}
		pub := e.priv.PublicKey().Bytes()
		if vm.Truthy(qjs.Arg(a, 1)) {
			pub = compressPoint(pub)
		}
		return vm.NewUint8Array(pub), nil
	})
	ecdhOp("ecdhPrivate", func(e *ecdhState, vm *qjs.VM, a []qjs.Value) (qjs.Value, error) {
		if e.priv == nil {
			return qjs.Undefined, nil
		}
		return vm.NewUint8Array(e.priv.Bytes()), nil
	})
	ecdhOp("ecdhSetPrivate", func(e *ecdhState, vm *qjs.VM, a []qjs.Value) (qjs.Value, error) {
		b := r.argBytes(a, 1)
		k, err := e.curve.NewPrivateKey(padLeft(b, e.keySize()))
		if err != nil {
			return qjs.Undefined, &codedError{"Error", "ERR_CRYPTO_INVALID_KEYTYPE", "Private key is not valid for specified curve."}
		}
		e.priv = k
		return qjs.Undefined, nil
	})
	ecdhOp("ecdhCompute", func(e *ecdhState, vm *qjs.VM, a []qjs.Value) (qjs.Value, error) {
		errPub := &codedError{"Error", "ERR_CRYPTO_ECDH_INVALID_PUBLIC_KEY", "Public key is not valid for specified curve"}
		pub, err := e.curve.NewPublicKey(decompressPoint(e.name, r.argBytes(a, 1)))
		if err != nil || e.priv == nil {
			return qjs.Undefined, errPub
		}
		sec, err := e.priv.ECDH(pub)
		if err != nil {
			return qjs.Undefined, errPub
		}
		return vm.NewUint8Array(sec), nil
	})
	// ecdhConvert(curve, point, compressed) -> bytes (ECDH.convertKey)
	r.fn(obj, "ecdhConvert", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		name := vm.Str(qjs.Arg(a, 0))
		c := ecdhCurve(name)
		if c == nil {
			return qjs.Undefined, vm.Throw(r.cryptoErrorValue(vm, &codedError{"TypeError", "ERR_CRYPTO_INVALID_CURVE", "Invalid EC curve name"}))
		}
		pub, err := c.NewPublicKey(decompressPoint(name, r.argBytes(a, 1)))
		if err != nil {
			return qjs.Undefined, vm.Throw(r.cryptoErrorValue(vm, &osslError{"ERR_OSSL_EC_INVALID_ENCODING", "elliptic curve routines", "invalid encoding", "error:1000007B:elliptic curve routines::invalid encoding"}))
		}
		out := pub.Bytes()
		if vm.Truthy(qjs.Arg(a, 2)) {
			out = compressPoint(out)
		}
		return vm.NewUint8Array(out), nil
	})
	// keyDH(privateHandle, publicHandle) -> shared secret (crypto.diffieHellman)
	keyOp("keyDH", func(k *asymKey, vm *qjs.VM, a []qjs.Value) (qjs.Value, error) {
		o, _ := opaque(qjs.Arg(a, 1)).(*asymKey)
		if o == nil {
			return qjs.Undefined, vm.TypeError("not a key handle")
		}
		sec, err := keyAgreement(k, o)
		if err != nil {
			return qjs.Undefined, err
		}
		return vm.NewUint8Array(sec), nil
	})
	// keyGenerate(type, modulusLength, publicExponent, namedCurve[, cb]) -> [private, public]
	r.fn(obj, "keyGenerate", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		typ, bits, exp, curve := vm.Str(qjs.Arg(a, 0)), int(vm.Int(qjs.Arg(a, 1))), vm.Int(qjs.Arg(a, 2)), vm.Str(qjs.Arg(a, 3))
		work := func() (*asymKey, error) { return generateKey(typ, bits, exp, curve) }
		pair := func(k *asymKey) qjs.Value {
			return vm.ArrayOf(handle(k), handle(&asymKey{pub: k.pub}))
		}
		cb := qjs.Arg(a, 4)
		if !vm.IsFunction(cb) {
			k, err := work()
			if err != nil {
				return qjs.Undefined, vm.Throw(r.cryptoErrorValue(vm, err))
			}
			return pair(k), nil
		}
		cb = vm.Dup(cb)
		done := r.loop.RegisterCallback()
		go func() {
			k, err := work()
			done(func() {
				var args []qjs.Value
				if err != nil {
					args = []qjs.Value{r.cryptoErrorValue(vm, err)}
				} else {
					args = []qjs.Value{qjs.Null, pair(k)}
				}
				v, cerr := vm.Call(cb, qjs.Undefined, args...)
				vm.FreeAll(args...)
				vm.Free(v)
				vm.Free(cb)
				if cerr != nil {
					r.handleError(cerr)
				}
			})
		}()
		return qjs.Undefined, nil
	})
}

var errDigest = errors.New("Digest method not supported")

// utf8Bytes is a JavaScript string's UTF-8 as Buffer.from(s) gives it: the
// engine hands lone surrogates over as their 3-byte (WTF-8) form, which
// Node writes as U+FFFD.
func utf8Bytes(s string) []byte {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == 0xED && b[i+1] >= 0xA0 && b[i+1] <= 0xBF {
			b[i], b[i+1], b[i+2] = 0xEF, 0xBF, 0xBD
			i += 2
		}
	}
	return b
}

// osslError is an error Node passes through from OpenSSL: besides the code
// it carries OpenSSL's library and reason.
type osslError struct {
	code, library, reason, msg string
}

func (e *osslError) Error() string { return e.msg }

// cryptoErrorValue builds the JavaScript error for err.
func (r *rt) cryptoErrorValue(vm *qjs.VM, err error) qjs.Value {
	var oe *osslError
	if errors.As(err, &oe) {
		e := vm.NewError("Error", oe.msg)
		vm.Set(e, "library", vm.String(oe.library))
		vm.Set(e, "reason", vm.String(oe.reason))
		vm.Set(e, "code", vm.String(oe.code))
		return e
	}
	return r.errorValue(vm, err)
}

// defineCrypto registers a function that runs inline, or, when its last
// argument is a function, on a goroutine (Node's thread pool) and calls back
// cb(err, result) on the loop. Errors carry Node's codes in both forms.
func (r *rt) defineCrypto(obj qjs.Value, name string, op fsOp) {
	r.fn(obj, name, func(vm *qjs.VM, _ qjs.Value, args []qjs.Value) (qjs.Value, error) {
		var cb qjs.Value
		async := len(args) > 0 && vm.IsFunction(args[len(args)-1])
		if async {
			cb = args[len(args)-1]
			args = args[:len(args)-1]
		}
		work, err := op(r, args)
		if err != nil {
			return qjs.Undefined, vm.Throw(r.cryptoErrorValue(vm, err))
		}
		if !async {
			res, err := work()
			if err != nil {
				return qjs.Undefined, vm.Throw(r.cryptoErrorValue(vm, err))
			}
			return r.toJS(res), nil
		}
		r.callBackLater(vm, cb, args, work, r.cryptoErrorValue)
		return qjs.Undefined, nil
	})
}

// Hashes.

type hashAlg struct {
	name   string
	new    func() hash.Hash
	xof    bool
	xofLen int
	cryp   crypto.Hash
}

// hashNames is what getHashes() reports (Node's spelling).
var hashNames = []string{"RSA-MD5", "RSA-RIPEMD160", "RSA-SHA1", "RSA-SHA1-2", "RSA-SHA224", "RSA-SHA256", "RSA-SHA3-224", "RSA-SHA3-256", "RSA-SHA3-384", "RSA-SHA3-512", "RSA-SHA384", "RSA-SHA512", "RSA-SHA512/224", "RSA-SHA512/256", "md5", "md5WithRSAEncryption", "ripemd", "ripemd160", "ripemd160WithRSA", "rmd160", "sha1", "sha1WithRSAEncryption", "sha224", "sha224WithRSAEncryption", "sha256", "sha256WithRSAEncryption", "sha3-224", "sha3-256", "sha3-384", "sha3-512", "sha384", "sha384WithRSAEncryption", "sha512", "sha512-224", "sha512-224WithRSAEncryption", "sha512-256", "sha512-256WithRSAEncryption", "sha512WithRSAEncryption", "shake128", "shake256"}

// shake adapts an extendable-output function to hash.Hash: Sum reads n
// bytes from a copy, so the state can still be updated (Node's copy()).
type shake struct {
	*sha3.SHAKE
	n    int
	wide bool // shake256
}

func newShake(wide bool) *sha3.SHAKE {
	if wide {
		return sha3.NewSHAKE256()
	}
	return sha3.NewSHAKE128()
}

func (s shake) Sum(b []byte) []byte {
	c, _ := s.SHAKE.MarshalBinary()
	t := newShake(s.wide)
	t.UnmarshalBinary(c)
	out := make([]byte, s.n)
	t.Read(out)
	return append(b, out...)
}
func (s shake) Size() int      { return s.n }
func (s shake) BlockSize() int { return s.SHAKE.BlockSize() }

var hashAlgs = sync.OnceValue(func() map[string]*hashAlg {
	return map[string]*hashAlg{
		"md5":        {name: "md5", new: md5.New, cryp: crypto.MD5},
		"sha1":       {name: "sha1", new: sha1.New, cryp: crypto.SHA1},
		"sha224":     {name: "sha224", new: sha256.New224, cryp: crypto.SHA224},
		"sha256":     {name: "sha256", new: sha256.New, cryp: crypto.SHA256},
		"sha384":     {name: "sha384", new: sha512.New384, cryp: crypto.SHA384},
		"sha512":     {name: "sha512", new: sha512.New, cryp: crypto.SHA512},
		"sha512-224": {name: "sha512-224", new: sha512.New512_224, cryp: crypto.SHA512_224},
		"sha512-256": {name: "sha512-256", new: sha512.New512_256, cryp: crypto.SHA512_256},
		"sha3-224":   {name: "sha3-224", new: func() hash.Hash { return sha3.New224() }, cryp: crypto.SHA3_224},
		"sha3-256":   {name: "sha3-256", new: func() hash.Hash { return sha3.New256() }, cryp: crypto.SHA3_256},
		"sha3-384":   {name: "sha3-384", new: func() hash.Hash { return sha3.New384() }, cryp: crypto.SHA3_384},
		"sha3-512":   {name: "sha3-512", new: func() hash.Hash { return sha3.New512() }, cryp: crypto.SHA3_512},
		"ripemd160":  {name: "ripemd160", new: newRipemd, cryp: crypto.RIPEMD160},
		"shake128":   {name: "shake128", new: func() hash.Hash { return shake{sha3.NewSHAKE128(), 16, false} }, xof: true, xofLen: 16},
		"shake256":   {name: "shake256", new: func() hash.Hash { return shake{sha3.NewSHAKE256(), 32, true} }, xof: true, xofLen: 32},
	}
})

var hashAliases = sync.OnceValue(func() map[string]string {
	return map[string]string{
		"sha-1": "sha1", "sha-224": "sha224", "sha-256": "sha256", "sha-384": "sha384", "sha-512": "sha512",
		"sha2-224": "sha224", "sha2-256": "sha256", "sha2-384": "sha384", "sha2-512": "sha512",
		"sha512/224": "sha512-224", "sha512/256": "sha512-256", "sha-512/224": "sha512-224", "sha-512/256": "sha512-256",
		"sha2-512/224": "sha512-224", "sha2-512/256": "sha512-256",
		"ripemd": "ripemd160", "rmd160": "ripemd160", "ripemd-160": "ripemd160", "sha1-2": "sha1",
		"md5withrsaencryption": "md5", "sha1withrsaencryption": "sha1", "sha224withrsaencryption": "sha224",
		"sha256withrsaencryption": "sha256", "sha384withrsaencryption": "sha384", "sha512withrsaencryption": "sha512",
		"sha512-224withrsaencryption": "sha512-224", "sha512-256withrsaencryption": "sha512-256", "ripemd160withrsa": "ripemd160",
	}
})

func lookupHash(name string) (*hashAlg, bool) {
	n := strings.ToLower(name)
	n = strings.TrimPrefix(n, "rsa-")
	if a, ok := hashAliases()[n]; ok {
		n = a
	}
	alg, ok := hashAlgs()[n]
	return alg, ok
}

type hashState struct {
	h         hash.Hash
	alg       *hashAlg
	outLen    int  // XOF output length, -1 for the default
	finalized bool // digest() was called
}

// lookupHashValue is lookupHash for a JavaScript value, reading an ASCII
// name in place: the exact spellings programs use ("sha256", "md5") hit
// hashAlgs without a Go string being made.
func lookupHashValue(vm *qjs.VM, v qjs.Value) (alg *hashAlg, ok bool) {
	l1, _, flat, isStr := vm.StringData(v)
	if isStr && l1 != nil {
		alg, ok = hashAlgs()[string(l1)] // no allocation: a map lookup by a converted key
		vm.Free(flat)
		if ok {
			return alg, true
		}
	} else if isStr {
		vm.Free(flat)
	}
	return lookupHash(vm.Str(v))
}

// digestValue is a digest as hashDigest returns it: a string for the
// encodings Go writes directly, otherwise the bytes.
func digestValue(vm *qjs.VM, sum []byte, enc qjs.Value) qjs.Value {
	if enc.IsString() {
		var name string
		withChars(vm, enc, func(l1 []byte, _ []uint16) {
			switch string(l1) { // compared in place, no allocation
			case "hex":
				name = "hex"
			case "base64":
				name = "base64"
			case "base64url":
				name = "base64url"
			case "latin1", "binary":
				name = "latin1"
			}
		})
		var out []byte
		switch name {
		case "hex":
			out = make([]byte, hex.EncodedLen(len(sum)))
			hex.Encode(out, sum)
		case "base64":
			out = make([]byte, base64.StdEncoding.EncodedLen(len(sum)))
			base64.StdEncoding.Encode(out, sum)
		case "base64url":
			out = make([]byte, base64.RawURLEncoding.EncodedLen(len(sum)))
			base64.RawURLEncoding.Encode(out, sum)
		case "latin1":
			return vm.Latin1String(sum)
		default:
			return vm.NewUint8Array(sum)
		}
		// ASCII, which vm.String passes to the engine in place (no C copy
		// before the engine makes its string).
		return vm.String(unsafe.String(unsafe.SliceData(out), len(out)))
	}
	return vm.NewUint8Array(sum)
}

// utf8Encoding reports whether enc leaves a string as UTF-8: undefined,
// 'utf8' or 'utf-8' (other spellings take lib/crypto.js's path).
func utf8Encoding(vm *qjs.VM, enc qjs.Value) bool {
	if enc.IsUndefined() {
		return true
	}
	ok := false
	if enc.IsString() {
		withChars(vm, enc, func(l1 []byte, _ []uint16) { ok = string(l1) == "utf8" || string(l1) == "utf-8" })
	}
	return ok
}

// isView reports whether v is a typed array or a DataView (not an
// ArrayBuffer, which TypedArrayBytes also reads but hash.update refuses).
func isView(vm *qjs.VM, v qjs.Value) bool {
	if !v.IsObject() {
		return false
	}
	id := vm.ClassID(v)
	return id >= lib.EJS_CLASS_UINT8C_ARRAY && id <= lib.EJS_CLASS_DATAVIEW
}

// withUTF8 runs fn over the UTF-8 of the JavaScript string v, as
// Buffer.from(v) encodes it (a lone surrogate becomes U+FFFD). An ASCII
// string is read in place, without a copy. It reports false, without
// calling fn, when v is not a string. fn must not call into JavaScript.
func withUTF8(vm *qjs.VM, v qjs.Value, fn func([]byte)) bool {
	if !v.IsString() {
		return false
	}
	withChars(vm, v, func(l1 []byte, u []uint16) {
		if u == nil {
			for i, c := range l1 {
				if c >= 0x80 {
					out := make([]byte, i, len(l1)+(len(l1)-i))
					copy(out, l1[:i])
					for _, c := range l1[i:] {
						if c < 0x80 {
							out = append(out, c)
						} else {
							out = append(out, 0xC0|c>>6, 0x80|c&0x3F)
						}
					}
					fn(out)
					return
				}
			}
			fn(l1)
			return
		}
		out := make([]byte, 0, len(u)*3)
		for i := 0; i < len(u); i++ {
			c := rune(u[i])
			if utf16.IsSurrogate(c) {
				if c < 0xDC00 && i+1 < len(u) && u[i+1] >= 0xDC00 && u[i+1] <= 0xDFFF {
					c = utf16.DecodeRune(c, rune(u[i+1]))
					i++
				} else {
					c = utf8.RuneError
				}
			}
			out = utf8.AppendRune(out, c)
		}
		fn(out)
	})
	return true
}

func (s *hashState) sum() []byte {
	if sh, ok := s.h.(shake); ok && s.outLen >= 0 {
		sh.n = s.outLen
		return sh.Sum(nil)
	}
	return s.h.Sum(nil)
}

func cloneHash(h hash.Hash) (hash.Hash, error) {
	if sh, ok := h.(shake); ok {
		c, _ := sh.SHAKE.MarshalBinary()
		t := newShake(sh.wide)
		if err := t.UnmarshalBinary(c); err != nil {
			return nil, err
		}
		return shake{t, sh.n, sh.wide}, nil
	}
	if r, ok := h.(*replayHash); ok {
		c := &replayHash{Hash: r.newFn(), newFn: r.newFn, seen: bytes.Clone(r.seen)}
		c.Hash.Write(c.seen)
		return c, nil
	}
	if c, ok := h.(hash.Cloner); ok {
		return c.Clone()
	}
	return nil, errors.New("hash cannot be copied")
}

// replayHash keeps its input so a hash without Clone (x/crypto's
// ripemd160) can still be copied: the copy replays it.
type replayHash struct {
	hash.Hash
	newFn func() hash.Hash
	seen  []byte
}

func (r *replayHash) Write(p []byte) (int, error) {
	r.seen = append(r.seen, p...)
	return r.Hash.Write(p)
}

func newRipemd() hash.Hash { return &replayHash{Hash: ripemd160.New(), newFn: ripemd160.New} }

// Ciphers.

type cipherState struct {
	mode    string // cbc, ctr, gcm, chacha20-poly1305, ecb
	decrypt bool
	block   cipher.Block
	bm      cipher.BlockMode
	stream  cipher.Stream
	aead    cipher.AEAD
	key     []byte
	nonce   []byte
	buf     []byte // cbc: pending bytes; aead: all input so far
	aad     []byte
	tag     []byte
	tagLen  int
	padding bool
	done    bool
}

func newCipher(name string, key, iv []byte, decrypt bool, tagLen int) (*cipherState, error) {
	n := strings.ToLower(name)
	c := &cipherState{decrypt: decrypt, padding: true, key: append([]byte(nil), key...), nonce: append([]byte(nil), iv...), tagLen: tagLen}
	if n == "chacha20-poly1305" {
		c.mode = n
		if c.tagLen <= 0 {
			c.tagLen = 16
		}
		s, err := chacha20.NewUnauthenticatedCipher(c.key, c.nonce)
		if err != nil {
			return nil, err
		}
		s.SetCounter(1)
		c.stream = s
		a, err := chacha20poly1305.New(c.key)
		if err != nil {
			return nil, err
		}
		c.aead = a
		return c, nil
	}
	i := strings.LastIndexByte(n, '-')
	if i < 0 {
		return nil, &codedError{"Error", "ERR_CRYPTO_UNKNOWN_CIPHER", "Unknown cipher"}
	}
	c.mode = n[i+1:]
	b, err := aes.NewCipher(c.key)
	if err != nil {
		return nil, err
	}
	c.block = b
	switch c.mode {
	case "cbc":
		if decrypt {
			c.bm = cipher.NewCBCDecrypter(b, c.nonce)
		} else {
			c.bm = cipher.NewCBCEncrypter(b, c.nonce)
		}
	case "ecb":
	case "ctr":
		c.stream = cipher.NewCTR(b, c.nonce)
	case "cfb":
		// OpenSSL's full-block CFB and OFB: the standard library's
		// (deprecated for new protocols, kept for compatibility as here).
		if decrypt {
			c.stream = cipher.NewCFBDecrypter(b, c.nonce) //nolint:staticcheck
		} else {
			c.stream = cipher.NewCFBEncrypter(b, c.nonce) //nolint:staticcheck
		}
	case "ofb":
		c.stream = cipher.NewOFB(b, c.nonce) //nolint:staticcheck
	case "cfb8":
		s := &cfb8{b: b, decrypt: decrypt}
		copy(s.reg[:], c.nonce)
		c.stream = s
	case "gcm":
		if c.tagLen <= 0 {
			c.tagLen = 16
		}
		if len(c.nonce) == 12 {
			ctr := make([]byte, 16)
			copy(ctr, c.nonce)
			ctr[15] = 2
			c.stream = cipher.NewCTR(b, ctr)
		}
	default:
		return nil, &codedError{"Error", "ERR_CRYPTO_UNKNOWN_CIPHER", "Unknown cipher"}
	}
	return c, nil
}

func (c *cipherState) update(in []byte) []byte {
	switch c.mode {
	case "ctr", "cfb", "cfb8", "ofb":
		out := make([]byte, len(in))
		c.stream.XORKeyStream(out, in)
		return out
	case "gcm", "chacha20-poly1305":
		c.buf = append(c.buf, in...)
		if c.stream == nil {
			return []byte{}
		}
		out := make([]byte, len(in))
		c.stream.XORKeyStream(out, in)
		return out
	}
	// Block modes: process whole blocks; when decrypting with padding hold
	// the last block back, it may be the padding.
	c.buf = append(c.buf, in...)
	bs := 16
	n := len(c.buf) / bs * bs
	if c.decrypt && c.padding && n == len(c.buf) && n > 0 {
		n -= bs
	}
	out := make([]byte, n)
	c.crypt(out, c.buf[:n])
	c.buf = append(c.buf[:0], c.buf[n:]...)
	return out
}

// cfb8 is CFB with 8-bit feedback (OpenSSL's aes-*-cfb8): each byte is
// XORed with the first byte of the encrypted shift register, which then
// takes in the ciphertext byte.
type cfb8 struct {
	b        cipher.Block
	reg, out [16]byte
	decrypt  bool
}

func (s *cfb8) XORKeyStream(dst, src []byte) {
	for i := range src {
		s.b.Encrypt(s.out[:], s.reg[:])
		in := src[i]
		o := in ^ s.out[0]
		dst[i] = o
		copy(s.reg[:], s.reg[1:])
		if s.decrypt {
			s.reg[15] = in
		} else {
			s.reg[15] = o
		}
	}
}

func (c *cipherState) crypt(dst, src []byte) {
	if c.mode == "ecb" {
		for i := 0; i < len(src); i += 16 {
			if c.decrypt {
				c.block.Decrypt(dst[i:], src[i:])
			} else {
				c.block.Encrypt(dst[i:], src[i:])
			}
		}
		return
	}
	c.bm.CryptBlocks(dst, src)
}

var (
	errWrongFinal = &osslError{"ERR_OSSL_WRONG_FINAL_BLOCK_LENGTH", "Provider routines", "wrong final block length", "error:1C80006B:Provider routines::wrong final block length"}
	errBadDecrypt = &osslError{"ERR_OSSL_BAD_DECRYPT", "Provider routines", "bad decrypt", "error:1C800064:Provider routines::bad decrypt"}
	errAuth       = errors.New("Unsupported state or unable to authenticate data")
)

func (c *cipherState) final() ([]byte, error) {
	if c.done {
		return nil, errors.New("Unsupported state")
	}
	c.done = true
	switch c.mode {
	case "ctr", "cfb", "cfb8", "ofb":
		return []byte{}, nil
	case "gcm", "chacha20-poly1305":
		return c.aeadFinal()
	}
	bs := 16
	if !c.padding {
		if len(c.buf) != 0 {
			return nil, errWrongFinal
		}
		return []byte{}, nil
	}
	if !c.decrypt {
		p := bs - len(c.buf)%bs
		c.buf = append(c.buf, bytes.Repeat([]byte{byte(p)}, p)...)
		out := make([]byte, len(c.buf))
		c.crypt(out, c.buf)
		return out, nil
	}
	if len(c.buf) != bs {
		return nil, errWrongFinal
	}
	out := make([]byte, bs)
	c.crypt(out, c.buf)
	p := int(out[bs-1])
	if p == 0 || p > bs {
		return nil, errBadDecrypt
	}
	for _, x := range out[bs-p:] {
		if int(x) != p {
			return nil, errBadDecrypt
		}
	}
	return out[:bs-p], nil
}

func (c *cipherState) aeadFor(tagLen int) (cipher.AEAD, error) {
	if c.mode == "chacha20-poly1305" {
		return c.aead, nil
	}
	if len(c.nonce) != 12 {
		return cipher.NewGCMWithNonceSize(c.block, len(c.nonce))
	}
	return cipher.NewGCMWithTagSize(c.block, tagLen)
}

func (c *cipherState) aeadFinal() ([]byte, error) {
	if !c.decrypt {
		a, err := c.aeadFor(16)
		if err != nil {
			return nil, err
		}
		sealed := a.Seal(nil, c.nonce, c.buf, c.aad)
		ct, tag := sealed[:len(c.buf)], sealed[len(c.buf):]
		c.tag = tag[:min(c.tagLen, len(tag))]
		if c.stream != nil {
			return []byte{}, nil
		}
		return ct, nil
	}
	if len(c.tag) == 0 {
		return nil, errAuth
	}
	tag := c.tag
	if c.mode == "chacha20-poly1305" && len(tag) != 16 {
		return nil, errAuth
	}
	a, err := c.aeadFor(len(tag))
	if err != nil || a.Overhead() != len(tag) {
		return nil, errAuth
	}
	pt, err := a.Open(nil, c.nonce, append(append([]byte(nil), c.buf...), tag...), c.aad)
	if err != nil {
		return nil, errAuth
	}
	if c.stream != nil {
		return []byte{}, nil
	}
	return pt, nil
}

// Asymmetric keys.

type asymKey struct {
	priv crypto.PrivateKey // nil for a public key
	pub  crypto.PublicKey
}

func newAsymKey(k any) (*asymKey, error) {
	switch x := k.(type) {
	case *rsa.PrivateKey:
		return &asymKey{priv: x, pub: &x.PublicKey}, nil
	case *ecdsa.PrivateKey:
		return &asymKey{priv: x, pub: &x.PublicKey}, nil
	case ed25519.PrivateKey:
		return &asymKey{priv: x, pub: x.Public()}, nil
	case *ecdh.PrivateKey:
		if x.Curve() != ecdh.X25519() {
			return nil, errUnsupportedKey
		}
		return &asymKey{priv: x, pub: x.PublicKey()}, nil
	case *ecdh.PublicKey:
		if x.Curve() != ecdh.X25519() {
			return nil, errUnsupportedKey
		}
		return &asymKey{pub: x}, nil
	case *rsa.PublicKey, *ecdsa.PublicKey, ed25519.PublicKey:
		return &asymKey{pub: x}, nil
	}
	return nil, errUnsupportedKey
}

var errKeyTypeOp = &osslError{"ERR_OSSL_EVP_OPERATION_NOT_SUPPORTED_FOR_THIS_KEYTYPE", "digital envelope routines", "operation not supported for this keytype", "error:03000096:digital envelope routines::operation not supported for this keytype"}

var errUnsupportedKey = &osslError{"ERR_OSSL_UNSUPPORTED", "DECODER routines", "unsupported", "error:1E08010C:DECODER routines::unsupported"}

// parseKey decodes PEM (any known label) or DER of the given type. kind is
// "private" (must be a private key) or "public" (a private key's public
// half is taken, a certificate's key too).
func parseKey(data []byte, format, typ, kind string) (*asymKey, error) {
	return parseKeyPass(data, format, typ, kind, nil)
}

// parseKeyPass is parseKey with a passphrase for encrypted keys (PKCS#8
// PBES2 and the legacy Proc-Type PEM encryption); nil means none given.
func parseKeyPass(data []byte, format, typ, kind string, pass []byte) (*asymKey, error) {
	var k *asymKey
	var err error
	if format == "pem" {
		block, _ := pem.Decode(data)
		if block == nil {
			return nil, errUnsupportedKey
		}
		switch block.Type {
		case "PRIVATE KEY":
			typ = "pkcs8"
		case "RSA PRIVATE KEY":
			typ = "pkcs1-private"
		case "EC PRIVATE KEY":
			typ = "sec1"
		case "PUBLIC KEY":
			typ = "spki"
		case "RSA PUBLIC KEY":
			typ = "pkcs1"
		case "CERTIFICATE":
			typ = "cert"
		case "ENCRYPTED PRIVATE KEY":
			typ = "pkcs8-encrypted"
		default:
			return nil, errUnsupportedKey
		}
		data = block.Bytes
		if x509.IsEncryptedPEMBlock(block) { //nolint:staticcheck // legacy PEM encryption is what Node writes for pkcs1/sec1 with a cipher
			if pass == nil {
				return nil, errNoPassphrase
			}
			d, err := x509.DecryptPEMBlock(block, pass) //nolint:staticcheck // see above
			if err != nil {
				return nil, errBadDecrypt
			}
			data = d
		}
	}
	if typ == "pkcs8" && format == "der" {
		if _, err := x509.ParsePKCS8PrivateKey(data); err != nil {
			if _, perr := parsePBES2(data); perr == nil {
				typ = "pkcs8-encrypted"
			}
		}
	}
	if typ == "pkcs8-encrypted" {
		if pass == nil {
			return nil, errNoPassphrase
		}
		d, err := decryptPKCS8(data, pass)
		if err != nil {
			return nil, err
		}
		data, typ = d, "pkcs8"
	}
	var raw any
	switch typ {
	case "pkcs8":
		raw, err = x509.ParsePKCS8PrivateKey(data)
	case "pkcs1-private":
		raw, err = x509.ParsePKCS1PrivateKey(data)
	case "sec1":
		raw, err = x509.ParseECPrivateKey(data)
	case "spki":
		raw, err = x509.ParsePKIXPublicKey(data)
	case "pkcs1":
		if kind == "private" {
			raw, err = x509.ParsePKCS1PrivateKey(data)
		} else if raw, err = x509.ParsePKCS1PublicKey(data); err != nil {
			raw, err = x509.ParsePKCS1PrivateKey(data)
		}
	case "cert":
		var cert *x509.Certificate
		cert, err = x509.ParseCertificate(data)
		if err == nil {
			raw = cert.PublicKey
		}
	default:
		return nil, errUnsupportedKey
	}
	if err != nil {
		return nil, errUnsupportedKey
	}
	if k, err = newAsymKey(raw); err != nil {
		return nil, err
	}
	if kind == "private" && k.priv == nil {
		return nil, errUnsupportedKey // what OpenSSL's decoder says of a public key read as private
	}
	if kind == "public" {
		k = &asymKey{pub: k.pub}
	}
	return k, nil
}

func curveName(c elliptic.Curve) string {
	switch c {
	case elliptic.P256():
		return "prime256v1"
	case elliptic.P384():
		return "secp384r1"
	case elliptic.P521():
		return "secp521r1"
	}
	return ""
}

func curveByName(n string) elliptic.Curve {
	switch n {
	case "prime256v1", "P-256", "secp256r1":
		return elliptic.P256()
	case "secp384r1", "P-384":
		return elliptic.P384()
	case "secp521r1", "P-521":
		return elliptic.P521()
	}
	return nil
}

func jwkCurve(c elliptic.Curve) string {
	return map[string]string{"prime256v1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}[curveName(c)]
}

func (k *asymKey) describe() (asym string, bits int, exp string, curve string) {
	switch p := k.pub.(type) {
	case *rsa.PublicKey:
		return "rsa", p.N.BitLen(), fmt.Sprintf("%x", p.E), ""
	case *ecdsa.PublicKey:
		return "ec", 0, "", curveName(p.Curve)
	case ed25519.PublicKey:
		return "ed25519", 0, "", ""
	case *ecdh.PublicKey:
		return "x25519", 0, "", ""
	}
	return "", 0, "", ""
}

func (k *asymKey) marshal(typ string) ([]byte, string, error) {
	if k.priv != nil && typ != "spki" && !(typ == "pkcs1-public") {
		switch typ {
		case "pkcs8":
			der, err := x509.MarshalPKCS8PrivateKey(k.priv)
			return der, "PRIVATE KEY", err
		case "pkcs1":
			rk, ok := k.priv.(*rsa.PrivateKey)
			if !ok {
				return nil, "", &codedError{"Error", "ERR_CRYPTO_INCOMPATIBLE_KEY_OPTIONS", "The selected key encoding pkcs1 can only be used for RSA keys."}
			}
			return x509.MarshalPKCS1PrivateKey(rk), "RSA PRIVATE KEY", nil
		case "sec1":
			ek, ok := k.priv.(*ecdsa.PrivateKey)
			if !ok {
				return nil, "", &codedError{"Error", "ERR_CRYPTO_INCOMPATIBLE_KEY_OPTIONS", "The selected key encoding sec1 can only be used for EC keys."}
			}
			der, err := x509.MarshalECPrivateKey(ek)
			return der, "EC PRIVATE KEY", err
		}
		return nil, "", &codedError{"TypeError", "ERR_INVALID_ARG_VALUE", fmt.Sprintf("The property 'options.type' is invalid. Received '%s'", typ)}
	}
	switch typ {
	case "spki":
		der, err := x509.MarshalPKIXPublicKey(k.pub)
		return der, "PUBLIC KEY", err
	case "pkcs1", "pkcs1-public":
		rk, ok := k.pub.(*rsa.PublicKey)
		if !ok {
			return nil, "", &codedError{"Error", "ERR_CRYPTO_INCOMPATIBLE_KEY_OPTIONS", "The selected key encoding pkcs1 can only be used for RSA keys."}
		}
		return x509.MarshalPKCS1PublicKey(rk), "RSA PUBLIC KEY", nil
	}
	return nil, "", &codedError{"TypeError", "ERR_INVALID_ARG_VALUE", fmt.Sprintf("The property 'options.type' is invalid. Received '%s'", typ)}
}

func b64u(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func (k *asymKey) jwk(vm *qjs.VM) (qjs.Value, error) {
	o := vm.Object()
	set := func(n, v string) { vm.Set(o, n, vm.String(v)) }
	switch p := k.pub.(type) {
	case *rsa.PublicKey:
		set("kty", "RSA")
		set("n", b64u(p.N.Bytes()))
		set("e", b64u(big.NewInt(int64(p.E)).Bytes()))
		if rk, ok := k.priv.(*rsa.PrivateKey); ok {
			rk.Precompute()
			set("d", b64u(rk.D.Bytes()))
			set("p", b64u(rk.Primes[0].Bytes()))
			set("q", b64u(rk.Primes[1].Bytes()))
			set("dp", b64u(rk.Precomputed.Dp.Bytes()))
			set("dq", b64u(rk.Precomputed.Dq.Bytes()))
			set("qi", b64u(rk.Precomputed.Qinv.Bytes()))
		}
	case *ecdsa.PublicKey:
		raw, err := p.Bytes()
		if err != nil {
			vm.Free(o)
			return qjs.Undefined, err
		}
		n := (len(raw) - 1) / 2
		set("kty", "EC")
		set("x", b64u(raw[1:1+n]))
		set("y", b64u(raw[1+n:]))
		set("crv", jwkCurve(p.Curve))
		if ek, ok := k.priv.(*ecdsa.PrivateKey); ok {
			d, err := ek.Bytes()
			if err != nil {
				vm.Free(o)
				return qjs.Undefined, err
			}
			set("d", b64u(d))
		}
	case ed25519.PublicKey:
		set("crv", "Ed25519")
		if ek, ok := k.priv.(ed25519.PrivateKey); ok {
			set("d", b64u(ek.Seed()))
		}
		set("x", b64u(p))
		set("kty", "OKP")
	case *ecdh.PublicKey:
		set("crv", "X25519")
		if xk, ok := k.priv.(*ecdh.PrivateKey); ok {
			set("d", b64u(xk.Bytes()))
		}
		set("x", b64u(p.Bytes()))
		set("kty", "OKP")
	}
	return o, nil
}

func keyFromJWK(vm *qjs.VM, o qjs.Value, kind string) (*asymKey, error) {
	get := func(n string) ([]byte, bool) {
		v := vm.GetV(o, n)
		defer vm.Free(v)
		if !v.IsString() {
			return nil, false
		}
		b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(vm.Str(v), "="))
		return b, err == nil
	}
	str := func(n string) string {
		v := vm.GetV(o, n)
		defer vm.Free(v)
		return vm.Str(v)
	}
	bad := &codedError{"Error", "ERR_CRYPTO_INVALID_JWK", "Invalid JWK data"}
	var k *asymKey
	switch str("kty") {
	case "EC":
		c := curveByName(str("crv"))
		x, ok1 := get("x")
		y, ok2 := get("y")
		if c == nil || !ok1 || !ok2 {
			return nil, bad
		}
		n := (c.Params().BitSize + 7) / 8
		if len(x) != n || len(y) != n {
			return nil, bad
		}
		pub, err := ecdsa.ParseUncompressedPublicKey(c, append(append([]byte{4}, x...), y...))
		if err != nil {
			return nil, bad
		}
		k = &asymKey{pub: pub}
		if d, ok := get("d"); ok && kind == "private" {
			priv, err := ecdsa.ParseRawPrivateKey(c, d)
			if err != nil {
				return nil, bad
			}
			k = &asymKey{priv: priv, pub: &priv.PublicKey}
		}
	case "OKP":
		if str("crv") == "X25519" {
			x, ok := get("x")
			pub, err := ecdh.X25519().NewPublicKey(x)
			if !ok || err != nil {
				return nil, bad
			}
			k = &asymKey{pub: pub}
			if d, ok := get("d"); ok && kind == "private" {
				priv, err := ecdh.X25519().NewPrivateKey(d)
				if err != nil {
					return nil, bad
				}
				k = &asymKey{priv: priv, pub: priv.PublicKey()}
			}
			break
		}
		if str("crv") != "Ed25519" {
			return nil, &codedError{"Error", "ERR_CRYPTO_INVALID_JWK", "Invalid JWK Ed25519 key"}
		}
		x, ok := get("x")
		if !ok || len(x) != ed25519.PublicKeySize {
			return nil, bad
		}
		k = &asymKey{pub: ed25519.PublicKey(x)}
		if d, ok := get("d"); ok && kind == "private" {
			if len(d) != ed25519.SeedSize {
				return nil, bad
			}
			priv := ed25519.NewKeyFromSeed(d)
			k = &asymKey{priv: priv, pub: priv.Public()}
		}
	case "RSA":
		n, ok1 := get("n")
		e, ok2 := get("e")
		if !ok1 || !ok2 {
			return nil, bad
		}
		pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
		k = &asymKey{pub: pub}
		if d, ok := get("d"); ok && kind == "private" {
			p, ok1 := get("p")
			q, ok2 := get("q")
			if !ok1 || !ok2 {
				return nil, bad
			}
			priv := &rsa.PrivateKey{PublicKey: *pub, D: new(big.Int).SetBytes(d), Primes: []*big.Int{new(big.Int).SetBytes(p), new(big.Int).SetBytes(q)}}
			if err := priv.Validate(); err != nil {
				return nil, bad
			}
			priv.Precompute()
			k = &asymKey{priv: priv, pub: &priv.PublicKey}
		}
	default:
		return nil, &codedError{"TypeError", "ERR_CRYPTO_INVALID_JWK", "Invalid JWK data"}
	}
	if kind == "private" && k.priv == nil {
		return nil, bad
	}
	return k, nil
}

const (
	rsaPKCS1Padding = 1
	rsaPSSPadding   = 6
)

func (k *asymKey) digestFor(alg string, data []byte) (crypto.Hash, []byte, error) {
	if alg == "" {
		alg = "sha256"
	}
	h, ok := lookupHash(alg)
	if !ok || h.xof {
		return 0, nil, &osslError{"ERR_OSSL_EVP_INVALID_DIGEST", "digital envelope routines", "invalid digest", "error:0300009A:digital envelope routines::invalid digest"}
	}
	d := h.new()
	d.Write(data)
	return h.cryp, d.Sum(nil), nil
}

func pssSalt(n int) int {
	switch n {
	case -1:
		return rsa.PSSSaltLengthEqualsHash
	case -2, -3:
		return rsa.PSSSaltLengthAuto
	}
	return n
}

func (k *asymKey) sign(alg string, data []byte, padding, saltLen int, dsaEnc string) ([]byte, error) {
	switch p := k.priv.(type) {
	case nil:
		return nil, &codedError{"TypeError", "ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE", "Invalid key object type public, expected private."}
	case ed25519.PrivateKey:
		return ed25519.Sign(p, data), nil
	case *ecdh.PrivateKey:
		return nil, errKeyTypeOp
	case *rsa.PrivateKey:
		h, sum, err := k.digestFor(alg, data)
		if err != nil {
			return nil, err
		}
		if padding == rsaPSSPadding {
			if saltLen == -4 {
				saltLen = -2
			}
			return rsa.SignPSS(rand.Reader, p, h, sum, &rsa.PSSOptions{SaltLength: pssSalt(saltLen), Hash: h})
		}
		return rsa.SignPKCS1v15(rand.Reader, p, h, sum)
	case *ecdsa.PrivateKey:
		_, sum, err := k.digestFor(alg, data)
		if err != nil {
			return nil, err
		}
		sig, err := ecdsa.SignASN1(rand.Reader, p, sum)
		if err != nil {
			return nil, err
		}
		if dsaEnc == "ieee-p1363" {
			return derToP1363(sig, (p.Curve.Params().BitSize+7)/8)
		}
		return sig, nil
	}
	return nil, errUnsupportedKey
}

func (k *asymKey) verify(alg string, data, sig []byte, padding, saltLen int, dsaEnc string) (bool, error) {
	switch p := k.pub.(type) {
	case ed25519.PublicKey:
		return ed25519.Verify(p, data, sig), nil
	case *rsa.PublicKey:
		h, sum, err := k.digestFor(alg, data)
		if err != nil {
			return false, err
		}
		if padding == rsaPSSPadding {
			if saltLen == -4 {
				saltLen = -2
			}
			return rsa.VerifyPSS(p, h, sum, sig, &rsa.PSSOptions{SaltLength: pssSalt(saltLen), Hash: h}) == nil, nil
		}
		return rsa.VerifyPKCS1v15(p, h, sum, sig) == nil, nil
	case *ecdsa.PublicKey:
		_, sum, err := k.digestFor(alg, data)
		if err != nil {
			return false, err
		}
		if dsaEnc == "ieee-p1363" {
			n := (p.Curve.Params().BitSize + 7) / 8
			if len(sig) != 2*n {
				return false, nil
			}
			der, err := asn1.Marshal(struct{ R, S *big.Int }{new(big.Int).SetBytes(sig[:n]), new(big.Int).SetBytes(sig[n:])})
			if err != nil {
				return false, nil
			}
			sig = der
		}
		return ecdsa.VerifyASN1(p, sum, sig), nil
	}
	return false, errUnsupportedKey
}

func derToP1363(der []byte, n int) ([]byte, error) {
	var rs struct{ R, S *big.Int }
	if _, err := asn1.Unmarshal(der, &rs); err != nil {
		return nil, err
	}
	out := make([]byte, 2*n)
	rs.R.FillBytes(out[:n])
	rs.S.FillBytes(out[n:])
	return out, nil
}

func generateKey(typ string, bits int, exp int64, curve string) (*asymKey, error) {
	switch typ {
	case "rsa":
		if exp != 0 && exp != 65537 {
			return nil, &codedError{"Error", "ERR_FEATURE_UNAVAILABLE_ON_PLATFORM", "gnode generates RSA keys with publicExponent 65537 only"}
		}
		k, err := rsa.GenerateKey(rand.Reader, bits)
		if err != nil {
			return nil, &codedError{"Error", "ERR_OSSL_BAD_KEY_LENGTH", fmt.Sprintf("rsa key generation: %v", err)}
		}
		return newAsymKey(k)
	case "ec":
		c := curveByName(curve)
		if c == nil {
			return nil, &codedError{"TypeError", "ERR_CRYPTO_INVALID_CURVE", "Invalid EC curve name"}
		}
		k, err := ecdsa.GenerateKey(c, rand.Reader)
		if err != nil {
			return nil, err
		}
		return newAsymKey(k)
	case "ed25519":
		_, k, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return nil, err
		}
		return newAsymKey(k)
	case "x25519":
		k, err := ecdh.X25519().GenerateKey(rand.Reader)
		if err != nil {
			return nil, err
		}
		return newAsymKey(k)
	}
	return nil, &codedError{"TypeError", "ERR_INVALID_ARG_VALUE", fmt.Sprintf("The argument 'type' must be a supported key type. Received '%s'", typ)}
}

// RSA encryption (publicEncrypt and friends).

func rsaOpError(reason, code, num string) error {
	return &osslError{code, "rsa routines", reason, "error:" + num + ":rsa routines::" + reason}
}

func (k *asymKey) rsaCrypt(op string, data []byte, padding int, oaepHash string, label []byte) ([]byte, error) {
	pub, ok := k.pub.(*rsa.PublicKey)
	if !ok {
		return nil, &osslError{"ERR_OSSL_EVP_OPERATION_NOT_SUPPORTED_FOR_THIS_KEYTYPE", "digital envelope routines", "operation not supported for this keytype", "error:03000096:digital envelope routines::operation not supported for this keytype"}
	}
	priv, _ := k.priv.(*rsa.PrivateKey)
	size := pub.Size()
	if len(label) == 0 {
		label = nil
	}
	const noPadding, oaepPadding = 3, 4
	switch op {
	case "publicEncrypt":
		switch padding {
		case oaepPadding:
			h, ok := lookupHash(oaepHash)
			if !ok || h.xof {
				return nil, &codedError{"TypeError", "ERR_OSSL_EVP_INVALID_DIGEST", "Invalid digest used"}
			}
			if len(data) > size-2*h.new().Size()-2 {
				return nil, rsaOpError("data too large for key size", "ERR_OSSL_RSA_DATA_TOO_LARGE_FOR_KEY_SIZE", "0200006E")
			}
			return rsa.EncryptOAEP(h.new(), rand.Reader, pub, data, label)
		case rsaPKCS1Padding:
			if len(data) > size-11 {
				return nil, rsaOpError("data too large for key size", "ERR_OSSL_RSA_DATA_TOO_LARGE_FOR_KEY_SIZE", "0200006E")
			}
			return rsa.EncryptPKCS1v15(rand.Reader, pub, data)
		case noPadding:
			if len(data) != size {
				return nil, rsaOpError("data too small for key size", "ERR_OSSL_RSA_DATA_TOO_SMALL_FOR_KEY_SIZE", "0200006F")
			}
			return rsaRaw(pub, nil, data, size)
		}
	case "privateDecrypt":
		if priv == nil {
			return nil, errUnsupportedKey
		}
		switch padding {
		case oaepPadding:
			h, ok := lookupHash(oaepHash)
			if !ok || h.xof {
				return nil, &codedError{"TypeError", "ERR_OSSL_EVP_INVALID_DIGEST", "Invalid digest used"}
			}
			out, err := rsa.DecryptOAEP(h.new(), nil, priv, data, label)
			if err != nil {
				return nil, rsaOpError("oaep decoding error", "ERR_OSSL_RSA_OAEP_DECODING_ERROR", "02000079")
			}
			return out, nil
		case noPadding:
			return rsaRaw(nil, priv, data, size)
		}
	case "privateEncrypt":
		if priv == nil {
			return nil, errUnsupportedKey
		}
		switch padding {
		case rsaPKCS1Padding:
			if len(data) > size-11 {
				return nil, rsaOpError("data too large for key size", "ERR_OSSL_RSA_DATA_TOO_LARGE_FOR_KEY_SIZE", "0200006E")
			}
			// PKCS#1 v1.5 type 1 padding over the data as it is: what
			// SignPKCS1v15 does with no hash.
			return rsa.SignPKCS1v15(nil, priv, crypto.Hash(0), data)
		case noPadding:
			return rsaRaw(nil, priv, data, size)
		}
	case "publicDecrypt":
		em, err := rsaRaw(pub, nil, data, size)
		if err != nil {
			return nil, err
		}
		if padding == noPadding {
			return em, nil
		}
		if padding == rsaPKCS1Padding {
			// OpenSSL's type 1 padding check, in its order and words
			// (node reports whichever check fails first).
			if len(em) < 11 || em[0] != 0 {
				return nil, rsaOpError("invalid padding", "ERR_OSSL_RSA_INVALID_PADDING", "0200008A")
			}
			if em[1] != 1 {
				return nil, rsaOpError("block type is not 01", "ERR_OSSL_RSA_BLOCK_TYPE_IS_NOT_01", "0200006A")
			}
			i := 2
			for i < len(em) && em[i] == 0xff {
				i++
			}
			if i == len(em) {
				return nil, rsaOpError("null before block missing", "ERR_OSSL_RSA_NULL_BEFORE_BLOCK_MISSING", "02000071")
			}
			if em[i] != 0 {
				return nil, rsaOpError("bad fixed header decrypt", "ERR_OSSL_RSA_BAD_FIXED_HEADER_DECRYPT", "02000066")
			}
			if i-2 < 8 {
				return nil, rsaOpError("bad pad byte count", "ERR_OSSL_RSA_BAD_PAD_BYTE_COUNT", "02000067")
			}
			return em[i+1:], nil
		}
	}
	return nil, &osslError{"ERR_OSSL_ILLEGAL_OR_UNSUPPORTED_PADDING_MODE", "Provider routines", "illegal or unsupported padding mode", "error:1C8000A5:Provider routines::illegal or unsupported padding mode"}
}

// rsaRaw is textbook RSA (RSA_NO_PADDING): c^e mod n with a public key,
// c^d mod n with a private one, left-padded to the modulus size.
func rsaRaw(pub *rsa.PublicKey, priv *rsa.PrivateKey, data []byte, size int) ([]byte, error) {
	c := new(big.Int).SetBytes(data)
	var m *big.Int
	if priv != nil {
		if c.Cmp(priv.N) >= 0 {
			return nil, rsaOpError("data too large for modulus", "ERR_OSSL_RSA_DATA_TOO_LARGE_FOR_MODULUS", "02000084")
		}
		m = new(big.Int).Exp(c, priv.D, priv.N)
	} else {
		if c.Cmp(pub.N) >= 0 {
			return nil, rsaOpError("data too large for modulus", "ERR_OSSL_RSA_DATA_TOO_LARGE_FOR_MODULUS", "02000084")
		}
		m = new(big.Int).Exp(c, big.NewInt(int64(pub.E)), pub.N)
	}
	return m.FillBytes(make([]byte, size)), nil
}

// ECDH.

type ecdhState struct {
	curve ecdh.Curve
	name  string
	priv  *ecdh.PrivateKey
}

func (e *ecdhState) keySize() int {
	switch e.curve {
	case ecdh.P384():
		return 48
	case ecdh.P521():
		return 66
	}
	return 32
}

func ecdhCurve(name string) ecdh.Curve {
	switch name {
	case "prime256v1", "secp256r1", "P-256":
		return ecdh.P256()
	case "secp384r1", "P-384":
		return ecdh.P384()
	case "secp521r1", "P-521":
		return ecdh.P521()
	}
	return nil
}

func padLeft(b []byte, n int) []byte {
	if len(b) >= n {
		return b
	}
	return append(make([]byte, n-len(b)), b...)
}

func compressPoint(p []byte) []byte {
	if len(p) == 0 || p[0] != 4 {
		return p
	}
	n := (len(p) - 1) / 2
	out := make([]byte, 1+n)
	out[0] = 2 | p[len(p)-1]&1
	copy(out[1:], p[1:1+n])
	return out
}

// decompressPoint turns a compressed (02/03) point into the uncompressed
// form crypto/ecdh reads; other inputs are returned as they are.
func decompressPoint(curve string, p []byte) []byte {
	if len(p) == 0 || (p[0] != 2 && p[0] != 3) {
		return p
	}
	c := curveByName(curve)
	if c == nil {
		return p
	}
	x, y := elliptic.UnmarshalCompressed(c, p) //nolint:staticcheck // point decompression has no replacement in crypto/ecdh
	if x == nil {
		return p
	}
	return elliptic.Marshal(c, x, y) //nolint:staticcheck // see above
}

// Encrypted keys.

var errNoPassphrase = &osslError{"ERR_OSSL_CRYPTO_INTERRUPTED_OR_CANCELLED", "common libcrypto routines", "interrupted or cancelled", "error:07880109:common libcrypto routines::interrupted or cancelled"}

var (
	oidPBES2      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}
	oidPBKDF2     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}
	oidHMACSHA1   = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 7}
	oidHMACSHA256 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 9}
	oidHMACSHA512 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 11}
	oidAESCBC     = map[int]asn1.ObjectIdentifier{
		16: {2, 16, 840, 1, 101, 3, 4, 1, 2},
		24: {2, 16, 840, 1, 101, 3, 4, 1, 22},
		32: {2, 16, 840, 1, 101, 3, 4, 1, 42},
	}
)

type algID struct {
	Algorithm asn1.ObjectIdentifier
	Params    asn1.RawValue `asn1:"optional"`
}

type encryptedPKI struct {
	Algo algID
	Data []byte
}

type pbes2Params struct {
	KDF algID
	Enc algID
}

type pbkdf2Params struct {
	Salt   []byte
	Iter   int
	KeyLen int   `asn1:"optional"`
	PRF    algID `asn1:"optional"`
}

type pbes2 struct {
	salt   []byte
	iter   int
	prf    func() hash.Hash
	keyLen int
	iv     []byte
	data   []byte
}

func parsePBES2(der []byte) (*pbes2, error) {
	var epki encryptedPKI
	if rest, err := asn1.Unmarshal(der, &epki); err != nil || len(rest) > 0 || !epki.Algo.Algorithm.Equal(oidPBES2) {
		return nil, errUnsupportedKey
	}
	var params pbes2Params
	if _, err := asn1.Unmarshal(epki.Algo.Params.FullBytes, &params); err != nil || !params.KDF.Algorithm.Equal(oidPBKDF2) {
		return nil, errUnsupportedKey
	}
	var kdf pbkdf2Params
	if _, err := asn1.Unmarshal(params.KDF.Params.FullBytes, &kdf); err != nil {
		return nil, errUnsupportedKey
	}
	p := &pbes2{salt: kdf.Salt, iter: kdf.Iter, prf: sha1.New, data: epki.Data}
	switch {
	case kdf.PRF.Algorithm == nil, kdf.PRF.Algorithm.Equal(oidHMACSHA1):
	case kdf.PRF.Algorithm.Equal(oidHMACSHA256):
		p.prf = sha256.New
	case kdf.PRF.Algorithm.Equal(oidHMACSHA512):
		p.prf = sha512.New
	default:
		return nil, errUnsupportedKey
	}
	for n, oid := range oidAESCBC {
		if params.Enc.Algorithm.Equal(oid) {
			p.keyLen = n
		}
	}
	if p.keyLen == 0 {
		return nil, errUnsupportedKey
	}
	if _, err := asn1.Unmarshal(params.Enc.Params.FullBytes, &p.iv); err != nil || len(p.iv) != aes.BlockSize {
		return nil, errUnsupportedKey
	}
	return p, nil
}

func decryptPKCS8(der, pass []byte) ([]byte, error) {
	p, err := parsePBES2(der)
	if err != nil {
		return nil, err
	}
	key, err := pbkdf2.Key(p.prf, string(pass), p.salt, p.iter, p.keyLen)
	if err != nil {
		return nil, errBadDecrypt
	}
	c, err := newCipher(fmt.Sprintf("aes-%d-cbc", p.keyLen*8), key, p.iv, true, 0)
	if err != nil {
		return nil, err
	}
	out := c.update(p.data)
	last, err := c.final()
	if err != nil {
		return nil, errBadDecrypt
	}
	return append(out, last...), nil
}

// encryptKey encrypts a marshalled private key as Node does: PKCS#8 with
// PBES2 (PBKDF2-HMAC-SHA256, 2048 iterations, 8-byte salt, AES-CBC), or,
// for PEM pkcs1/sec1, the legacy Proc-Type/DEK-Info encryption.
func encryptKey(block *pem.Block, cipherName string, pass []byte, isPEM bool) (*pem.Block, error) {
	n := strings.ToLower(cipherName)
	keyLen := map[string]int{"aes-128-cbc": 16, "aes128": 16, "aes-192-cbc": 24, "aes192": 24, "aes-256-cbc": 32, "aes256": 32}[n]
	if keyLen == 0 {
		return nil, &codedError{"Error", "ERR_CRYPTO_UNKNOWN_CIPHER", "Unknown cipher"}
	}
	if block.Type != "PRIVATE KEY" {
		if !isPEM {
			return nil, &codedError{"Error", "ERR_CRYPTO_INCOMPATIBLE_KEY_OPTIONS", "The selected key encoding " + map[string]string{"RSA PRIVATE KEY": "pkcs1", "EC PRIVATE KEY": "sec1"}[block.Type] + " does not support encryption."}
		}
		alg := map[int]x509.PEMCipher{16: x509.PEMCipherAES128, 24: x509.PEMCipherAES192, 32: x509.PEMCipherAES256}[keyLen]
		return x509.EncryptPEMBlock(rand.Reader, block.Type, block.Bytes, pass, alg) //nolint:staticcheck // Node writes this legacy form for pkcs1/sec1
	}
	salt := make([]byte, 8)
	iv := make([]byte, aes.BlockSize)
	rand.Read(salt)
	rand.Read(iv)
	const iter = 2048
	key, err := pbkdf2.Key(sha256.New, string(pass), salt, iter, keyLen)
	if err != nil {
		return nil, err
	}
	c, err := newCipher(fmt.Sprintf("aes-%d-cbc", keyLen*8), key, iv, false, 0)
	if err != nil {
		return nil, err
	}
	enc := c.update(block.Bytes)
	last, err := c.final()
	if err != nil {
		return nil, err
	}
	enc = append(enc, last...)
	null := asn1.RawValue{Tag: asn1.TagNull}
	prf, _ := asn1.Marshal(algID{Algorithm: oidHMACSHA256, Params: null})
	kdfParams, err := asn1.Marshal(struct {
		Salt []byte
		Iter int
		PRF  asn1.RawValue
	}{salt, iter, asn1.RawValue{FullBytes: prf}})
	if err != nil {
		return nil, err
	}
	ivDER, _ := asn1.Marshal(iv)
	params, err := asn1.Marshal(pbes2Params{
		KDF: algID{Algorithm: oidPBKDF2, Params: asn1.RawValue{FullBytes: kdfParams}},
		Enc: algID{Algorithm: oidAESCBC[keyLen], Params: asn1.RawValue{FullBytes: ivDER}},
	})
	if err != nil {
		return nil, err
	}
	der, err := asn1.Marshal(encryptedPKI{Algo: algID{Algorithm: oidPBES2, Params: asn1.RawValue{FullBytes: params}}, Data: enc})
	if err != nil {
		return nil, err
	}
	return &pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: der}, nil
}

// keyAgreement is ECDH between a private key and a public key of the same
// kind (X25519, or EC on the same curve).
func keyAgreement(priv, pub *asymKey) ([]byte, error) {
	var sk *ecdh.PrivateKey
	var pk *ecdh.PublicKey
	var err error
	switch p := priv.priv.(type) {
	case *ecdh.PrivateKey:
		sk = p
	case *ecdsa.PrivateKey:
		if sk, err = p.ECDH(); err != nil {
			return nil, err
		}
	default:
		return nil, errKeyTypeOp
	}
	switch p := pub.pub.(type) {
	case *ecdh.PublicKey:
		pk = p
	case *ecdsa.PublicKey:
		if pk, err = p.ECDH(); err != nil {
			return nil, errKeyTypeOp
		}
	default:
		return nil, errKeyTypeOp
	}
	if sk.Curve() != pk.Curve() {
		return nil, &osslError{"ERR_OSSL_EVP_DIFFERENT_PARAMETERS", "digital envelope routines", "different parameters", "error:03000066:digital envelope routines::different parameters"}
	}
	return sk.ECDH(pk)
}
