'use strict';
// dns over internalBinding('dns') (Go's resolver on goroutines). lookup()
// answers IP literals itself, as Node does; resolve*() report c-ares style
// codes (ENOTFOUND, ESERVFAIL, ETIMEOUT) with the query's syscall name.

const { isIP } = require('net');
const { bindCurrent } = require('internal/async_context');
const {
  codes: { ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE },
  DNSException,
} = require('internal/errors');

const binding = internalBinding('dns');

const ADDRCONFIG = 1024, V4MAPPED = 2048, ALL = 256;

function normalizeLookupOptions(options) {
  let family = 0, all = false, order = 'verbatim';
  if (typeof options === 'number') {
    family = options;
  } else if (typeof options === 'string') {
    family = options === 'IPv4' ? 4 : options === 'IPv6' ? 6 : 0;
  } else if (options != null) {
    if (typeof options !== 'object') throw new ERR_INVALID_ARG_TYPE('options', ['integer', 'object'], options);
    if (options.family != null) {
      family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
    }
    all = options.all === true;
    if (options.order) order = options.order;
    else if (options.verbatim === false) order = 'ipv4first';
  }
  if (family !== 0 && family !== 4 && family !== 6) {
    throw new ERR_INVALID_ARG_VALUE('options.family', family, 'must be one of: 0, 4, 6');
  }
  return { family, all, order };
}

function sortResults(list, order) {
  if (order === 'ipv4first') list.sort((a, b) => a.family - b.family);
  else if (order === 'ipv6first') list.sort((a, b) => b.family - a.family);
  return list;
}

function lookup(hostname, options, callback) {
  if (typeof options === 'function') {
    callback = options;
    options = 0;
  }
  if (typeof callback !== 'function') throw new ERR_INVALID_ARG_TYPE('callback', 'Function', callback);
  if (hostname && typeof hostname !== 'string') throw new ERR_INVALID_ARG_TYPE('hostname', 'string', hostname);
  callback = bindCurrent(callback);
  const { family, all, order } = normalizeLookupOptions(options);
  if (!hostname) {
    process.nextTick(() => {
      if (all) callback(null, []);
      else callback(null, null, family === 6 ? 6 : 4);
    });
    return {};
  }
  const matched = isIP(hostname);
  if (matched) {
    process.nextTick(() => {
      if (all) callback(null, [{ address: hostname, family: matched }]);
      else callback(null, hostname, matched);
    });
    return {};
  }
  binding.lookup(hostname, family, (code, flat) => {
    if (code) {
      callback(DNSException(code, 'getaddrinfo', hostname));
      return;
    }
    const list = [];
    for (let i = 0; i < flat.length; i += 2) list.push({ address: flat[i], family: +flat[i + 1] });
    sortResults(list, order);
    if (all) callback(null, list);
    else callback(null, list[0].address, list[0].family);
  });
  return {};
}
Object.defineProperty(lookup, Symbol.for('nodejs.util.promisify.custom'), {
  enumerable: false,
  value: (hostname, options) => promises.lookup(hostname, options),
});

function lookupService(address, port, callback) {
  binding.resolve('PTR', address, (code, names) => {
    if (code) callback(DNSException(code, 'getnameinfo', address));
    else callback(null, names[0], String(port));
  });
}

const syscalls = {
  A: 'queryA', AAAA: 'queryAaaa', CNAME: 'queryCname', MX: 'queryMx', NS: 'queryNs',
  TXT: 'queryTxt', SRV: 'querySrv', PTR: 'queryPtr',
};

function resolver(rrtype) {
  return function query(name, options, callback) {
    if (typeof options === 'function') {
      callback = options;
      options = undefined;
    }
    if (typeof name !== 'string') throw new ERR_INVALID_ARG_TYPE('name', 'string', name);
    if (typeof callback !== 'function') throw new ERR_INVALID_ARG_TYPE('callback', 'Function', callback);
    binding.resolve(rrtype, name, (code, res) => {
      if (code) callback(DNSException(code, syscalls[rrtype], name));
      else if (options && options.ttl && (rrtype === 'A' || rrtype === 'AAAA')) callback(null, res.map((address) => ({ address, ttl: 0 })));
      else callback(null, res);
    });
    return {};
  };
}

const resolve4 = resolver('A');
const resolve6 = resolver('AAAA');
const resolveCname = resolver('CNAME');
const resolveMx = resolver('MX');
const resolveNs = resolver('NS');
const resolveTxt = resolver('TXT');
const resolveSrv = resolver('SRV');
const resolvePtr = resolver('PTR');
const byType = {
  A: resolve4, AAAA: resolve6, CNAME: resolveCname, MX: resolveMx, NS: resolveNs,
  TXT: resolveTxt, SRV: resolveSrv, PTR: resolvePtr,
};

function resolve(hostname, rrtype, callback) {
  if (typeof rrtype === 'function') {
    callback = rrtype;
    rrtype = 'A';
  }
  const fn = byType[rrtype];
  if (!fn) throw new ERR_INVALID_ARG_VALUE('rrtype', rrtype);
  return fn(hostname, callback);
}

function reverse(ip, callback) {
  return resolvePtr(ip, callback);
}

let servers = ['127.0.0.1'];
let defaultOrder = 'verbatim';

class Resolver {
  constructor(options) { this._options = options; }
  cancel() {}
  getServers() { return servers.slice(); }
  setServers(s) { servers = s.slice(); }
  setLocalAddress() {}
}
Object.assign(Resolver.prototype, {
  resolve, resolve4, resolve6, resolveCname, resolveMx, resolveNs, resolveTxt, resolveSrv,
  resolvePtr, reverse, resolveAny: resolve4,
});

function promisifyQuery(fn) {
  return (...args) => new Promise((res, rej) => fn(...args, (err, v) => (err ? rej(err) : res(v))));
}

const promises = {
  lookup(hostname, options) {
    return new Promise((res, rej) => {
      const { all } = normalizeLookupOptions(options);
      lookup(hostname, options, (err, address, family) => {
        if (err) rej(err);
        else res(all ? address : { address, family });
      });
    });
  },
  lookupService: (address, port) => new Promise((res, rej) => lookupService(address, port, (err, hostname, service) => (err ? rej(err) : res({ hostname, service })))),
  resolve: promisifyQuery(resolve),
  resolve4: promisifyQuery(resolve4),
  resolve6: promisifyQuery(resolve6),
  resolveCname: promisifyQuery(resolveCname),
  resolveMx: promisifyQuery(resolveMx),
  resolveNs: promisifyQuery(resolveNs),
  resolveTxt: promisifyQuery(resolveTxt),
  resolveSrv: promisifyQuery(resolveSrv),
  resolvePtr: promisifyQuery(resolvePtr),
  reverse: promisifyQuery(reverse),
  getServers: () => servers.slice(),
  setServers: (s) => { servers = s.slice(); },
  setDefaultResultOrder: (o) => { defaultOrder = o; },
  getDefaultResultOrder: () => defaultOrder,
};
class PromisesResolver extends Resolver {}
Object.assign(PromisesResolver.prototype, promises);
promises.Resolver = PromisesResolver;

const codes = [
  'NODATA', 'FORMERR', 'SERVFAIL', 'NOTFOUND', 'NOTIMP', 'REFUSED', 'BADQUERY', 'BADNAME',
  'BADFAMILY', 'BADRESP', 'CONNREFUSED', 'TIMEOUT', 'EOF', 'FILE', 'NOMEM', 'DESTRUCTION',
  'BADSTR', 'BADFLAGS', 'NONAME', 'BADHINTS', 'NOTINITIALIZED', 'LOADIPHLPAPI',
  'ADDRGETNETWORKPARAMS', 'CANCELLED',
];

module.exports = {
  lookup,
  lookupService,
  Resolver,
  getDefaultResultOrder: () => defaultOrder,
  setDefaultResultOrder: (o) => { defaultOrder = o; },
  setServers: (s) => { servers = s.slice(); },
  getServers: () => servers.slice(),
  resolve,
  resolve4,
  resolve6,
  resolveAny: resolve4,
  resolveCaa: resolver('CAA'),
  resolveCname,
  resolveMx,
  resolveNaptr: resolver('NAPTR'),
  resolveNs,
  resolvePtr,
  resolveSoa: resolver('SOA'),
  resolveSrv,
  resolveTxt,
  reverse,
  ADDRCONFIG,
  ALL,
  V4MAPPED,
  promises,
};
for (const c of codes) module.exports[c] = 'E' + c;
