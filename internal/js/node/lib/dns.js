'use strict';
// dns over internalBinding('dns') (Go's resolver on goroutines). lookup()
// answers IP literals itself, as Node does; resolve*() report c-ares style
// codes (ENOTFOUND, ESERVFAIL, ETIMEOUT) with the query's syscall name.

const { isIP } = require('net');
const { bindCurrent } = require('internal/async_context');
const {
  codes: {
    ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE, ERR_INVALID_IP_ADDRESS, ERR_MISSING_ARGS,
    ERR_SOCKET_BAD_PORT,
  },
  DNSException,
} = require('internal/errors');

const binding = internalBinding('dns');

const ADDRCONFIG = 1024, V4MAPPED = 2048, ALL = 256;

// libuv's numbers for getaddrinfo's failures (Node sets err.errno to them;
// the c-ares queries of resolve*() leave errno undefined).
const eaiErrno = { EAI_AGAIN: -3001, EAI_FAIL: -3002, EAI_NODATA: -3007, ENOTFOUND: -3008 };

function normalizeLookupOptions(options) {
  let family = 0, all = false, order = defaultOrder;
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
      const ex = DNSException(code, 'getaddrinfo', hostname);
      ex.errno = eaiErrno[code];
      callback(ex);
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
  value: (hostname, options) => lookupPromise(hostname, options),
});

function lookupService(address, port, callback) {
  if (arguments.length !== 3) throw new ERR_MISSING_ARGS('address', 'port', 'callback');
  validateLookupService(address, port);
  if (typeof callback !== 'function') throw new ERR_INVALID_ARG_TYPE('callback', 'Function', callback);
  callback = bindCurrent(callback);
  binding.resolve('PTR', address, (code, names) => {
    if (code) callback(DNSException(code, 'getnameinfo', address));
    else callback(null, names[0], String(port));
  });
  return {};
}

function validateLookupService(address, port) {
  if (typeof address !== 'string') throw new ERR_INVALID_ARG_TYPE('address', 'string', address);
  if (isIP(address) === 0) throw new ERR_INVALID_ARG_VALUE('address', address);
  if ((typeof port !== 'number' && typeof port !== 'string') ||
      (typeof port === 'string' && port.trim().length === 0) ||
      +port !== (+port >>> 0) || port > 0xFFFF) {
    throw new ERR_SOCKET_BAD_PORT('port', port);
  }
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

// The servers are resolv.conf's nameservers (read when first asked), as
// c-ares reports them. gnode resolves through Go's resolver, which reads
// resolv.conf itself: setServers() is validated and remembered, but queries
// do not go to the servers it names.
let servers = null;
function defaultServers() {
  if (servers === null) {
    servers = [];
    try {
      const text = require('fs').readFileSync('/etc/resolv.conf', 'latin1');
      for (const line of text.split('\n')) {
        const m = /^\s*nameserver\s+(\S+)/.exec(line);
        if (m && isIP(m[1].split('%')[0])) servers.push(m[1]);
      }
    } catch {
      // no resolv.conf: no servers
    }
    if (servers.length === 0) servers = ['127.0.0.1'];
  }
  return servers;
}

// normalizeServers checks setServers' list as Node does ("1.2.3.4",
// "1.2.3.4:53", "::1", "[::1]:53") and returns it in getServers' form.
function normalizeServers(list) {
  if (!Array.isArray(list)) throw new ERR_INVALID_ARG_TYPE('servers', 'Array', list);
  return list.map((serv, i) => {
    if (typeof serv !== 'string') throw new ERR_INVALID_ARG_TYPE(`servers[${i}]`, 'string', serv);
    if (isIP(serv)) return serv;
    let m = /^\[([^\]]+)\](?::(\d+))?$/.exec(serv);
    if (m && isIP(m[1]) === 6) return m[2] && m[2] !== '53' ? `[${m[1]}]:${m[2]}` : m[1];
    m = /^([^:]+):(\d+)$/.exec(serv);
    if (m && isIP(m[1]) === 4) return m[2] !== '53' ? `${m[1]}:${m[2]}` : m[1];
    throw new ERR_INVALID_IP_ADDRESS(serv);
  });
}

function getServers() { return defaultServers().slice(); }
function setServers(list) { servers = normalizeServers(list); }

let defaultOrder = 'verbatim';
function getDefaultResultOrder() { return defaultOrder; }
function setDefaultResultOrder(order) {
  if (order !== 'ipv4first' && order !== 'ipv6first' && order !== 'verbatim') {
    throw new ERR_INVALID_ARG_VALUE('dnsOrder', order, "must be one of: 'verbatim', 'ipv4first', 'ipv6first'");
  }
  defaultOrder = order;
}

class ResolverBase {
  constructor(options) {
    this._options = options;
    this._servers = null;
  }
  cancel() {}
  getServers() { return (this._servers || defaultServers()).slice(); }
  setServers(list) { this._servers = normalizeServers(list); }
  setLocalAddress(ipv4, ipv6) {
    if (typeof ipv4 !== 'string') throw new ERR_INVALID_ARG_TYPE('ipv4', 'String', ipv4);
    if (ipv6 !== undefined && typeof ipv6 !== 'string') throw new ERR_INVALID_ARG_TYPE('ipv6', 'String', ipv6);
  }
}

const resolveCaa = resolver('CAA');
const resolveNaptr = resolver('NAPTR');
const resolveSoa = resolver('SOA');
// resolveAny answers with the A records (Go's resolver has no ANY query).
const resolveAny = resolve4;
const queryMethods = {
  resolveAny, resolveCaa, resolveCname, resolveMx, resolveNaptr, resolveNs, resolvePtr,
  resolveSoa, resolveSrv, resolveTxt, reverse,
};

class Resolver extends ResolverBase {}
Object.assign(Resolver.prototype, { resolve, resolve4, resolve6 }, queryMethods);

// promisifyQuery runs fn at once (argument errors throw synchronously, as
// in Node) and settles the returned promise from its callback.
function promisifyQuery(fn) {
  return function query(...args) {
    let resolveP, rejectP;
    const p = new Promise((res, rej) => { resolveP = res; rejectP = rej; });
    fn.call(this, ...args, (err, v) => (err ? rejectP(err) : resolveP(v)));
    return p;
  };
}

function lookupPromise(hostname, options) {
  if (hostname && typeof hostname !== 'string') throw new ERR_INVALID_ARG_TYPE('hostname', 'string', hostname);
  const { all } = normalizeLookupOptions(options);
  return new Promise((res, rej) => {
    lookup(hostname, options === undefined ? 0 : options, (err, address, family) => {
      if (err) rej(err);
      else res(all ? address : { address, family });
    });
  });
}

function lookupServicePromise(address, port) {
  if (arguments.length !== 2) throw new ERR_MISSING_ARGS('address', 'port');
  validateLookupService(address, port);
  return new Promise((res, rej) => lookupService(address, port, (err, hostname, service) => (err ? rej(err) : res({ hostname, service }))));
}

const promiseQueries = {};
for (const [name, fn] of Object.entries({ resolve, resolve4, resolve6, ...queryMethods })) {
  promiseQueries[name] = promisifyQuery(fn);
}

class PromisesResolver extends ResolverBase {}
Object.defineProperty(PromisesResolver, 'name', { value: 'Resolver' });
Object.assign(PromisesResolver.prototype, promiseQueries);

const codes = [
  'NODATA', 'FORMERR', 'SERVFAIL', 'NOTFOUND', 'NOTIMP', 'REFUSED', 'BADQUERY', 'BADNAME',
  'BADFAMILY', 'BADRESP', 'CONNREFUSED', 'TIMEOUT', 'EOF', 'FILE', 'NOMEM', 'DESTRUCTION',
  'BADSTR', 'BADFLAGS', 'NONAME', 'BADHINTS', 'NOTINITIALIZED', 'LOADIPHLPAPI',
  'ADDRGETNETWORKPARAMS', 'CANCELLED',
];

// dns.promises is require('dns/promises'): one object with Node's keys.
const promises = {
  lookup: lookupPromise,
  lookupService: lookupServicePromise,
  Resolver: PromisesResolver,
  getDefaultResultOrder,
  setDefaultResultOrder,
  setServers,
};
for (const c of codes) promises[c] = 'E' + c;
Object.assign(promises, { getServers }, promiseQueries);
delete promises.resolve;
Object.assign(promises, {
  getServers,
  resolve: promiseQueries.resolve,
  resolve4: promiseQueries.resolve4,
  resolve6: promiseQueries.resolve6,
  resolveAny: promiseQueries.resolveAny,
  resolveCaa: promiseQueries.resolveCaa,
  resolveCname: promiseQueries.resolveCname,
  resolveMx: promiseQueries.resolveMx,
  resolveNaptr: promiseQueries.resolveNaptr,
  resolveNs: promiseQueries.resolveNs,
  resolvePtr: promiseQueries.resolvePtr,
  resolveSoa: promiseQueries.resolveSoa,
  resolveSrv: promiseQueries.resolveSrv,
  resolveTxt: promiseQueries.resolveTxt,
  reverse: promiseQueries.reverse,
});

module.exports = {
  lookup,
  lookupService,
  Resolver,
  getDefaultResultOrder,
  setDefaultResultOrder,
  setServers,
  ADDRCONFIG,
  ALL,
  V4MAPPED,
};
for (const c of codes) module.exports[c] = 'E' + c;
Object.assign(module.exports, {
  getServers,
  resolve,
  resolve4,
  resolve6,
  resolveAny,
  resolveCaa,
  resolveCname,
  resolveMx,
  resolveNaptr,
  resolveNs,
  resolvePtr,
  resolveSoa,
  resolveSrv,
  resolveTxt,
  reverse,
});
// Like Node's, a getter: the promises API loads with it.
Object.defineProperty(module.exports, 'promises', {
  configurable: true,
  enumerable: true,
  get() { return promises; },
});
