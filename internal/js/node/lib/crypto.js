'use strict';
// node:crypto over internalBinding('crypto') (Go's crypto packages, see
// lib/bindings/crypto.md). Argument checking, encodings, streams of chunks
// and Node's error codes live here; the binding only computes.

const { Buffer } = require('buffer');
const { bindCurrent } = require('internal/async_context');
const binding = internalBinding('crypto');
const {
  codes: {
    ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE, ERR_OUT_OF_RANGE,
    ERR_CRYPTO_HASH_FINALIZED, ERR_CRYPTO_INVALID_DIGEST,
  },
} = require('internal/errors');
const { kIsNodeError } = require('internal/errors');

// --- errors and argument helpers ---------------------------------------------
// Shared helpers of the crypto lib files: Node-style errors for the codes
// internal/errors does not define, argument checks and byte conversions.


const classes = new Map();

// nodeError builds an error shaped like Node's NodeError: own enumerable
// `code`, non-enumerable message, "Name [CODE]: message" as its string.
function nodeError(Base, code, message) {
  let C = classes.get(`${Base.name}/${code}`);
  if (C === undefined) {
    C = class NodeError extends Base {
      constructor(msg) {
        super(msg);
        this.code = code;
        const stack = this.stack;
        if (typeof stack === 'string') {
          const first = `${this.name}: ${msg}`;
          this.stack = stack.startsWith(first)
            ? `${this.name} [${code}]: ${msg}` + stack.slice(first.length)
            : `${this.name} [${code}]: ${msg}\n${stack}`;
        }
      }

      toString() { return `${this.name} [${code}]: ${this.message}`; }
    };
    Object.defineProperty(C.prototype, 'constructor', { get() { return Base; }, configurable: true });
    if (kIsNodeError !== undefined) {
      Object.defineProperty(C.prototype, kIsNodeError, { value: true, configurable: true });
    }
    classes.set(`${Base.name}/${code}`, C);
  }
  return new C(message);
}

// plainError is an error without a code (OpenSSL-originated messages Node
// passes through as they are).
function plainError(message) { return new Error(message); }

const kBufferTypes = ['string', 'ArrayBuffer', 'Buffer', 'TypedArray', 'DataView'];

// toBytes turns data (string in enc, ArrayBuffer, any ArrayBufferView) into a
// Uint8Array view; other values throw ERR_INVALID_ARG_TYPE naming `name`.
function toBytes(data, enc, name, types = kBufferTypes) {
  if (typeof data === 'string') {
    // Unknown encodings read the string as UTF-8, as Node's do.
    if (enc === undefined || enc === null || enc === 'buffer' || !Buffer.isEncoding(enc)) return Buffer.from(data, 'utf8');
    if (data.length % 2 !== 0 && String(enc).toLowerCase() === 'hex') {
      throw new ERR_INVALID_ARG_VALUE('encoding', enc, `is invalid for data of length ${data.length}`);
    }
    return Buffer.from(data, enc);
  }
  if (ArrayBuffer.isView(data)) {
    return data instanceof Uint8Array ? data
      : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  if (types.includes('ArrayBuffer') && (data instanceof ArrayBuffer ||
      (typeof SharedArrayBuffer !== 'undefined' && data instanceof SharedArrayBuffer))) {
    return new Uint8Array(data);
  }
  throw new ERR_INVALID_ARG_TYPE(name, types, data);
}

function asBuffer(u8) {
  return Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
}

// encodeOutput returns bytes as a Buffer, or a string when enc names a
// known encoding (an unknown one gives the Buffer, as Node's digest does).
function encodeOutput(u8, enc) {
  const b = asBuffer(u8);
  if (enc === undefined || enc === 'buffer' || !Buffer.isEncoding(enc)) return b;
  return b.toString(enc);
}

function validateString(v, name) {
  if (typeof v !== 'string') throw new ERR_INVALID_ARG_TYPE(name, 'string', v);
}

function validateFunction(v, name) {
  if (typeof v !== 'function') throw new ERR_INVALID_ARG_TYPE(name, 'Function', v);
}

function validateObject(v, name) {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new ERR_INVALID_ARG_TYPE(name, 'Object', v);
}

function validateNumber(v, name, min, max) {
  if (typeof v !== 'number') throw new ERR_INVALID_ARG_TYPE(name, 'number', v);
  if ((min != null && v < min) || (max != null && v > max) || ((min != null || max != null) && Number.isNaN(v))) {
    throw new ERR_OUT_OF_RANGE(name, `${min != null ? `>= ${min}` : ''}${min != null && max != null ? ' && ' : ''}${max != null ? `<= ${max}` : ''}`, v);
  }
}

function validateInt32(v, name, min = -2147483648, max = 2147483647) {
  if (typeof v !== 'number') throw new ERR_INVALID_ARG_TYPE(name, 'number', v);
  if (!Number.isInteger(v)) throw new ERR_OUT_OF_RANGE(name, 'an integer', v);
  if (v < min || v > max) throw new ERR_OUT_OF_RANGE(name, `>= ${min} && <= ${max}`, v);
}

function validateUint32(v, name, positive) {
  if (typeof v !== 'number') throw new ERR_INVALID_ARG_TYPE(name, 'number', v);
  if (!Number.isInteger(v)) throw new ERR_OUT_OF_RANGE(name, 'an integer', v);
  const min = positive ? 1 : 0;
  if (v < min || v > 4294967295) throw new ERR_OUT_OF_RANGE(name, `>= ${min} && <= 4294967295`, v);
}


// --- KeyObject ----------------------------------------------------------------
// KeyObject and its three kinds (secret, public, private) over the native
// key handles of internalBinding('crypto'), plus the key-argument parsing
// shared by sign/verify, createPrivateKey/createPublicKey and webcrypto.


const kHandle = Symbol('kHandle');
const kKeyType = Symbol('kKeyType');

class KeyObject {
  constructor(type, handle) {
    if (type !== 'secret' && type !== 'public' && type !== 'private') {
      throw new ERR_INVALID_ARG_VALUE('type', type);
    }
    this[kKeyType] = type;
    Object.defineProperty(this, kHandle, { value: handle, enumerable: false, configurable: false, writable: false });
  }

  get type() { return this[kKeyType]; }

  static from(key) {
    if (!(key instanceof CryptoKey)) throw new ERR_INVALID_ARG_TYPE('key', 'CryptoKey', key);
    return keyObjectOf(key);
  }

  equals(other) {
    if (!(other instanceof KeyObject)) throw new ERR_INVALID_ARG_TYPE('otherKeyObject', 'KeyObject', other);
    if (other.type !== this.type) return false;
    if (this.type === 'secret') {
      const a = this[kHandle];
      const b = other[kHandle];
      return a.length === b.length && binding.timingSafeEqual(a, b);
    }
    return binding.keyEquals(this[kHandle], other[kHandle]);
  }
}

class SecretKeyObject extends KeyObject {
  constructor(bytes) { super('secret', bytes); }

  get symmetricKeySize() { return this[kHandle].length; }

  export(options) {
    if (options !== undefined) {
      if (options === null || typeof options !== 'object') throw new ERR_INVALID_ARG_TYPE('options', 'Object', options);
      if (options.format === 'jwk') {
        return { kty: 'oct', k: asBuffer(this[kHandle]).toString('base64url') };
      }
      if (options.format !== undefined && options.format !== 'buffer') {
        throw new ERR_INVALID_ARG_VALUE('options.format', options.format);
      }
    }
    return Buffer.from(this[kHandle]);
  }
}

class AsymmetricKeyObject extends KeyObject {
  info() {
    if (this._info === undefined) {
      Object.defineProperty(this, '_info', { value: binding.keyInfo(this[kHandle]), enumerable: false });
    }
    return this._info;
  }

  get asymmetricKeyType() { return this.info()[1]; }

  get asymmetricKeyDetails() {
    const [, asym, bits, exp, curve] = this.info();
    if (asym === 'rsa') return { modulusLength: bits, publicExponent: BigInt('0x' + exp) };
    if (asym === 'ec') return { namedCurve: curve };
    return {};
  }

  export(options) {
    if (options === undefined || options === null || typeof options !== 'object') {
      throw new ERR_INVALID_ARG_TYPE('options', 'Object', options);
    }
    const { format, type } = options;
    if (format === 'jwk') return binding.keyToJWK(this[kHandle]);
    if (format !== 'pem' && format !== 'der') {
      throw new ERR_INVALID_ARG_VALUE('options.format', format);
    }
    if (this.type === 'public') {
      if (type !== 'spki' && type !== 'pkcs1') throw new ERR_INVALID_ARG_VALUE('options.type', type);
      const out = binding.keyExport(this[kHandle], format, type === 'pkcs1' ? 'pkcs1-public' : type);
      return format === 'pem' ? out : asBuffer(out);
    }
    if (type !== 'pkcs8' && type !== 'pkcs1' && type !== 'sec1') throw new ERR_INVALID_ARG_VALUE('options.type', type);
    let cipher;
    let passphrase;
    if (options.cipher !== undefined) {
      validateString(options.cipher, 'options.cipher');
      cipher = options.cipher;
      if (options.passphrase === undefined) throw new ERR_INVALID_ARG_VALUE('options.passphrase', options.passphrase);
      passphrase = toBytes(options.passphrase, 'utf8', 'options.passphrase', keyTypes);
    }
    const out = binding.keyExport(this[kHandle], format, type, cipher, passphrase);
    return format === 'pem' ? out : asBuffer(out);
  }
}

class PublicKeyObject extends AsymmetricKeyObject {
  constructor(handle) { super('public', handle); }
}

class PrivateKeyObject extends AsymmetricKeyObject {
  constructor(handle) { super('private', handle); }
}

const keyTypes = ['string', 'ArrayBuffer', 'Buffer', 'TypedArray', 'DataView'];

function isStringOrBuffer(v) {
  return typeof v === 'string' || ArrayBuffer.isView(v) || v instanceof ArrayBuffer;
}

// parseAsymmetric turns a key argument (PEM string/buffer, {key, format,
// type, encoding}, KeyObject, CryptoKey) into a native handle of kind
// 'private' or 'public' (a private key given where a public one is wanted
// yields its public half).
function parseAsymmetric(key, kind, name = 'key') {
  if (key instanceof KeyObject) {
    if (key.type === 'secret') {
      throw nodeError(TypeError, 'ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE', `Invalid key object type secret, expected ${kind}.`);
    }
    if (kind === 'private' && key.type !== 'private') {
      throw nodeError(TypeError, 'ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE', `Invalid key object type ${key.type}, expected private.`);
    }
    return kind === 'public' && key.type === 'private' ? binding.keyPublic(key[kHandle]) : key[kHandle];
  }
  if (key instanceof CryptoKey) return parseAsymmetric(keyObjectOf(key), kind, name);
  let data = key;
  let format = 'pem';
  let type;
  let encoding;
  let passphrase;
  if (!isStringOrBuffer(key)) {
    // createPublicKey also names the key objects it accepts.
    const listed = kind === 'public' ? [...keyTypes, 'KeyObject', 'CryptoKey'] : keyTypes;
    if (key === null) throw new TypeError(`Cannot destructure property 'key' of 'key' as it is null.`);
    if (typeof key !== 'object') throw new ERR_INVALID_ARG_TYPE(name, listed, key);
    data = key.key;
    if (data instanceof KeyObject || data instanceof CryptoKey) return parseAsymmetric(data, kind, name);
    format = key.format === undefined ? 'pem' : key.format;
    type = key.type;
    encoding = key.encoding;
    if (key.passphrase !== undefined && key.passphrase !== null) {
      passphrase = toBytes(key.passphrase, 'utf8', 'key.passphrase', keyTypes);
    }
    if (format === 'jwk') {
      if (data === null || typeof data !== 'object') throw new ERR_INVALID_ARG_TYPE('key.key', 'object', data);
      return binding.keyFromJWK(data, kind);
    }
    if (!isStringOrBuffer(data)) {
      throw new ERR_INVALID_ARG_TYPE('key.key', kind === 'public' ? [...keyTypes, 'KeyObject', 'CryptoKey'] : keyTypes, data);
    }
    if (format !== 'pem' && format !== 'der') throw new ERR_INVALID_ARG_VALUE('key.format', format);
    if (format === 'der') {
      if (type === undefined) throw new ERR_INVALID_ARG_VALUE('key.type', type);
      const ok = kind === 'private' ? ['pkcs1', 'pkcs8', 'sec1'] : ['pkcs1', 'spki', 'pkcs8', 'sec1'];
      if (!ok.includes(type)) throw new ERR_INVALID_ARG_VALUE('key.type', type);
      if (kind === 'private' && type === 'pkcs1') type = 'pkcs1-private';
    }
  }
  const bytes = toBytes(data, encoding || 'utf8', name, keyTypes);
  if (format === 'der' && kind === 'public' && (type === 'pkcs8' || type === 'sec1')) {
    return binding.keyPublic(binding.keyParse(bytes, 'der', type, 'private', passphrase));
  }
  return binding.keyParse(bytes, format, type || '', kind, passphrase);
}

function createPrivateKey(key) {
  return new PrivateKeyObject(parseAsymmetric(key, 'private'));
}

function createPublicKey(key) {
  return new PublicKeyObject(parseAsymmetric(key, 'public'));
}

function createSecretKey(key, encoding) {
  if (typeof key !== 'string' && !ArrayBuffer.isView(key) && !(key instanceof ArrayBuffer)) {
    throw new ERR_INVALID_ARG_TYPE('key', ['ArrayBuffer', 'Buffer', 'TypedArray', 'DataView'], key);
  }
  const bytes = toBytes(key, encoding, 'key', keyTypes);
  return new SecretKeyObject(Uint8Array.prototype.slice.call(bytes));
}

// secretBytes reads a symmetric key argument (HMAC keys, cipher keys).
function secretBytes(key, name = 'key', encoding) {
  if (key instanceof KeyObject) {
    if (key.type !== 'secret') {
      throw nodeError(TypeError, 'ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE', `Invalid key object type ${key.type}, expected secret.`);
    }
    return key[kHandle];
  }
  if (key instanceof CryptoKey) return secretBytes(keyObjectOf(key), name);
  return toBytes(key, encoding, name, [...keyTypes, 'KeyObject', 'CryptoKey']);
}

function encodeKey(keyObject, enc, name) {
  if (enc === undefined) return keyObject;
  if (enc === null || typeof enc !== 'object') throw new ERR_INVALID_ARG_TYPE(name, 'Object', enc);
  if (enc.format === 'jwk') return keyObject.export({ format: 'jwk' });
  if (enc.type === undefined) throw new ERR_INVALID_ARG_VALUE(`${name}.type`, enc.type);
  return keyObject.export(enc);
}

function validateGenerateOptions(type, options) {
  if (options === null) throw new TypeError("Cannot destructure property 'publicKeyEncoding' of 'options' as it is null.");
  if (options !== undefined) validateObject(options, 'options');
  if (type === 'rsa') {
    if (options === undefined || options === null || typeof options !== 'object') {
      throw new ERR_INVALID_ARG_TYPE('options', 'Object', options);
    }
    const { modulusLength, publicExponent = 0x10001 } = options;
    if (typeof modulusLength !== 'number') throw new ERR_INVALID_ARG_TYPE('options.modulusLength', 'number', modulusLength);
    return ['rsa', modulusLength, publicExponent, ''];
  }
  if (type === 'ec') {
    if (options === undefined || options === null || typeof options !== 'object') {
      throw new ERR_INVALID_ARG_TYPE('options', 'Object', options);
    }
    if (typeof options.namedCurve !== 'string') {
      throw new ERR_INVALID_ARG_TYPE('options.namedCurve', 'string', options.namedCurve);
    }
    return ['ec', 0, 0, options.namedCurve];
  }
  if (type === 'ed25519') return ['ed25519', 0, 0, ''];
  if (type === 'x25519') return ['x25519', 0, 0, ''];
  if (typeof type !== 'string') throw new ERR_INVALID_ARG_TYPE('type', 'string', type);
  throw new ERR_INVALID_ARG_VALUE('type', type, "must be a supported key type");
}

function wrapPair(pair, options) {
  const privateKey = new PrivateKeyObject(pair[0]);
  const publicKey = new PublicKeyObject(pair[1]);
  const o = options || {};
  return {
    publicKey: encodeKey(publicKey, o.publicKeyEncoding, 'options.publicKeyEncoding'),
    privateKey: encodeKey(privateKey, o.privateKeyEncoding, 'options.privateKeyEncoding'),
  };
}

function generateKeyPairSync(type, options) {
  const args = validateGenerateOptions(type, options);
  return wrapPair(binding.keyGenerate(...args), options);
}

function generateKeyPair(type, options, callback) {
  if (typeof options === 'function') {
    callback = options;
    options = undefined;
  }
  if (typeof callback !== 'function') throw new ERR_INVALID_ARG_TYPE('callback', 'Function', callback);
  const args = validateGenerateOptions(type, options);
  binding.keyGenerate(...args, (err, pair) => {
    if (err) return callback(err);
    let out;
    try {
      out = wrapPair(pair, options);
    } catch (e) {
      return callback(e);
    }
    callback(null, out.publicKey, out.privateKey);
  });
}

function generateKeySync(type, options) {
  if (typeof type !== 'string') throw new ERR_INVALID_ARG_TYPE('type', 'string', type);
  if (options === null || typeof options !== 'object') throw new ERR_INVALID_ARG_TYPE('options', 'Object', options);
  const { length } = options;
  if (type !== 'hmac' && type !== 'aes') throw new ERR_INVALID_ARG_VALUE('type', type, 'must be a supported key type');
  if (typeof length !== 'number') throw new ERR_INVALID_ARG_TYPE('options.length', 'number', length);
  if (type === 'aes' && ![128, 192, 256].includes(length)) {
    throw new ERR_INVALID_ARG_VALUE('options.length', length, 'must be one of: 128, 192, 256');
  }
  const b = new Uint8Array(Math.floor(length / 8));
  binding.randomFill(b);
  return new SecretKeyObject(b);
}

function generateKey(type, options, callback) {
  if (typeof callback !== 'function') throw new ERR_INVALID_ARG_TYPE('callback', 'Function', callback);
  const key = generateKeySync(type, options);
  setImmediate(() => callback(null, key));
}


const dataTypes = ['string', 'Buffer', 'TypedArray', 'DataView'];

// --- Hash / Hmac -----------------------------------------------------------

// A Hash or Hmac is the binding's object itself, made with the class's
// prototype: no state record beside it, and createHash() makes one object.
// The binding keeps the finalized flag (hashUpdate answers false and
// hashDigest undefined once digested).

function Hash(algorithm, options) {
  if (new.target === undefined) return new Hash(algorithm, options);
  let h;
  if (typeof algorithm !== 'string' && algorithm instanceof Hash) {
    h = binding.hashCopy(algorithm, xofLength(options), new.target.prototype);
  } else {
    validateString(algorithm, 'algorithm');
    h = binding.hashNew(algorithm, xofLength(options), new.target.prototype);
    if (h === undefined) throw plainError('Digest method not supported');
  }
  if (options !== undefined) lazyTransform(h, options);
  return h;
}

function xofLength(options) {
  if (options == null || options.outputLength === undefined) return undefined;
  validateUint32(options.outputLength, 'options.outputLength');
  return options.outputLength;
}

Hash.prototype.copy = function copy(options) {
  const h = binding.hashCopy(this, xofLength(options), Hash.prototype);
  if (h === null) throw new ERR_CRYPTO_HASH_FINALIZED();
  if (options !== undefined) lazyTransform(h, options);
  return h;
};

// Strings in UTF-8 go to the binding as they are (one call, no Buffer).
const kStringEncodings = new Set([undefined, 'utf8', 'utf-8', 'buffer']);

const kNoBytes = new Uint8Array(0);

Hash.prototype.update = function update(data, encoding) {
  if (typeof data === 'string') {
    if (encoding !== undefined && !kStringEncodings.has(encoding) && Buffer.isEncoding(encoding)) {
      // A digested hash is reported before a bad string (an empty update
      // is the binding's finalized test).
      if (!binding.hashUpdate(this, kNoBytes)) throw new ERR_CRYPTO_HASH_FINALIZED();
      data = toBytes(data, encoding, 'data');
    }
  } else if (!ArrayBuffer.isView(data)) {
    if (!binding.hashUpdate(this, kNoBytes)) throw new ERR_CRYPTO_HASH_FINALIZED();
    throw new ERR_INVALID_ARG_TYPE('data', dataTypes, data);
  }
  if (!binding.hashUpdate(this, data)) throw new ERR_CRYPTO_HASH_FINALIZED();
  return this;
};

// digestResult turns the binding's digest into digest()'s result: a
// string it encoded, or the bytes as a Buffer or in outputEncoding.
function digestResult(r, outputEncoding) {
  if (typeof r === 'string') return r;
  if (outputEncoding === undefined || outputEncoding === 'buffer') return Object.setPrototypeOf(r, Buffer.prototype);
  return encodeOutput(r, outputEncoding);
}

Hash.prototype.digest = function digest(outputEncoding) {
  const r = binding.hashDigest(this, outputEncoding);
  if (typeof r === 'string') return r;
  if (r === undefined) throw new ERR_CRYPTO_HASH_FINALIZED();
  return digestResult(r, outputEncoding);
};

Hash.prototype._transform = function _transform(chunk, encoding, callback) {
  this.update(chunk, encoding);
  callback();
};

Hash.prototype._flush = function _flush(callback) {
  this.push(this.digest());
  callback();
};

function Hmac(hmac, key, options) {
  if (new.target === undefined) return new Hmac(hmac, key, options);
  validateString(hmac, 'hmac');
  const encoding = options && options.encoding;
  let k;
  if (typeof key === 'string') {
    // A string key in UTF-8 goes to the binding as it is; other encodings
    // decode as Buffer.from does (odd hex truncated, unknown ones thrown).
    k = encoding === undefined || kStringEncodings.has(encoding) ? key : Buffer.from(key, encoding);
  } else {
    k = secretBytes(key, 'key', encoding);
  }
  const h = binding.hmacNew(hmac, k, new.target.prototype);
  if (h === undefined) throw new ERR_CRYPTO_INVALID_DIGEST(hmac);
  if (options !== undefined) lazyTransform(h, options);
  return h;
}

Hmac.prototype.update = Hash.prototype.update;
Hmac.prototype.digest = function digest(outputEncoding) {
  const r = binding.hashDigest(this, outputEncoding);
  if (typeof r === 'string') return r;
  // A second digest() gives an empty result, as Node's does.
  if (r === undefined) return encodeOutput(new Uint8Array(0), outputEncoding);
  return digestResult(r, outputEncoding);
};
Hmac.prototype._transform = Hash.prototype._transform;
Hmac.prototype._flush = Hash.prototype._flush;

// lazyTransform makes Hash/Hmac/Cipher/Sign streams without paying for the
// stream state until a stream method is used (Node's LazyTransform).
let Transform;
function streamBase() {
  if (Transform === undefined) Transform = require('stream').Transform;
  return Transform;
}

const kOptions = Symbol('kOptions');
function lazyTransform(obj, options) {
  if (options !== undefined) {
    Object.defineProperty(obj, kOptions, { value: options, enumerable: false });
    obj._options = options;
  }
}

function makeLazy(Ctor) {
  const T = streamBase();
  Object.setPrototypeOf(Ctor.prototype, T.prototype);
  const stateProps = ['_readableState', '_writableState', '_transformState', '_events'];
  for (const p of stateProps) {
    Object.defineProperty(Ctor.prototype, p, {
      get() {
        if (Object.prototype.hasOwnProperty.call(this, '__lazyInit')) return undefined;
        Object.defineProperty(this, '__lazyInit', { value: true, enumerable: false });
        for (const q of stateProps) {
          Object.defineProperty(this, q, { value: undefined, writable: true, configurable: true, enumerable: q !== '_events' });
        }
        T.call(this, this[kOptions]);
        return this[p];
      },
      set(v) {
        Object.defineProperty(this, p, { value: v, writable: true, configurable: true, enumerable: true });
      },
      configurable: true,
      enumerable: false,
    });
  }
}

// The binding's native createHash, createHmac, update and digest take the
// common calls; each hands anything else to the JavaScript version here.
const fastHash = binding.hashMethods(Hash.prototype, Hmac.prototype, {
  createHash: function createHash(algorithm, options) { return new Hash(algorithm, options); },
  createHmac: function createHmac(hmac, key, options) { return new Hmac(hmac, key, options); },
  update: Hash.prototype.update,
  digest: Hash.prototype.digest,
  hmacDigest: Hmac.prototype.digest,
  digestResult,
  setPrototypeOf: Object.setPrototypeOf,
  bufferPrototype: Buffer.prototype,
});
Hash.prototype.update = fastHash.update;
Hmac.prototype.update = fastHash.update;
Hash.prototype.digest = fastHash.digest;
Hmac.prototype.digest = fastHash.hmacDigest;
const createHash = fastHash.createHash;
const createHmac = fastHash.createHmac;

function hash(algorithm, input, outputEncoding = 'hex') {
  validateString(algorithm, 'algorithm');
  if (typeof input !== 'string' && !ArrayBuffer.isView(input)) {
    throw new ERR_INVALID_ARG_TYPE('input', ['Buffer', 'TypedArray', 'DataView', 'string'], input);
  }
  if (outputEncoding !== 'hex') {
    validateString(outputEncoding, 'outputEncoding');
    if (!Buffer.isEncoding(outputEncoding) && outputEncoding.toLowerCase() !== 'buffer') {
      throw new ERR_INVALID_ARG_VALUE('outputEncoding', outputEncoding);
    }
  }
  const r = binding.hashOnce(algorithm, input, outputEncoding);
  if (r === undefined) throw plainError(`Digest method ${algorithm} is not supported`);
  if (typeof r === 'string') return r;
  if (outputEncoding.toLowerCase() === 'buffer') return Object.setPrototypeOf(r, Buffer.prototype);
  return encodeOutput(r, outputEncoding);
}

function getHashes() { return binding.hashNames.slice(); }

// --- random ------------------------------------------------------------------

const kMaxLength = 2 ** 31 - 1;
const kMaxUint32 = 2 ** 32 - 1;

function assertSize(size, name = 'size', max = kMaxLength) {
  validateNumber(size, name);
  if (Number.isNaN(size) || size < 0 || size > max) {
    throw new ERR_OUT_OF_RANGE(name, `>= 0 && <= ${max}`, size);
  }
}

function randomBytes(size, callback) {
  assertSize(size);
  if (callback !== undefined) validateFunction(callback, 'callback');
  const buf = Buffer.alloc(size >>> 0);
  if (callback === undefined) {
    binding.randomFill(buf);
    return buf;
  }
  const cb = bindCurrent(callback);
  binding.randomFill(buf, (err) => cb(err, err ? undefined : buf));
}

function viewOf(buf, name) {
  if (ArrayBuffer.isView(buf)) return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf instanceof ArrayBuffer) return new Uint8Array(buf);
  throw new ERR_INVALID_ARG_TYPE(name, ['ArrayBuffer', 'ArrayBufferView'], buf);
}

function fillRange(buf, offset, size, name) {
  const u8 = viewOf(buf, name);
  const elt = ArrayBuffer.isView(buf) && buf.BYTES_PER_ELEMENT ? buf.BYTES_PER_ELEMENT : 1;
  const len = u8.length;
  offset = offset === undefined ? 0 : offset;
  validateNumber(offset, 'offset');
  offset *= elt;
  const maxOffset = Math.min(kMaxLength, len);
  if (Number.isNaN(offset) || offset < 0 || offset > maxOffset) {
    throw new ERR_OUT_OF_RANGE('offset', `>= 0 && <= ${maxOffset}`, offset);
  }
  if (size === undefined) size = len - offset;
  else {
    validateNumber(size, 'size');
    size *= elt;
    if (Number.isNaN(size) || size < 0 || size > kMaxLength) throw new ERR_OUT_OF_RANGE('size', `>= 0 && <= ${kMaxLength}`, size);
    if (size + offset > len) throw new ERR_OUT_OF_RANGE('size + offset', `<= ${len}`, size + offset);
  }
  return u8.subarray(offset, offset + size);
}

function randomFillSync(buf, offset, size) {
  binding.randomFill(fillRange(buf, offset, size, 'buf'));
  return buf;
}

function randomFill(buf, offset, size, callback) {
  if (typeof offset === 'function') {
    callback = offset;
    offset = undefined;
    size = undefined;
  } else if (typeof size === 'function') {
    callback = size;
    size = undefined;
  }
  viewOf(buf, 'buf');
  validateFunction(callback, 'callback');
  const view = fillRange(buf, offset, size, 'buf');
  binding.randomFill(view, (err) => callback(err, err ? undefined : buf));
}

// randomInt draws 48-bit values and rejects those past the largest multiple
// of the range, so every result is equally likely (as Node does).
const kRandMax = 2 ** 48 - 1;
let randCache = new Uint8Array(6 * 1024);
let randOffset = randCache.length;

function rand48() {
  if (randOffset >= randCache.length) {
    binding.randomFill(randCache);
    randOffset = 0;
  }
  const c = randCache;
  const o = randOffset;
  randOffset += 6;
  return c[o] * 2 ** 40 + c[o + 1] * 2 ** 32 + c[o + 2] * 2 ** 24 + c[o + 3] * 2 ** 16 + c[o + 4] * 2 ** 8 + c[o + 5];
}

function randomInt(min, max, callback) {
  const minNotSpecified = typeof max === 'undefined' || typeof max === 'function';
  if (minNotSpecified) {
    callback = max;
    max = min;
    min = 0;
  }
  const isSync = typeof callback === 'undefined';
  if (!isSync) validateFunction(callback, 'callback');
  if (!Number.isSafeInteger(min)) throw new ERR_INVALID_ARG_TYPE('min', 'a safe integer', min);
  if (!Number.isSafeInteger(max)) throw new ERR_INVALID_ARG_TYPE('max', 'a safe integer', max);
  if (max <= min) {
    throw new ERR_OUT_OF_RANGE('max', `greater than the value of "min" (${min})`, max);
  }
  const range = max - min;
  if (!(range <= kRandMax)) {
    throw new ERR_OUT_OF_RANGE(`max${minNotSpecified ? '' : ' - min'}`, `<= ${kRandMax}`, range);
  }
  const randLimit = kRandMax - (kRandMax % range);
  let n;
  do { n = rand48(); } while (n >= randLimit);
  const result = min + (n % range);
  if (isSync) return result;
  process.nextTick(callback, undefined, result);
}

const kHex = Array.from({ length: 256 }, (_, i) => (i < 16 ? '0' : '') + i.toString(16));
let uuidCache;
let uuidOffset = 0;

function randomUUID(options) {
  if (options !== undefined) validateObject(options, 'options');
  if (options && options.disableEntropyCache !== undefined && typeof options.disableEntropyCache !== 'boolean') {
    throw new ERR_INVALID_ARG_TYPE('options.disableEntropyCache', 'boolean', options.disableEntropyCache);
  }
  if (uuidCache === undefined || uuidOffset >= uuidCache.length || (options && options.disableEntropyCache)) {
    if (uuidCache === undefined) uuidCache = new Uint8Array(16 * 128);
    binding.randomFill(uuidCache);
    uuidOffset = 0;
  }
  const b = uuidCache;
  const o = uuidOffset;
  uuidOffset += 16;
  const h = (i) => kHex[b[o + i]];
  return h(0) + h(1) + h(2) + h(3) + '-' + h(4) + h(5) + '-' +
    kHex[(b[o + 6] & 0x0f) | 0x40] + h(7) + '-' + kHex[(b[o + 8] & 0x3f) | 0x80] + h(9) + '-' +
    h(10) + h(11) + h(12) + h(13) + h(14) + h(15);
}

const kIntegerArrays = ['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array',
  'Int32Array', 'Uint32Array', 'BigInt64Array', 'BigUint64Array'];

function getRandomValues(data) {
  const tag = ArrayBuffer.isView(data) ? Object.prototype.toString.call(data).slice(8, -1) : '';
  if (!kIntegerArrays.includes(tag)) {
    const DOMException = globalThis.DOMException || require('internal/dom_exception');
    throw new DOMException('The data argument must be an integer-type TypedArray', 'TypeMismatchError');
  }
  if (data.byteLength > 65536) {
    const DOMException = globalThis.DOMException || require('internal/dom_exception');
    throw new DOMException('The requested length exceeds 65,536 bytes', 'QuotaExceededError');
  }
  binding.randomFill(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return data;
}

// --- key derivation -----------------------------------------------------------

const passTypes = ['string', 'ArrayBuffer', 'Buffer', 'TypedArray', 'DataView'];

function pbkdf2Args(password, salt, iterations, keylen, digest) {
  const p = toBytes(password, 'utf8', 'password', passTypes);
  const s = toBytes(salt, 'utf8', 'salt', passTypes);
  validateInt32(iterations, 'iterations', 1);
  validateInt32(keylen, 'keylen', 0);
  validateString(digest, 'digest');
  return [p, s, iterations, keylen, digest];
}

function pbkdf2Sync(password, salt, iterations, keylen, digest) {
  return asBuffer(binding.pbkdf2(...pbkdf2Args(password, salt, iterations, keylen, digest)));
}

function pbkdf2(password, salt, iterations, keylen, digest, callback) {
  if (typeof digest === 'function') {
    callback = digest;
    digest = undefined;
  }
  const args = pbkdf2Args(password, salt, iterations, keylen, digest);
  validateFunction(callback, 'callback');
  const cb = bindCurrent(callback);
  binding.pbkdf2(...args, (err, key) => (err ? cb(err) : cb(null, asBuffer(key))));
}

const scryptDefaults = { N: 16384, r: 8, p: 1, maxmem: 32 << 20 };

function scryptArgs(password, salt, keylen, options) {
  const p = toBytes(password, 'utf8', 'password', passTypes);
  const s = toBytes(salt, 'utf8', 'salt', passTypes);
  validateInt32(keylen, 'keylen', 0);
  let { N, r, p: par, maxmem } = scryptDefaults;
  if (options && options !== scryptDefaults) {
    const has = (v) => v !== undefined;
    const pick = (a, b, name1, name2) => {
      if (has(a) && has(b)) throw nodeError(Error, 'ERR_CRYPTO_SCRYPT_INVALID_PARAMETER', 'Invalid scrypt parameter');
      return has(a) ? a : b;
    };
    const n = pick(options.N, options.cost, 'N', 'cost');
    const rr = pick(options.r, options.blockSize, 'r', 'blockSize');
    const pp = pick(options.p, options.parallelization, 'p', 'parallelization');
    if (has(n)) { validateUint32(n, 'N'); N = n; }
    if (has(rr)) { validateUint32(rr, 'r'); r = rr; }
    if (has(pp)) { validateUint32(pp, 'p'); par = pp; }
    if (has(options.maxmem)) { validateNumber(options.maxmem, 'maxmem', 0); maxmem = options.maxmem; }
    if (N < 2 || (N & (N - 1)) !== 0) throw nodeError(RangeError, 'ERR_CRYPTO_INVALID_SCRYPT_PARAMS', 'Invalid scrypt params');
  }
  return [p, s, keylen, N, r, par, maxmem];
}

function scryptSync(password, salt, keylen, options = scryptDefaults) {
  return asBuffer(binding.scrypt(...scryptArgs(password, salt, keylen, options)));
}

function scrypt(password, salt, keylen, options, callback = options) {
  if (callback === options) options = scryptDefaults;
  const args = scryptArgs(password, salt, keylen, options);
  validateFunction(callback, 'callback');
  const cb = bindCurrent(callback);
  binding.scrypt(...args, (err, key) => (err ? cb(err) : cb(null, asBuffer(key))));
}

function hkdfArgs(digest, ikm, salt, info, keylen) {
  validateString(digest, 'digest');
  const k = ikm instanceof KeyObject ? secretBytes(ikm, 'ikm')
    : toBytes(ikm, 'utf8', 'ikm', ['string', 'SecretKeyObject', 'ArrayBuffer', 'TypedArray', 'DataView', 'Buffer']);
  const s = toBytes(salt, 'utf8', 'salt', passTypes);
  const i = toBytes(info, 'utf8', 'info', passTypes);
  validateInt32(keylen, 'length', 0, 2 ** 32);
  if (i.length > 1024) throw new ERR_OUT_OF_RANGE('info', 'must not contain more than 1024 bytes', i.length);
  const h = binding.hashNew(digest);
  if (h === undefined) throw new ERR_CRYPTO_INVALID_DIGEST(digest);
  const size = binding.hashDigest(h).length;
  if (keylen > 255 * size) throw nodeError(RangeError, 'ERR_CRYPTO_INVALID_KEYLEN', 'Invalid key length');
  return [digest, k, s, i, keylen];
}

function toArrayBuffer(u8) {
  return u8.byteOffset === 0 && u8.byteLength === u8.buffer.byteLength ? u8.buffer : u8.slice().buffer;
}

function hkdfSync(digest, ikm, salt, info, keylen) {
  return toArrayBuffer(binding.hkdf(...hkdfArgs(digest, ikm, salt, info, keylen)));
}

function hkdf(digest, ikm, salt, info, keylen, callback) {
  const args = hkdfArgs(digest, ikm, salt, info, keylen);
  validateFunction(callback, 'callback');
  binding.hkdf(...args, (err, key) => (err ? callback(err) : callback(null, toArrayBuffer(key))));
}

function timingSafeEqual(a, b) {
  // Node's message for these has no "Received ..." part.
  for (const [v, n] of [[a, 'buf1'], [b, 'buf2']]) {
    if (!ArrayBuffer.isView(v) && !(v instanceof ArrayBuffer)) {
      throw nodeError(TypeError, 'ERR_INVALID_ARG_TYPE', `The "${n}" argument must be an instance of ArrayBuffer, Buffer, TypedArray, or DataView.`);
    }
  }
  const x = toBytes(a, undefined, 'buf1', ['ArrayBuffer', 'Buffer', 'TypedArray', 'DataView']);
  const y = toBytes(b, undefined, 'buf2', ['ArrayBuffer', 'Buffer', 'TypedArray', 'DataView']);
  if (x.byteLength !== y.byteLength) {
    throw nodeError(RangeError, 'ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH', 'Input buffers must have the same byte length');
  }
  return binding.timingSafeEqual(x, y);
}

// --- ciphers -------------------------------------------------------------------

// name → [keyLength, ivLength (-1: any non-empty, 0: none), mode, the
// binding's name, OpenSSL's nid and name (what getCipherInfo reports)]
const cipherTable = new Map();
const kNids = {
  128: { cbc: 419, ctr: 904, ecb: 418, gcm: 895, cfb: 421, cfb8: 653, ofb: 420 },
  192: { cbc: 423, ctr: 905, ecb: 422, gcm: 898, cfb: 425, cfb8: 654, ofb: 424 },
  256: { cbc: 427, ctr: 906, ecb: 426, gcm: 901, cfb: 429, cfb8: 655, ofb: 428 },
};
const kListed = [];
for (const bits of [128, 192, 256]) {
  for (const mode of ['cbc', 'ctr', 'ecb', 'gcm']) {
    const name = `aes-${bits}-${mode}`;
    const info = mode === 'gcm' ? `id-aes${bits}-gcm` : name;
    const entry = [bits / 8, mode === 'ecb' ? 0 : mode === 'gcm' ? -1 : 16, mode, name, kNids[bits][mode], info];
    cipherTable.set(name, entry);
    kListed.push(name);
    if (mode === 'gcm') cipherTable.set(info, entry);
  }
  cipherTable.set(`aes${bits}`, cipherTable.get(`aes-${bits}-cbc`));
  kListed.push(`aes${bits}`);
  // Stream modes over the block cipher: CFB (128- and 8-bit feedback) and OFB.
  for (const [suffix, mode, nid] of [['cfb', 'cfb', kNids[bits].cfb], ['cfb8', 'cfb', kNids[bits].cfb8], ['ofb', 'ofb', kNids[bits].ofb]]) {
    const name = `aes-${bits}-${suffix}`;
    cipherTable.set(name, [bits / 8, 16, mode, name, nid, name]);
    kListed.push(name);
  }
}
cipherTable.set('chacha20-poly1305', [32, 12, 'chacha20-poly1305', 'chacha20-poly1305', 1018, 'chacha20-poly1305']);
kListed.push('chacha20-poly1305');

function getCiphers() {
  return kListed.slice().sort();
}

function cipherInfo(name, options) {
  if (typeof name !== 'string' && typeof name !== 'number') throw new ERR_INVALID_ARG_TYPE('nameOrNid', ['string', 'number'], name);
  let info;
  if (typeof name === 'number') {
    info = [...cipherTable.values()].find((e) => e[4] === name);
  } else {
    info = cipherTable.get(name.toLowerCase());
  }
  if (info === undefined) return undefined;
  const [keyLength, ivLength, mode, , nid, infoName] = info;
  const out = { mode: mode === 'chacha20-poly1305' ? 'stream' : mode, name: infoName, nid };
  if (mode !== 'chacha20-poly1305') out.blockSize = mode === 'cbc' || mode === 'ecb' ? 16 : 1;
  if (ivLength !== 0) out.ivLength = ivLength === -1 ? 12 : ivLength;
  out.keyLength = keyLength;
  if (options !== undefined) {
    if (options.keyLength !== undefined && options.keyLength !== keyLength) return undefined;
    if (options.ivLength !== undefined && ivLength !== -1 && options.ivLength !== out.ivLength) return undefined;
  }
  return out;
}

const kCipher = Symbol('kCipher');

function Cipheriv(cipher, key, iv, options, decrypt) {
  validateString(cipher, 'cipher');
  const info = cipherTable.get(cipher.toLowerCase());
  if (info === undefined) throw nodeError(Error, 'ERR_CRYPTO_UNKNOWN_CIPHER', 'Unknown cipher');
  const [keyLength, ivLength, mode, bindingName] = info;
  const k = secretBytes(key, 'key');
  let v = null;
  if (iv === null && ivLength !== 0) throw nodeError(TypeError, 'ERR_CRYPTO_INVALID_IV', 'Invalid initialization vector');
  if (iv !== null || ivLength !== 0) {
    v = toBytes(iv, undefined, 'iv', ['string', 'ArrayBuffer', 'Buffer', 'TypedArray', 'DataView']);
  }
  if (k.length !== keyLength) throw nodeError(RangeError, 'ERR_CRYPTO_INVALID_KEYLEN', 'Invalid key length');
  if ((ivLength > 0 && v.length !== ivLength && !(mode === 'chacha20-poly1305' && v.length < 12 && v.length > 0 && false)) ||
      (ivLength === -1 && v.length === 0) || (ivLength === 0 && v !== null && v.length !== 0)) {
    throw nodeError(TypeError, 'ERR_CRYPTO_INVALID_IV', 'Invalid initialization vector');
  }
  let tagLen = 16;
  const aead = mode === 'gcm' || mode === 'chacha20-poly1305';
  if (options != null && options.authTagLength !== undefined) {
    tagLen = options.authTagLength;
    if (aead && (!Number.isInteger(tagLen) || (mode === 'gcm' ? ![4, 8, 12, 13, 14, 15, 16].includes(tagLen) : tagLen < 1 || tagLen > 16))) {
      throw new ERR_INVALID_ARG_VALUE('options.authTagLength', tagLen);
    }
  }
  this[kCipher] = {
    handle: binding.cipherNew(bindingName, k, v || new Uint8Array(0), decrypt, tagLen),
    decrypt, mode, aead, tagLen, finalized: false, tagSet: false, decoder: null, decoderEnc: null,
  };
  lazyTransform(this, options);
}

function decode(s, bytes, enc) {
  const b = asBuffer(bytes);
  if (enc === undefined || enc === 'buffer' || !Buffer.isEncoding(enc)) return b;
  if (s.decoder === null || s.decoderEnc !== enc) {
    const { StringDecoder } = require('string_decoder');
    s.decoder = new StringDecoder(enc);
    s.decoderEnc = enc;
  }
  return s.decoder.write(b);
}

const cipherProto = {
  update(data, inputEncoding, outputEncoding) {
    const s = this[kCipher];
    if (s.finalized) throw plainError('Trying to add data in unsupported state');
    if (typeof data !== 'string' && !ArrayBuffer.isView(data)) {
      throw new ERR_INVALID_ARG_TYPE('data', dataTypes, data);
    }
    const out = binding.cipherUpdate(s.handle, toBytes(data, inputEncoding, 'data'));
    return decode(s, out, outputEncoding);
  },
  final(outputEncoding) {
    const s = this[kCipher];
    if (s.finalized) throw nodeError(Error, 'ERR_CRYPTO_INVALID_STATE', 'Invalid state');
    s.finalized = true;
    const out = binding.cipherFinal(s.handle);
    if (outputEncoding !== undefined && outputEncoding !== 'buffer' && Buffer.isEncoding(outputEncoding)) {
      const str = decode(s, out, outputEncoding);
      return s.decoder ? str + s.decoder.end() : str;
    }
    return asBuffer(out);
  },
  setAutoPadding(ap) {
    const s = this[kCipher];
    if (s.finalized) throw nodeError(Error, 'ERR_CRYPTO_INVALID_STATE', 'Invalid state for operation setAutoPadding');
    binding.cipherSetAutoPadding(s.handle, ap === undefined ? true : !!ap);
    return this;
  },
  setAAD(aad, options) {
    const s = this[kCipher];
    const b = toBytes(aad, undefined, 'buffer', ['Buffer', 'TypedArray', 'DataView']);
    if (!s.aead || s.finalized) throw nodeError(Error, 'ERR_CRYPTO_INVALID_STATE', 'Invalid state for operation setAAD');
    void options;
    binding.cipherSetAAD(s.handle, b);
    return this;
  },
  _transform(chunk, encoding, callback) {
    this.push(this.update(chunk, encoding));
    callback();
  },
  _flush(callback) {
    try {
      this.push(this.final());
    } catch (e) {
      callback(e);
      return;
    }
    callback();
  },
};

function Cipheriv_(cipher, key, iv, options) {
  if (!(this instanceof Cipheriv_)) return new Cipheriv_(cipher, key, iv, options);
  Cipheriv.call(this, cipher, key, iv, options, false);
}
Object.assign(Cipheriv_.prototype, cipherProto);
Cipheriv_.prototype.getAuthTag = function getAuthTag() {
  const s = this[kCipher];
  if (!s.aead || !s.finalized) throw nodeError(Error, 'ERR_CRYPTO_INVALID_STATE', 'Invalid state for operation getAuthTag');
  return asBuffer(binding.cipherGetAuthTag(s.handle));
};
Object.defineProperty(Cipheriv_, 'name', { value: 'Cipheriv' });

function Decipheriv(cipher, key, iv, options) {
  if (!(this instanceof Decipheriv)) return new Decipheriv(cipher, key, iv, options);
  Cipheriv.call(this, cipher, key, iv, options, true);
}
Object.assign(Decipheriv.prototype, cipherProto);
Decipheriv.prototype.setAuthTag = function setAuthTag(tagbuf, encoding) {
  const s = this[kCipher];
  const tag = toBytes(tagbuf, encoding, 'buffer', ['string', 'Buffer', 'TypedArray', 'DataView']);
  if (!s.aead || s.finalized || s.tagSet) throw nodeError(Error, 'ERR_CRYPTO_INVALID_STATE', 'Invalid state for operation setAuthTag');
  const okLen = s.mode === 'gcm' ? [4, 8, 12, 13, 14, 15, 16].includes(tag.length) : tag.length >= 1 && tag.length <= 16;
  if (!okLen) throw nodeError(TypeError, 'ERR_CRYPTO_INVALID_AUTH_TAG', `Invalid authentication tag length: ${tag.length}`);
  s.tagSet = true;
  binding.cipherSetAuthTag(s.handle, tag);
  return this;
};

function createCipheriv(cipher, key, iv, options) { return new Cipheriv_(cipher, key, iv, options); }
function createDecipheriv(cipher, key, iv, options) { return new Decipheriv(cipher, key, iv, options); }

// --- sign / verify -------------------------------------------------------------

const constants = {
  RSA_PKCS1_PADDING: 1,
  RSA_NO_PADDING: 3,
  RSA_PKCS1_OAEP_PADDING: 4,
  RSA_PKCS1_PSS_PADDING: 6,
  RSA_PSS_SALTLEN_DIGEST: -1,
  RSA_PSS_SALTLEN_MAX_SIGN: -2,
  RSA_PSS_SALTLEN_AUTO: -2,
  POINT_CONVERSION_COMPRESSED: 2,
  POINT_CONVERSION_UNCOMPRESSED: 4,
  POINT_CONVERSION_HYBRID: 6,
  defaultCoreCipherList: 'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES256-GCM-SHA384:DHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA256:DHE-RSA-AES128-SHA256:ECDHE-RSA-AES256-SHA384:DHE-RSA-AES256-SHA384:ECDHE-RSA-AES256-SHA256:DHE-RSA-AES256-SHA256:HIGH:!aNULL:!eNULL:!EXPORT:!DES:!RC4:!MD5:!PSK:!SRP:!CAMELLIA',
};

function signOptions(key) {
  let padding = 1;
  let saltLength = -2;
  let dsaEncoding = 'der';
  if (key !== null && typeof key === 'object' && !ArrayBuffer.isView(key) && !(key instanceof KeyObject) && key.key !== undefined) {
    if (key.padding !== undefined) {
      if (typeof key.padding !== 'number' || !Number.isInteger(key.padding)) throw new ERR_INVALID_ARG_VALUE('options.padding', key.padding);
      padding = key.padding;
    }
    if (key.saltLength !== undefined) {
      if (typeof key.saltLength !== 'number' || !Number.isInteger(key.saltLength)) throw new ERR_INVALID_ARG_VALUE('options.saltLength', key.saltLength);
      saltLength = key.saltLength;
    }
    if (key.dsaEncoding !== undefined) {
      if (key.dsaEncoding !== 'der' && key.dsaEncoding !== 'ieee-p1363') throw new ERR_INVALID_ARG_VALUE('options.dsaEncoding', key.dsaEncoding);
      dsaEncoding = key.dsaEncoding;
    }
  }
  return [padding, saltLength, dsaEncoding];
}

const kSign = Symbol('kSign');

function Sign(algorithm, options) {
  if (!(this instanceof Sign)) return new Sign(algorithm, options);
  validateString(algorithm, 'algorithm');
  if (binding.hashNew(algorithm) === undefined) throw nodeError(TypeError, 'ERR_CRYPTO_INVALID_DIGEST', 'Invalid digest');
  this[kSign] = { algorithm, chunks: [] };
  lazyTransform(this, options);
}

Sign.prototype.update = function update(data, encoding) {
  if (typeof data !== 'string' && !ArrayBuffer.isView(data)) throw new ERR_INVALID_ARG_TYPE('data', dataTypes, data);
  this[kSign].chunks.push(Buffer.from(toBytes(data, encoding, 'data')));
  return this;
};
Sign.prototype._write = function _write(chunk, encoding, callback) {
  this.update(chunk, encoding);
  callback();
};
Sign.prototype.sign = function sign(privateKey, outputEncoding) {
  if (!privateKey) throw nodeError(Error, 'ERR_CRYPTO_SIGN_KEY_REQUIRED', 'No key provided to sign');
  const s = this[kSign];
  const handle = parseAsymmetric(privateKey, 'private', 'key');
  const sig = binding.sign(handle, s.algorithm, Buffer.concat(s.chunks), ...signOptions(privateKey));
  return encodeOutput(sig, outputEncoding);
};

function Verify(algorithm, options) {
  if (!(this instanceof Verify)) return new Verify(algorithm, options);
  validateString(algorithm, 'algorithm');
  if (binding.hashNew(algorithm) === undefined) throw nodeError(TypeError, 'ERR_CRYPTO_INVALID_DIGEST', 'Invalid digest');
  this[kSign] = { algorithm, chunks: [] };
  lazyTransform(this, options);
}
Verify.prototype.update = Sign.prototype.update;
Verify.prototype._write = Sign.prototype._write;
Verify.prototype.verify = function verify(object, signature, sigEncoding) {
  const s = this[kSign];
  const handle = parseAsymmetric(object, 'public', 'key');
  const sig = toBytes(signature, sigEncoding, 'signature', ['string', 'ArrayBuffer', 'Buffer', 'TypedArray', 'DataView']);
  return binding.verify(handle, s.algorithm, Buffer.concat(s.chunks), sig, ...signOptions(object));
};

function createSign(algorithm, options) { return new Sign(algorithm, options); }
function createVerify(algorithm, options) { return new Verify(algorithm, options); }

function oneShotDigest(algorithm) {
  if (algorithm === null || algorithm === undefined) return '';
  validateString(algorithm, 'algorithm');
  return algorithm;
}

function signOneShot(algorithm, data, key, callback) {
  const alg = oneShotDigest(algorithm);
  const d = toBytes(data, undefined, 'data', ['ArrayBuffer', 'Buffer', 'TypedArray', 'DataView']);
  if (!key) throw nodeError(Error, 'ERR_CRYPTO_SIGN_KEY_REQUIRED', 'No key provided to sign');
  const run = () => asBuffer(binding.sign(parseAsymmetric(key, 'private', 'key'), alg, d, ...signOptions(key)));
  if (callback === undefined) return run();
  validateFunction(callback, 'callback');
  let out;
  let err = null;
  try { out = run(); } catch (e) { err = e; }
  setImmediate(() => (err ? callback(err) : callback(null, out)));
}

function verifyOneShot(algorithm, data, key, signature, callback) {
  const alg = oneShotDigest(algorithm);
  const d = toBytes(data, undefined, 'data', ['ArrayBuffer', 'Buffer', 'TypedArray', 'DataView']);
  const sig = toBytes(signature, undefined, 'signature', ['ArrayBuffer', 'Buffer', 'TypedArray', 'DataView']);
  const run = () => binding.verify(parseAsymmetric(key, 'public', 'key'), alg, d, sig, ...signOptions(key));
  if (callback === undefined) return run();
  validateFunction(callback, 'callback');
  let out;
  let err = null;
  try { out = run(); } catch (e) { err = e; }
  setImmediate(() => (err ? callback(err) : callback(null, out)));
}

// --- RSA encryption --------------------------------------------------------------

function rsaCipher(op, kind, defaultPadding) {
  return function (key, buffer) {
    const handle = parseAsymmetric(key, kind, 'key');
    let padding = defaultPadding;
    let oaepHash = 'sha1';
    let label;
    if (key !== null && typeof key === 'object' && !ArrayBuffer.isView(key) && !(key instanceof KeyObject) && key.key !== undefined) {
      if (key.padding !== undefined) padding = key.padding;
      if (key.oaepHash !== undefined) {
        validateString(key.oaepHash, 'key.oaepHash');
        oaepHash = key.oaepHash;
      }
      if (key.oaepLabel !== undefined) label = toBytes(key.oaepLabel, undefined, 'key.oaepLabel', ['ArrayBuffer', 'Buffer', 'TypedArray', 'DataView']);
    }
    if (op === 'privateDecrypt' && padding === constants.RSA_PKCS1_PADDING) {
      throw nodeError(TypeError, 'ERR_INVALID_ARG_VALUE', 'RSA_PKCS1_PADDING is no longer supported for private decryption, this can be reverted with --security-revert=CVE-2023-46809');
    }
    const data = toBytes(buffer, key && key.encoding, 'buffer', ['string', 'ArrayBuffer', 'Buffer', 'TypedArray', 'DataView']);
    return asBuffer(binding.rsaCrypt(handle, op, data, padding, oaepHash, label || new Uint8Array(0)));
  };
}

const publicEncrypt = rsaCipher('publicEncrypt', 'public', constants.RSA_PKCS1_OAEP_PADDING);
const privateDecrypt = rsaCipher('privateDecrypt', 'private', constants.RSA_PKCS1_OAEP_PADDING);
const privateEncrypt = rsaCipher('privateEncrypt', 'private', constants.RSA_PKCS1_PADDING);
const publicDecrypt = rsaCipher('publicDecrypt', 'public', constants.RSA_PKCS1_PADDING);

// --- ECDH -----------------------------------------------------------------------

const kEcdh = Symbol('kEcdh');
const ecdhKeyTypes = ['string', 'ArrayBuffer', 'Buffer', 'TypedArray', 'DataView'];

function pointFormat(point, format) {
  if (format === undefined || format === 'uncompressed') return point;
  if (format === 'hybrid') {
    const out = Uint8Array.prototype.slice.call(point);
    out[0] = 6 | (out[out.length - 1] & 1);
    return out;
  }
  throw nodeError(TypeError, 'ERR_CRYPTO_ECDH_INVALID_FORMAT', `Invalid ECDH format: ${format}`);
}

function ECDH(curve) {
  if (!(this instanceof ECDH)) return new ECDH(curve);
  validateString(curve, 'curve');
  const handle = binding.ecdhNew(curve);
  if (handle === undefined) throw nodeError(TypeError, 'ERR_CRYPTO_INVALID_CURVE', 'Invalid EC curve name');
  this[kEcdh] = { handle, curve };
}

ECDH.prototype.generateKeys = function generateKeys(encoding, format) {
  binding.ecdhGenerate(this[kEcdh].handle);
  return this.getPublicKey(encoding, format);
};

ECDH.prototype.getPublicKey = function getPublicKey(encoding, format) {
  const p = binding.ecdhPublic(this[kEcdh].handle, format === 'compressed');
  if (p === undefined) throw nodeError(Error, 'ERR_CRYPTO_OPERATION_FAILED', 'Failed to get ECDH public key');
  return encodeOutput(format === 'compressed' ? p : pointFormat(p, format), encoding);
};

ECDH.prototype.getPrivateKey = function getPrivateKey(encoding) {
  const p = binding.ecdhPrivate(this[kEcdh].handle);
  if (p === undefined) throw nodeError(Error, 'ERR_CRYPTO_OPERATION_FAILED', 'Failed to get ECDH private key');
  return encodeOutput(p, encoding);
};

ECDH.prototype.setPrivateKey = function setPrivateKey(key, encoding) {
  binding.ecdhSetPrivate(this[kEcdh].handle, toBytes(key, encoding, 'key', ecdhKeyTypes));
  return this;
};

ECDH.prototype.computeSecret = function computeSecret(key, inEnc, outEnc) {
  const k = toBytes(key, inEnc, 'key', ecdhKeyTypes);
  return encodeOutput(binding.ecdhCompute(this[kEcdh].handle, k), outEnc);
};

ECDH.convertKey = function convertKey(key, curve, inEnc, outEnc, format) {
  validateString(curve, 'curve');
  const k = toBytes(key, inEnc, 'key', ecdhKeyTypes);
  const p = binding.ecdhConvert(curve, k, format === 'compressed');
  return encodeOutput(format === 'compressed' ? p : pointFormat(p, format), outEnc);
};

function createECDH(curve) { return new ECDH(curve); }

function diffieHellman(options) {
  validateObject(options, 'options');
  const { privateKey, publicKey } = options;
  if (!(privateKey instanceof KeyObject)) throw new ERR_INVALID_ARG_VALUE('options.privateKey', privateKey);
  if (!(publicKey instanceof KeyObject)) throw new ERR_INVALID_ARG_VALUE('options.publicKey', publicKey);
  if (privateKey.type !== 'private') throw nodeError(TypeError, 'ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE', `Invalid key object type ${privateKey.type}, expected private.`);
  if (publicKey.type !== 'public' && publicKey.type !== 'private') {
    throw nodeError(TypeError, 'ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE', `Invalid key object type ${publicKey.type}, expected private or public.`);
  }
  const a = privateKey.asymmetricKeyType;
  const b = publicKey.asymmetricKeyType;
  if (a !== b || !['ec', 'x25519'].includes(a)) {
    throw nodeError(Error, 'ERR_CRYPTO_INCOMPATIBLE_KEY', `Incompatible key types for Diffie-Hellman: ${a} and ${b}`);
  }
  return asBuffer(binding.keyDH(privateKey[kHandle], publicKey[kHandle]));
}

for (const C of [Hash, Hmac, Cipheriv_, Decipheriv, Sign, Verify]) makeLazy(C);

function getCurves() { return ['prime256v1', 'secp384r1', 'secp521r1']; }


// --- Web Crypto ------------------------------------------------------------------
// crypto.webcrypto / crypto.subtle over the same binding. Every method
// returns a promise; digest and the key derivations run off the loop.

function domError(message, name) {
  const DOMException = globalThis.DOMException || require('internal/dom_exception');
  return new DOMException(message, name);
}

const kKeyObject = Symbol('kKeyObject');
const kAlgorithm = Symbol('kAlgorithm');
const kExtractable = Symbol('kExtractable');
const kUsages = Symbol('kUsages');

class CryptoKey {
  constructor() { throw new (require('internal/errors').codes.ERR_ILLEGAL_CONSTRUCTOR)(); }

  get type() { return this[kKeyObject].type; }

  get extractable() { return this[kExtractable]; }

  get algorithm() { return this[kAlgorithm]; }

  get usages() { return this[kUsages]; }
}
Object.defineProperty(CryptoKey.prototype, Symbol.toStringTag, { value: 'CryptoKey', configurable: true });

function newCryptoKey(keyObject, algorithm, extractable, usages) {
  const k = Object.create(CryptoKey.prototype);
  k[kKeyObject] = keyObject;
  k[kAlgorithm] = algorithm;
  k[kExtractable] = extractable;
  k[kUsages] = usages;
  return k;
}

function keyObjectOf(cryptoKey) { return cryptoKey[kKeyObject]; }

const kHashBlockBits = { 'SHA-1': 512, 'SHA-256': 512, 'SHA-384': 1024, 'SHA-512': 1024 };
const kAlgNames = ['AES-CBC', 'AES-CTR', 'AES-GCM', 'AES-KW', 'ECDH', 'ECDSA', 'Ed25519', 'HKDF', 'HMAC', 'PBKDF2',
  'RSA-OAEP', 'RSA-PSS', 'RSASSA-PKCS1-v1_5', 'SHA-1', 'SHA-256', 'SHA-384', 'SHA-512', 'X25519'];

function normalizeAlgorithm(alg) {
  if (typeof alg === 'string') alg = { name: alg };
  if (alg === null || typeof alg !== 'object') {
    throw domError('Algorithm: Not an object', 'TypeError');
  }
  if (typeof alg.name !== 'string') throw new TypeError('Algorithm: name: Missing or not a string');
  const name = kAlgNames.find((n) => n.toLowerCase() === alg.name.toLowerCase());
  if (name === undefined) throw domError('Unrecognized algorithm name', 'NotSupportedError');
  const out = { ...alg, name };
  if (out.hash !== undefined) out.hash = normalizeAlgorithm(out.hash);
  return out;
}

function hashName(h) {
  if (h === undefined) throw new TypeError('Algorithm: hash: Missing');
  const n = normalizeAlgorithm(h).name;
  if (!(n in kHashBlockBits)) throw domError('Unrecognized algorithm name', 'NotSupportedError');
  return n;
}

function bufferSource(data, name = 'data') {
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw new ERR_INVALID_ARG_TYPE(name, ['ArrayBuffer', 'Buffer', 'TypedArray', 'DataView'], data);
}

function copyAB(u8) { return u8.slice().buffer; }

function asyncBinding(fn, ...args) {
  return new Promise((resolve, reject) => {
    fn(...args, (err, out) => (err ? reject(err) : resolve(out)));
  });
}

function checkUsages(usages, allowed, algName) {
  if (!Array.isArray(usages)) throw new ERR_INVALID_ARG_TYPE('keyUsages', 'Array', usages);
  for (const u of usages) {
    if (!allowed.includes(u)) {
      const what = algName.startsWith('AES') ? 'AES' : algName.startsWith('RSA') ? 'RSA' : algName;
      const article = /^[AEHIO]|^RSA|^ECDSA|^ECDH/.test(what) && what !== 'HKDF' ? 'an' : 'a';
      throw domError(`Unsupported key usage for ${article} ${what} key`, 'SyntaxError');
    }
  }
  // Node lists a key's usages in this order whatever order they came in.
  return kUsageOrder.filter((u) => usages.includes(u));
}

const kUsageOrder = ['encrypt', 'decrypt', 'sign', 'verify', 'deriveKey', 'deriveBits', 'wrapKey', 'unwrapKey'];

const kSecretUsages = {
  HMAC: ['sign', 'verify'],
  'AES-GCM': ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'],
  'AES-CBC': ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'],
  'AES-CTR': ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'],
  'AES-KW': ['wrapKey', 'unwrapKey'],
  PBKDF2: ['deriveBits', 'deriveKey'],
  HKDF: ['deriveBits', 'deriveKey'],
};

function secretAlgorithm(alg, bytes) {
  if (alg.name === 'HMAC') {
    const h = hashName(alg.hash);
    let length = bytes.length * 8;
    if (alg.length !== undefined) {
      if (alg.length > length || alg.length <= length - 8) throw domError('Invalid key length', 'DataError');
      length = alg.length;
    }
    return { name: 'HMAC', hash: { name: h }, length };
  }
  if (alg.name.startsWith('AES-')) {
    if (![16, 24, 32].includes(bytes.length)) throw domError('Invalid key length', 'DataError');
    return { name: alg.name, length: bytes.length * 8 };
  }
  return { name: alg.name };
}

function asymUsages(name, type) {
  if (name === 'ECDH' || name === 'X25519') return type === 'private' ? ['deriveKey', 'deriveBits'] : [];
  if (name === 'RSA-OAEP') return type === 'private' ? ['decrypt', 'unwrapKey'] : ['encrypt', 'wrapKey'];
  return type === 'private' ? ['sign'] : ['verify'];
}

function asymAlgorithm(alg, keyObject) {
  const asym = keyObject.asymmetricKeyType;
  const d = keyObject.asymmetricKeyDetails;
  switch (alg.name) {
    case 'ECDSA':
    case 'ECDH': {
      const crv = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' }[d.namedCurve];
      if (asym !== 'ec') throw domError('Invalid key type', 'DataError');
      if (alg.namedCurve !== undefined && alg.namedCurve !== crv) throw domError('Named curve mismatch', 'DataError');
      return { name: alg.name, namedCurve: crv };
    }
    case 'Ed25519':
      if (asym !== 'ed25519') throw domError('Invalid key type', 'DataError');
      return { name: 'Ed25519' };
    case 'X25519':
      if (asym !== 'x25519') throw domError('Invalid key type', 'DataError');
      return { name: 'X25519' };
    case 'RSASSA-PKCS1-v1_5':
    case 'RSA-PSS':
    case 'RSA-OAEP': {
      if (asym !== 'rsa') throw domError('Invalid key type', 'DataError');
      const e = d.publicExponent.toString(16);
      const eb = Buffer.from((e.length % 2 ? '0' : '') + e, 'hex');
      return { name: alg.name, modulusLength: d.modulusLength, publicExponent: new Uint8Array(eb), hash: { name: hashName(alg.hash) } };
    }
  }
  throw domError('Unrecognized algorithm name', 'NotSupportedError');
}

const kCurveLen = { 'P-256': 32, 'P-384': 48, 'P-521': 66 };

async function importKey(format, keyData, algorithm, extractable, keyUsages) {
  const alg = normalizeAlgorithm(algorithm);
  extractable = !!extractable;
  const secretUsages = kSecretUsages[alg.name];
  if (secretUsages !== undefined) {
    let bytes;
    if (format === 'raw') {
      bytes = bufferSource(keyData, 'keyData').slice();
    } else if (format === 'jwk') {
      if (keyData === null || typeof keyData !== 'object') throw new ERR_INVALID_ARG_TYPE('keyData', 'Object', keyData);
      if (keyData.kty !== 'oct') throw domError('Invalid JWK "kty" Parameter', 'DataError');
      bytes = new Uint8Array(Buffer.from(keyData.k || '', 'base64url'));
    } else {
      throw domError(`Unable to import ${alg.name} key with format ${format}`, 'NotSupportedError');
    }
    const usages = checkUsages(keyUsages, secretUsages, alg.name);
    return newCryptoKey(new SecretKeyObject(bytes), secretAlgorithm(alg, bytes), extractable, usages);
  }
  let handle;
  let kind;
  if (format === 'spki' || format === 'pkcs8') {
    kind = format === 'spki' ? 'public' : 'private';
    try {
      handle = binding.keyParse(bufferSource(keyData, 'keyData'), 'der', format, kind);
    } catch {
      throw domError('Invalid keyData', 'DataError');
    }
  } else if (format === 'jwk') {
    if (keyData === null || typeof keyData !== 'object') throw new ERR_INVALID_ARG_TYPE('keyData', 'Object', keyData);
    kind = keyData.d !== undefined ? 'private' : 'public';
    try {
      handle = binding.keyFromJWK(keyData, kind);
    } catch {
      throw domError('Invalid keyData', 'DataError');
    }
  } else if (format === 'raw') {
    const raw = bufferSource(keyData, 'keyData');
    kind = 'public';
    let jwk;
    if (alg.name === 'Ed25519' || alg.name === 'X25519') {
      jwk = { kty: 'OKP', crv: alg.name, x: Buffer.from(raw).toString('base64url') };
    } else if (alg.name === 'ECDSA' || alg.name === 'ECDH') {
      const n = kCurveLen[alg.namedCurve];
      if (n === undefined || raw.length !== 1 + 2 * n || raw[0] !== 4) throw domError('Invalid keyData', 'DataError');
      jwk = { kty: 'EC', crv: alg.namedCurve, x: Buffer.from(raw.subarray(1, 1 + n)).toString('base64url'), y: Buffer.from(raw.subarray(1 + n)).toString('base64url') };
    } else {
      throw domError(`Unable to import ${alg.name} key with format raw`, 'NotSupportedError');
    }
    try {
      handle = binding.keyFromJWK(jwk, 'public');
    } catch {
      throw domError('Invalid keyData', 'DataError');
    }
  } else {
    throw new ERR_INVALID_ARG_VALUE('format', format);
  }
  const keyObject = kind === 'private' ? new PrivateKeyObject(handle) : new PublicKeyObject(handle);
  const usages = checkUsages(keyUsages, asymUsages(alg.name, kind), alg.name);
  return newCryptoKey(keyObject, asymAlgorithm(alg, keyObject), extractable, usages);
}

const kJwkAlg = {
  HMAC: (a) => `HS${a.hash.name.slice(4)}`,
  'AES-GCM': (a) => `A${a.length}GCM`,
  'AES-CBC': (a) => `A${a.length}CBC`,
  'AES-CTR': (a) => `A${a.length}CTR`,
  'AES-KW': (a) => `A${a.length}KW`,
  'RSASSA-PKCS1-v1_5': (a) => `RS${a.hash.name.slice(4)}`,
  'RSA-PSS': (a) => `PS${a.hash.name.slice(4)}`,
  'RSA-OAEP': (a) => (a.hash.name === 'SHA-1' ? 'RSA-OAEP' : `RSA-OAEP-${a.hash.name.slice(4)}`),
  Ed25519: () => 'EdDSA',
};

async function exportKey(format, key) {
  if (!(key instanceof CryptoKey)) throw new ERR_INVALID_ARG_TYPE('key', 'CryptoKey', key);
  // Node 20 names this one InvalidAccessException (sic).
  if (!key.extractable) throw domError('key is not extractable', 'InvalidAccessException');
  const ko = key[kKeyObject];
  const alg = key.algorithm;
  switch (format) {
    case 'raw':
      if (ko.type === 'secret') return copyAB(ko[kHandle]);
      if (ko.type === 'public') {
        const jwk = ko.export({ format: 'jwk' });
        if (jwk.kty === 'EC') return copyAB(new Uint8Array(Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')])));
        if (jwk.kty === 'OKP') return copyAB(new Uint8Array(Buffer.from(jwk.x, 'base64url')));
      }
      throw domError('Unable to export a raw key of this type', 'InvalidAccessError');
    case 'spki':
      if (ko.type !== 'public') throw domError('Unable to export a spki key of this type', 'InvalidAccessError');
      return copyAB(new Uint8Array(ko.export({ format: 'der', type: 'spki' })));
    case 'pkcs8':
      if (ko.type !== 'private') throw domError('Unable to export a pkcs8 key of this type', 'InvalidAccessError');
      return copyAB(new Uint8Array(ko.export({ format: 'der', type: 'pkcs8' })));
    case 'jwk': {
      const jwk = ko.export({ format: 'jwk' });
      const out = { key_ops: key.usages.slice(), ext: key.extractable, ...jwk };
      const a = kJwkAlg[alg.name];
      if (a) out.alg = a(alg);
      return out;
    }
  }
  throw new ERR_INVALID_ARG_VALUE('format', format);
}

async function generateKeyWeb(algorithm, extractable, keyUsages) {
  const alg = normalizeAlgorithm(algorithm);
  extractable = !!extractable;
  const secretUsages = kSecretUsages[alg.name];
  if (secretUsages !== undefined) {
    let bits;
    if (alg.name === 'HMAC') bits = alg.length !== undefined ? alg.length : kHashBlockBits[hashName(alg.hash)];
    else {
      bits = alg.length;
      if (![128, 192, 256].includes(bits)) throw domError('AES key length must be 128, 192, or 256 bits', 'OperationError');
    }
    const usages = checkUsages(keyUsages, secretUsages, alg.name);
    if (usages.length === 0) throw domError('Usages cannot be empty when creating a key.', 'SyntaxError');
    const bytes = new Uint8Array(Math.ceil(bits / 8));
    binding.randomFill(bytes);
    const a = alg.name === 'HMAC' ? { name: 'HMAC', length: bits, hash: { name: hashName(alg.hash) } } : { name: alg.name, length: bits };
    return newCryptoKey(new SecretKeyObject(bytes), a, extractable, usages);
  }
  let args;
  if (alg.name === 'ECDSA' || alg.name === 'ECDH') {
    if (!(alg.namedCurve in kCurveLen)) throw domError('Unrecognized namedCurve', 'NotSupportedError');
    args = ['ec', 0, 0, alg.namedCurve];
  } else if (alg.name === 'Ed25519') {
    args = ['ed25519', 0, 0, ''];
  } else if (alg.name === 'X25519') {
    args = ['x25519', 0, 0, ''];
  } else if (alg.name.startsWith('RSA')) {
    const e = alg.publicExponent ? Number(BigInt('0x' + (Buffer.from(alg.publicExponent).toString('hex') || '0'))) : 65537;
    args = ['rsa', alg.modulusLength, e, ''];
  } else {
    throw domError('Unrecognized algorithm name', 'NotSupportedError');
  }
  const all = [...asymUsages(alg.name, 'private'), ...asymUsages(alg.name, 'public')];
  const usages = checkUsages(keyUsages, all, alg.name);
  const pair = await asyncBinding(binding.keyGenerate, ...args);
  const priv = new PrivateKeyObject(pair[0]);
  const pub = new PublicKeyObject(pair[1]);
  const a = asymAlgorithm(alg, pub);
  const privUsages = usages.filter((u) => asymUsages(alg.name, 'private').includes(u));
  const pubUsages = usages.filter((u) => asymUsages(alg.name, 'public').includes(u));
  if (privUsages.length === 0) throw domError('Usages cannot be empty when creating a key.', 'SyntaxError');
  return {
    publicKey: newCryptoKey(pub, a, true, pubUsages),
    privateKey: newCryptoKey(priv, a, extractable, privUsages),
  };
}

function checkKeyUse(key, alg, usage) {
  if (!(key instanceof CryptoKey)) throw new ERR_INVALID_ARG_TYPE('key', 'CryptoKey', key);
  if (key.algorithm.name !== alg.name) throw domError('The requested operation is not valid for the provided key', 'InvalidAccessError');
  if (!key.usages.includes(usage)) throw domError('The requested operation is not valid for the provided key', 'InvalidAccessError');
}

function signParams(alg, key) {
  switch (alg.name) {
    case 'ECDSA': return [hashName(alg.hash), 1, 0, 'ieee-p1363'];
    case 'Ed25519': return ['', 1, 0, 'der'];
    case 'RSASSA-PKCS1-v1_5': return [key.algorithm.hash.name, 1, 0, 'der'];
    case 'RSA-PSS': return [key.algorithm.hash.name, 6, alg.saltLength, 'der'];
  }
  throw domError('Unrecognized algorithm name', 'NotSupportedError');
}

async function signWeb(algorithm, key, data) {
  const alg = normalizeAlgorithm(algorithm);
  const d = bufferSource(data);
  checkKeyUse(key, alg, 'sign');
  const ko = key[kKeyObject];
  if (alg.name === 'HMAC') {
    return copyAB(await asyncBinding(binding.hmac, key.algorithm.hash.name, ko[kHandle], d));
  }
  const [h, pad, salt, enc] = signParams(alg, key);
  return copyAB(binding.sign(ko[kHandle], h, d, pad, salt, enc));
}

async function verifyWeb(algorithm, key, signature, data) {
  const alg = normalizeAlgorithm(algorithm);
  const d = bufferSource(data);
  const sig = bufferSource(signature, 'signature');
  checkKeyUse(key, alg, 'verify');
  const ko = key[kKeyObject];
  if (alg.name === 'HMAC') {
    const mac = await asyncBinding(binding.hmac, key.algorithm.hash.name, ko[kHandle], d);
    return mac.length === sig.length && binding.timingSafeEqual(mac, sig);
  }
  const [h, pad, salt, enc] = signParams(alg, key);
  return binding.verify(ko[kHandle], h, d, sig, pad, salt, enc);
}

function aesCipher(alg, key, data, decrypt) {
  const bits = key.algorithm.length;
  const bytes = key[kKeyObject][kHandle];
  if (alg.name === 'AES-GCM') {
    const iv = bufferSource(alg.iv, 'algorithm.iv');
    const tagLength = alg.tagLength === undefined ? 128 : alg.tagLength;
    if (![32, 64, 96, 104, 112, 120, 128].includes(tagLength)) throw domError(`${tagLength} is not a valid AES-GCM tag length`, 'OperationError');
    const t = tagLength / 8;
    const h = binding.cipherNew(`aes-${bits}-gcm`, bytes, iv, decrypt, t);
    if (alg.additionalData !== undefined) binding.cipherSetAAD(h, bufferSource(alg.additionalData, 'algorithm.additionalData'));
    if (!decrypt) {
      const out = Buffer.concat([binding.cipherUpdate(h, data), binding.cipherFinal(h), binding.cipherGetAuthTag(h)]);
      return copyAB(new Uint8Array(out));
    }
    if (data.length < t) throw domError('The provided data is too small.', 'OperationError');
    binding.cipherSetAuthTag(h, data.subarray(data.length - t));
    try {
      return copyAB(new Uint8Array(Buffer.concat([binding.cipherUpdate(h, data.subarray(0, data.length - t)), binding.cipherFinal(h)])));
    } catch {
      throw domError('The operation failed for an operation-specific reason', 'OperationError');
    }
  }
  if (alg.name === 'AES-CBC' || alg.name === 'AES-CTR') {
    const iv = bufferSource(alg.name === 'AES-CBC' ? alg.iv : alg.counter, alg.name === 'AES-CBC' ? 'algorithm.iv' : 'algorithm.counter');
    if (iv.length !== 16) throw domError('algorithm.iv must contain exactly 16 bytes', 'OperationError');
    const h = binding.cipherNew(`aes-${bits}-${alg.name.slice(4).toLowerCase()}`, bytes, iv, decrypt, 0);
    try {
      return copyAB(new Uint8Array(Buffer.concat([binding.cipherUpdate(h, data), binding.cipherFinal(h)])));
    } catch {
      throw domError('The operation failed for an operation-specific reason', 'OperationError');
    }
  }
  throw domError('Unrecognized algorithm name', 'NotSupportedError');
}

function rsaOaep(alg, key, data, op) {
  const label = alg.label === undefined ? new Uint8Array(0) : bufferSource(alg.label, 'algorithm.label');
  try {
    return copyAB(binding.rsaCrypt(key[kKeyObject][kHandle], op, data, constants.RSA_PKCS1_OAEP_PADDING, key.algorithm.hash.name, label));
  } catch {
    throw domError('The operation failed for an operation-specific reason', 'OperationError');
  }
}

async function encryptWeb(algorithm, key, data) {
  const alg = normalizeAlgorithm(algorithm);
  const d = bufferSource(data);
  checkKeyUse(key, alg, 'encrypt');
  if (alg.name === 'RSA-OAEP') return rsaOaep(alg, key, d, 'publicEncrypt');
  return aesCipher(alg, key, d, false);
}

async function decryptWeb(algorithm, key, data) {
  const alg = normalizeAlgorithm(algorithm);
  const d = bufferSource(data);
  checkKeyUse(key, alg, 'decrypt');
  if (alg.name === 'RSA-OAEP') return rsaOaep(alg, key, d, 'privateDecrypt');
  return aesCipher(alg, key, d, true);
}

// ecdhBits is ECDH key agreement between a private CryptoKey and the
// peer's public one (algorithm.public), truncated to length bits.
function ecdhBits(alg, baseKey, length) {
  const peer = alg.public;
  if (!(peer instanceof CryptoKey)) throw new ERR_INVALID_ARG_TYPE('algorithm.public', 'CryptoKey', peer);
  if (peer.type !== 'public' || peer.algorithm.name !== baseKey.algorithm.name || peer.algorithm.namedCurve !== baseKey.algorithm.namedCurve) {
    throw domError('The public and private keys must be ECDH keys on the same curve', 'InvalidAccessError');
  }
  const secret = binding.keyDH(baseKey[kKeyObject][kHandle], peer[kKeyObject][kHandle]);
  if (length === null || length === undefined) return copyAB(secret);
  if (length > secret.length * 8) throw domError('derived bit length is too long', 'OperationError');
  const out = secret.slice(0, Math.ceil(length / 8));
  if (length % 8) out[out.length - 1] &= 0xff << (8 - (length % 8));
  return copyAB(out);
}

async function digestWeb(algorithm, data) {
  const name = hashName(algorithm);
  const d = bufferSource(data);
  return copyAB(await asyncBinding(binding.digest, name, d));
}

async function deriveBitsWeb(algorithm, baseKey, length, usage = 'deriveBits') {
  const alg = normalizeAlgorithm(algorithm);
  checkKeyUse(baseKey, alg, usage);
  if (alg.name === 'ECDH' || alg.name === 'X25519') return ecdhBits(alg, baseKey, length);
  if (typeof length !== 'number' || length % 8 !== 0) throw domError('length must be a multiple of 8', 'OperationError');
  const secret = baseKey[kKeyObject][kHandle];
  if (alg.name === 'PBKDF2') {
    if (!(alg.iterations > 0)) throw domError('iterations cannot be zero', 'OperationError');
    return copyAB(await asyncBinding(binding.pbkdf2, secret, bufferSource(alg.salt, 'algorithm.salt'), alg.iterations, length / 8, hashName(alg.hash)));
  }
  if (alg.name === 'HKDF') {
    return copyAB(await asyncBinding(binding.hkdf, hashName(alg.hash), secret, bufferSource(alg.salt, 'algorithm.salt'), bufferSource(alg.info, 'algorithm.info'), length / 8));
  }
  throw domError('Unrecognized algorithm name', 'NotSupportedError');
}

async function deriveKeyWeb(algorithm, baseKey, derivedKeyAlgorithm, extractable, keyUsages) {
  const d = normalizeAlgorithm(derivedKeyAlgorithm);
  let length = d.length;
  if (d.name === 'HMAC' && length === undefined) length = kHashBlockBits[hashName(d.hash)];
  const bits = await deriveBitsWeb(algorithm, baseKey, length, 'deriveKey');
  return importKey('raw', bits, d, extractable, keyUsages);
}

class SubtleCrypto {
  constructor() { throw new (require('internal/errors').codes.ERR_ILLEGAL_CONSTRUCTOR)(); }
}
const subtleMethods = {
  digest: digestWeb,
  importKey,
  exportKey,
  generateKey: generateKeyWeb,
  sign: signWeb,
  verify: verifyWeb,
  encrypt: encryptWeb,
  decrypt: decryptWeb,
  deriveBits: (algorithm, baseKey, length) => deriveBitsWeb(algorithm, baseKey, length),
  deriveKey: deriveKeyWeb,
};
for (const [name, fn] of Object.entries(subtleMethods)) {
  Object.defineProperty(SubtleCrypto.prototype, name, {
    value: { [name](...args) { return fn(...args); } }[name],
    writable: true, configurable: true, enumerable: true,
  });
}
Object.defineProperty(SubtleCrypto.prototype, Symbol.toStringTag, { value: 'SubtleCrypto', configurable: true });
const subtle = Object.create(SubtleCrypto.prototype);

class Crypto {
  constructor() { throw new (require('internal/errors').codes.ERR_ILLEGAL_CONSTRUCTOR)(); }

  get subtle() { return subtle; }

  getRandomValues(array) { return getRandomValues(array); }

  randomUUID() { return randomUUID(); }
}
Object.defineProperty(Crypto.prototype, Symbol.toStringTag, { value: 'Crypto', configurable: true });
const webcryptoObject = Object.create(Crypto.prototype);


module.exports = {
  createHash,
  createHmac,
  Hash,
  Hmac,
  hash,
  getHashes,
  getCiphers,
  getCurves,
  getCipherInfo: cipherInfo,
  randomBytes,
  randomFill,
  randomFillSync,
  randomInt,
  randomUUID,
  getRandomValues,
  pbkdf2,
  pbkdf2Sync,
  scrypt,
  scryptSync,
  hkdf,
  hkdfSync,
  timingSafeEqual,
  createCipheriv,
  createDecipheriv,
  Cipheriv: Cipheriv_,
  Decipheriv,
  createSign,
  createVerify,
  Sign,
  Verify,
  sign: signOneShot,
  verify: verifyOneShot,
  KeyObject,
  createPrivateKey: createPrivateKey,
  createPublicKey: createPublicKey,
  createSecretKey: createSecretKey,
  generateKeyPair: generateKeyPair,
  generateKeyPairSync: generateKeyPairSync,
  generateKey: generateKey,
  generateKeySync: generateKeySync,
  constants,
  getFips() { return 0; },
  setFips() {},
  webcrypto: webcryptoObject,
  subtle,
  publicEncrypt,
  privateDecrypt,
  privateEncrypt,
  publicDecrypt,
  ECDH,
  createECDH,
  diffieHellman,
};
// Deprecated aliases Node keeps off the enumerable surface.
for (const name of ['pseudoRandomBytes', 'prng', 'rng']) {
  Object.defineProperty(module.exports, name, { value: randomBytes, enumerable: false, writable: true, configurable: true });
}
// The classes behind the global crypto (Crypto, CryptoKey, SubtleCrypto),
// for lib/internal/bootstrap.js to install as globals.
Object.defineProperty(module.exports, Symbol.for('gnode.crypto.webGlobals'), {
  value: { Crypto, CryptoKey, SubtleCrypto, crypto: webcryptoObject },
  enumerable: false,
});
