'use strict';
// DOMException as in WebIDL: name → legacy code table, message, and
// Error-like behaviour (instanceof Error, stack when the engine gives one).

const legacyCodes = {
  IndexSizeError: 1,
  DOMStringSizeError: 2,
  HierarchyRequestError: 3,
  WrongDocumentError: 4,
  InvalidCharacterError: 5,
  NoDataAllowedError: 6,
  NoModificationAllowedError: 7,
  NotFoundError: 8,
  NotSupportedError: 9,
  InUseAttributeError: 10,
  InvalidStateError: 11,
  SyntaxError: 12,
  InvalidModificationError: 13,
  NamespaceError: 14,
  InvalidAccessError: 15,
  ValidationError: 16,
  TypeMismatchError: 17,
  SecurityError: 18,
  NetworkError: 19,
  AbortError: 20,
  URLMismatchError: 21,
  QuotaExceededError: 22,
  TimeoutError: 23,
  InvalidNodeTypeError: 24,
  DataCloneError: 25,
};

const constantNames = [
  'INDEX_SIZE_ERR', 'DOMSTRING_SIZE_ERR', 'HIERARCHY_REQUEST_ERR',
  'WRONG_DOCUMENT_ERR', 'INVALID_CHARACTER_ERR', 'NO_DATA_ALLOWED_ERR',
  'NO_MODIFICATION_ALLOWED_ERR', 'NOT_FOUND_ERR', 'NOT_SUPPORTED_ERR',
  'INUSE_ATTRIBUTE_ERR', 'INVALID_STATE_ERR', 'SYNTAX_ERR',
  'INVALID_MODIFICATION_ERR', 'NAMESPACE_ERR', 'INVALID_ACCESS_ERR',
  'VALIDATION_ERR', 'TYPE_MISMATCH_ERR', 'SECURITY_ERR', 'NETWORK_ERR',
  'ABORT_ERR', 'URL_MISMATCH_ERR', 'QUOTA_EXCEEDED_ERR', 'TIMEOUT_ERR',
  'INVALID_NODE_TYPE_ERR', 'DATA_CLONE_ERR',
];

const kState = Symbol('DOMException state');

class DOMException {
  constructor(message = '', options = 'Error') {
    let name = 'Error';
    let cause;
    let hasCause = false;
    if (options !== null && typeof options === 'object') {
      if ('name' in options) name = `${options.name}`;
      if ('cause' in options) {
        hasCause = true;
        cause = options.cause;
      }
    } else if (options !== undefined) {
      name = `${options}`;
    }
    this[kState] = { message: `${message}`, name };
    if (hasCause) {
      Object.defineProperty(this, 'cause', {
        value: cause, writable: true, enumerable: false, configurable: true,
      });
    }
    // A stack like other errors have, when the engine can produce one.
    const probe = new Error();
    if (typeof probe.stack === 'string') {
      const lines = probe.stack.split('\n');
      const rest = lines.slice(lines[0].startsWith('Error') ? 2 : 1).join('\n');
      Object.defineProperty(this, 'stack', {
        value: `${name}: ${message}${rest ? '\n' + rest : ''}`,
        writable: true, enumerable: false, configurable: true,
      });
    }
  }

  get name() {
    if (!this || !this[kState]) throw new TypeError('Illegal invocation');
    return this[kState].name;
  }

  get message() {
    if (!this || !this[kState]) throw new TypeError('Illegal invocation');
    return this[kState].message;
  }

  get code() {
    if (!this || !this[kState]) throw new TypeError('Illegal invocation');
    return legacyCodes[this[kState].name] || 0;
  }
}

Object.setPrototypeOf(DOMException.prototype, Error.prototype);
Object.defineProperty(DOMException.prototype, Symbol.toStringTag, {
  value: 'DOMException', configurable: true,
});
for (const k of ['name', 'message', 'code']) {
  Object.defineProperty(DOMException.prototype, k, { enumerable: true });
}
for (let i = 0; i < constantNames.length; i++) {
  const desc = { value: i + 1, enumerable: true, writable: false, configurable: false };
  Object.defineProperty(DOMException, constantNames[i], desc);
  Object.defineProperty(DOMException.prototype, constantNames[i], desc);
}

module.exports = DOMException;
