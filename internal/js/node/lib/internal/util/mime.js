'use strict';
// util.MIMEType and util.MIMEParams: the WHATWG MIME type parser
// (https://mimesniff.spec.whatwg.org/#parsing-a-mime-type) with Node's
// ERR_INVALID_MIME_SYNTAX errors.

const { codes: { ERR_INVALID_MIME_SYNTAX } } = require('internal/errors');

const NOT_HTTP_TOKEN_CODE_POINT = /[^!#$%&'*+\-.^_`|~A-Za-z0-9]/;
const NOT_HTTP_QUOTED_STRING_CODE_POINT = /[^\t\u0020-~\u0080-\u00FF]/;
const END_BEGINNING_WHITESPACE = /[^\r\n\t ]|$/;
const START_ENDING_WHITESPACE = /[\r\n\t ]*$/;
const END_TRAILING_WHITESPACE = /[\r\n\t ]*$/;
const EQUALS_SEMICOLON_OR_END = /[;=]|$/;
// Inside a quoted value: $1 marks a trailing unmatched backslash, $2 the
// closing quote.
const QUOTED_VALUE_PATTERN = /^(?:([\\]$)|[\\][\s\S]|[^"])*(?:(")|$)/u;
const ESCAPE_QUOTED_STRING = /["\\]/g;

function toASCIILower(str) {
  return str.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

function removeBackslashes(str) {
  return str.replace(/\\([\s\S])/g, '$1');
}

function encode(value) {
  if (value.length === 0) return '""';
  if (value.search(NOT_HTTP_TOKEN_CODE_POINT) === -1) return value;
  return `"${value.replace(ESCAPE_QUOTED_STRING, '\\$&')}"`;
}

function parseTypeAndSubtype(str) {
  // Skip HTTP whitespace at the start only.
  let position = str.search(END_BEGINNING_WHITESPACE);
  const typeEnd = str.indexOf('/', position);
  const trimmedType = typeEnd === -1 ? str.slice(position) : str.slice(position, typeEnd);
  const invalidTypeIndex = trimmedType.search(NOT_HTTP_TOKEN_CODE_POINT);
  if (trimmedType === '' || invalidTypeIndex !== -1 || typeEnd === -1) {
    throw new ERR_INVALID_MIME_SYNTAX('type', str, invalidTypeIndex);
  }
  position = typeEnd + 1;
  const type = toASCIILower(trimmedType);
  const subtypeEnd = str.indexOf(';', position);
  const rawSubtype = subtypeEnd === -1 ? str.slice(position) : str.slice(position, subtypeEnd);
  position += rawSubtype.length;
  if (subtypeEnd !== -1) position += 1;
  const trimmedSubtype = rawSubtype.slice(0, rawSubtype.search(END_TRAILING_WHITESPACE));
  const invalidSubtypeIndex = trimmedSubtype.search(NOT_HTTP_TOKEN_CODE_POINT);
  if (trimmedSubtype === '' || invalidSubtypeIndex !== -1) {
    throw new ERR_INVALID_MIME_SYNTAX('subtype', str, invalidSubtypeIndex);
  }
  return [type, toASCIILower(trimmedSubtype), position];
}

const kData = Symbol('data');

class MIMEParams {
  #data = new Map();

  delete(name) {
    this.#data.delete(name);
  }

  get(name) {
    const data = this.#data;
    if (data.has(name)) return data.get(name);
    return null;
  }

  has(name) {
    return this.#data.has(name);
  }

  set(name, value) {
    name = `${name}`;
    value = `${value}`;
    const invalidNameIndex = name.search(NOT_HTTP_TOKEN_CODE_POINT);
    if (name.length === 0 || invalidNameIndex !== -1) {
      throw new ERR_INVALID_MIME_SYNTAX('parameter name', name, invalidNameIndex);
    }
    const invalidValueIndex = value.search(NOT_HTTP_QUOTED_STRING_CODE_POINT);
    if (invalidValueIndex !== -1) {
      throw new ERR_INVALID_MIME_SYNTAX('parameter value', value, invalidValueIndex);
    }
    this.#data.set(name, value);
  }

  *entries() {
    yield* this.#data.entries();
  }

  *keys() {
    yield* this.#data.keys();
  }

  *values() {
    yield* this.#data.values();
  }

  toString() {
    let ret = '';
    for (const [key, value] of this.#data) {
      if (ret.length) ret += ';';
      ret += `${key}=${encode(value)}`;
    }
    return ret;
  }

  // Parameters of a parsed MIME type: the first occurrence of a valid name
  // wins; names are lowercased, values kept.
  static [kData](params, str, position) {
    const paramsMap = params.#data;
    const endOfSource = str.slice(position).search(START_ENDING_WHITESPACE) + position;
    while (position < endOfSource) {
      position += str.slice(position).search(END_BEGINNING_WHITESPACE);
      const afterParameterName = str.slice(position).search(EQUALS_SEMICOLON_OR_END) + position;
      const parameterString = toASCIILower(str.slice(position, afterParameterName));
      position = afterParameterName;
      if (position < endOfSource) {
        const char = str.charAt(position);
        position += 1;
        // Parameters without values are ignored.
        if (char === ';') continue;
      }
      if (position >= endOfSource) break;
      const char = str.charAt(position);
      let parameterValue = null;
      if (char === '"') {
        position += 1;
        const insideMatch = QUOTED_VALUE_PATTERN.exec(str.slice(position));
        position += insideMatch[0].length;
        const inside = insideMatch[1] || insideMatch[2] ? insideMatch[0].slice(0, -1) : insideMatch[0];
        parameterValue = removeBackslashes(inside);
        if (insideMatch[1]) parameterValue += '\\';
      } else {
        const valueEnd = str.indexOf(';', position);
        const rawValue = valueEnd === -1 ? str.slice(position) : str.slice(position, valueEnd);
        position += rawValue.length;
        const trimmedValue = rawValue.slice(0, rawValue.search(END_TRAILING_WHITESPACE));
        if (trimmedValue === '') continue;
        parameterValue = trimmedValue;
      }
      if (parameterString !== '' && parameterString.search(NOT_HTTP_TOKEN_CODE_POINT) === -1 &&
        parameterValue.search(NOT_HTTP_QUOTED_STRING_CODE_POINT) === -1 &&
        !params.has(parameterString)) {
        paramsMap.set(parameterString, parameterValue);
      }
      position++;
    }
    return paramsMap;
  }
}
MIMEParams.prototype.toJSON = MIMEParams.prototype.toString;
Object.defineProperty(MIMEParams.prototype, 'toJSON', { enumerable: false });
Object.defineProperty(MIMEParams.prototype, Symbol.iterator, {
  value: MIMEParams.prototype.entries, writable: true, configurable: true, enumerable: false,
});
const parseParams = MIMEParams[kData];
delete MIMEParams[kData];

class MIMEType {
  #type;
  #subtype;
  #parameters;

  constructor(string) {
    string = `${string}`;
    const data = parseTypeAndSubtype(string);
    this.#type = data[0];
    this.#subtype = data[1];
    this.#parameters = new MIMEParams();
    parseParams(this.#parameters, string, data[2]);
  }

  get type() {
    return this.#type;
  }

  set type(v) {
    v = `${v}`;
    const invalidTypeIndex = v.search(NOT_HTTP_TOKEN_CODE_POINT);
    if (v.length === 0 || invalidTypeIndex !== -1) {
      throw new ERR_INVALID_MIME_SYNTAX('type', v, invalidTypeIndex);
    }
    this.#type = toASCIILower(v);
  }

  get subtype() {
    return this.#subtype;
  }

  set subtype(v) {
    v = `${v}`;
    const invalidSubtypeIndex = v.search(NOT_HTTP_TOKEN_CODE_POINT);
    if (v.length === 0 || invalidSubtypeIndex !== -1) {
      throw new ERR_INVALID_MIME_SYNTAX('subtype', v, invalidSubtypeIndex);
    }
    this.#subtype = toASCIILower(v);
  }

  get essence() {
    return `${this.#type}/${this.#subtype}`;
  }

  get params() {
    return this.#parameters;
  }

  toString() {
    let ret = `${this.#type}/${this.#subtype}`;
    const paramStr = this.#parameters.toString();
    if (paramStr.length) ret += `;${paramStr}`;
    return ret;
  }
}
MIMEType.prototype.toJSON = MIMEType.prototype.toString;
Object.defineProperty(MIMEType.prototype, 'toJSON', { enumerable: false });

module.exports = { MIMEType, MIMEParams };
