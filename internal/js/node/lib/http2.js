'use strict';
// node:http2. gnode has no HTTP/2 implementation yet. The module loads, so
// packages that only reference it (axios reads http2.constants when it is
// required) work over HTTP/1.1; every function that would open an HTTP/2
// session throws ERR_NOT_IMPLEMENTED with a message that says so, rather
// than pretending to work.

const { STATUS_CODES } = require('_http_server');

function unsupported(what) {
  const err = new Error(`http2 is not supported by gnode yet (http2.${what}); use http or https`);
  err.code = 'ERR_NOT_IMPLEMENTED';
  return err;
}

function notImplemented(name) {
  const fn = function () { throw unsupported(name); };
  Object.defineProperty(fn, 'name', { value: name });
  return fn;
}

// constants: built from lists so the names follow node's scheme
// (HTTP2_HEADER_<NAME>, HTTP2_METHOD_<NAME>, HTTP_STATUS_<TEXT>,
// NGHTTP2_<ERROR>), with the values HTTP/2 (RFC 9113) defines.
const constants = {};
const upper = (s) => s.toUpperCase().replace(/[^A-Z0-9]+/g, '_');

const sessionStates = ['NGHTTP2_SESSION_SERVER', 'NGHTTP2_SESSION_CLIENT'];
sessionStates.forEach((k, i) => { constants[k] = i; });
['IDLE', 'OPEN', 'RESERVED_LOCAL', 'RESERVED_REMOTE', 'HALF_CLOSED_LOCAL',
  'HALF_CLOSED_REMOTE', 'CLOSED'].forEach((k, i) => { constants['NGHTTP2_STREAM_STATE_' + k] = i + 1; });
['NO_ERROR', 'PROTOCOL_ERROR', 'INTERNAL_ERROR', 'FLOW_CONTROL_ERROR', 'SETTINGS_TIMEOUT',
  'STREAM_CLOSED', 'FRAME_SIZE_ERROR', 'REFUSED_STREAM', 'CANCEL', 'COMPRESSION_ERROR',
  'CONNECT_ERROR', 'ENHANCE_YOUR_CALM', 'INADEQUATE_SECURITY', 'HTTP_1_1_REQUIRED']
  .forEach((k, i) => { constants['NGHTTP2_' + k] = i; });
constants.NGHTTP2_DEFAULT_WEIGHT = 16;
constants.NGHTTP2_FLAG_NONE = 0;
constants.NGHTTP2_FLAG_END_STREAM = 0x1;
constants.NGHTTP2_FLAG_END_HEADERS = 0x4;
constants.NGHTTP2_FLAG_ACK = 0x1;
constants.NGHTTP2_FLAG_PADDED = 0x8;
constants.NGHTTP2_FLAG_PRIORITY = 0x20;
constants.DEFAULT_SETTINGS_HEADER_TABLE_SIZE = 4096;
constants.DEFAULT_SETTINGS_ENABLE_PUSH = 1;
constants.DEFAULT_SETTINGS_MAX_CONCURRENT_STREAMS = 0xffffffff;
constants.DEFAULT_SETTINGS_INITIAL_WINDOW_SIZE = 65535;
constants.DEFAULT_SETTINGS_MAX_FRAME_SIZE = 16384;
constants.DEFAULT_SETTINGS_MAX_HEADER_LIST_SIZE = 65535;
constants.DEFAULT_SETTINGS_ENABLE_CONNECT_PROTOCOL = 0;
constants.MAX_MAX_FRAME_SIZE = 16777215;
constants.MIN_MAX_FRAME_SIZE = 16384;
constants.MAX_INITIAL_WINDOW_SIZE = 2147483647;
['HEADER_TABLE_SIZE', 'ENABLE_PUSH', 'MAX_CONCURRENT_STREAMS', 'INITIAL_WINDOW_SIZE',
  'MAX_FRAME_SIZE', 'MAX_HEADER_LIST_SIZE'].forEach((k, i) => { constants['NGHTTP2_SETTINGS_' + k] = i + 1; });
constants.NGHTTP2_SETTINGS_ENABLE_CONNECT_PROTOCOL = 8;
constants.PADDING_STRATEGY_NONE = 0;
constants.PADDING_STRATEGY_ALIGNED = 1;
constants.PADDING_STRATEGY_MAX = 2;
constants.PADDING_STRATEGY_CALLBACK = 1;

const pseudo = ['status', 'method', 'authority', 'scheme', 'path', 'protocol'];
for (const h of pseudo) constants['HTTP2_HEADER_' + upper(h)] = ':' + h;
const headerNames = ['accept-encoding', 'accept-language', 'accept-ranges', 'accept',
  'access-control-allow-credentials', 'access-control-allow-headers',
  'access-control-allow-methods', 'access-control-allow-origin',
  'access-control-expose-headers', 'access-control-max-age', 'access-control-request-headers',
  'access-control-request-method', 'age', 'allow', 'authorization', 'cache-control',
  'connection', 'content-disposition', 'content-encoding', 'content-language',
  'content-length', 'content-location', 'content-md5', 'content-range', 'content-type',
  'cookie', 'date', 'dnt', 'etag', 'expect', 'expires', 'forwarded', 'from', 'host',
  'if-match', 'if-modified-since', 'if-none-match', 'if-range', 'if-unmodified-since',
  'last-modified', 'link', 'location', 'max-forwards', 'origin', 'prefer', 'priority',
  'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'range', 'referer',
  'refresh', 'retry-after', 'server', 'set-cookie', 'strict-transport-security',
  'te', 'timing-allow-origin', 'trailer', 'transfer-encoding', 'upgrade',
  'upgrade-insecure-requests', 'user-agent', 'vary', 'via', 'www-authenticate',
  'x-content-type-options', 'x-forwarded-for', 'x-frame-options', 'x-xss-protection',
  'alt-svc', 'content-security-policy', 'early-data', 'expect-ct', 'http2-settings',
  'keep-alive', 'purpose', 'tk', 'warning', 'x-forwarded-proto'];
for (const h of headerNames) constants['HTTP2_HEADER_' + upper(h)] = h;
for (const m of ['ACL', 'BASELINE-CONTROL', 'BIND', 'CHECKIN', 'CHECKOUT', 'CONNECT', 'COPY',
  'DELETE', 'GET', 'HEAD', 'LABEL', 'LINK', 'LOCK', 'MERGE', 'MKACTIVITY', 'MKCALENDAR',
  'MKCOL', 'MKREDIRECTREF', 'MKWORKSPACE', 'MOVE', 'OPTIONS', 'ORDERPATCH', 'PATCH', 'POST',
  'PRI', 'PROPFIND', 'PROPPATCH', 'PUT', 'REBIND', 'REPORT', 'SEARCH', 'TRACE', 'UNBIND',
  'UNCHECKOUT', 'UNLINK', 'UNLOCK', 'UPDATE', 'UPDATEREDIRECTREF', 'VERSION-CONTROL']) {
  constants['HTTP2_METHOD_' + upper(m)] = m;
}
for (const code of Object.keys(STATUS_CODES)) {
  const text = STATUS_CODES[code];
  if (text) constants['HTTP_STATUS_' + upper(text.replace(/'/g, ''))] = Number(code);
}

function getDefaultSettings() {
  return {
    headerTableSize: 4096,
    enablePush: true,
    initialWindowSize: 65535,
    maxFrameSize: 16384,
    maxConcurrentStreams: 4294967295,
    maxHeaderListSize: 65535,
    maxHeaderSize: 65535,
    enableConnectProtocol: false,
  };
}

class Http2ServerRequest {
  constructor() { throw unsupported('Http2ServerRequest'); }
}
class Http2ServerResponse {
  constructor() { throw unsupported('Http2ServerResponse'); }
}

module.exports = {
  constants,
  createServer: notImplemented('createServer'),
  createSecureServer: notImplemented('createSecureServer'),
  connect: notImplemented('connect'),
  getDefaultSettings,
  getPackedSettings: notImplemented('getPackedSettings'),
  getUnpackedSettings: notImplemented('getUnpackedSettings'),
  performServerHandshake: notImplemented('performServerHandshake'),
  sensitiveHeaders: Symbol('nodejs.http2.sensitiveHeaders'),
  Http2ServerRequest,
  Http2ServerResponse,
};
