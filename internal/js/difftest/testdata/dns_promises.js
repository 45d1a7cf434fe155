const dnsp = require('dns/promises');
const dns = require('dns');
console.log(dnsp === dns.promises, Object.keys(dnsp).sort().join(' '));
console.log(typeof dnsp.Resolver, Object.getOwnPropertyNames(dnsp.Resolver.prototype).sort().join(' '));
console.log(dnsp.NOTFOUND, dnsp.TIMEOUT, dns.NOTFOUND);
(async () => {
  const a = await dnsp.lookup('localhost', 4);
  console.log('lookup4', a);
  console.log('all', await dnsp.lookup('127.0.0.1', { all: true }));
  console.log('ip6', await dnsp.lookup('::1'));
  try { await dnsp.lookup('nonexistent.invalid'); } catch (e) {
    // No network needed: with or without a DNS server the name fails,
    // as ENOTFOUND (NXDOMAIN) or EAI_AGAIN (no server reachable).
    const code = e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN' ? 'notfound-or-again' : e.code;
    console.log('err', code, e.syscall, e.hostname, e.message === `getaddrinfo ${e.code} nonexistent.invalid`, typeof e.errno);
  }
  try { await dnsp.lookup(1); } catch (e) { console.log('type', e.code, e.message); }
  try { await dnsp.lookup('x', { family: 5 }); } catch (e) { console.log('family', e.code, e.message); }
  try { dnsp.lookup(1).catch(() => {}); console.log('no throw'); } catch (e) { console.log('sync throw', e.code); }
  try { await dnsp.resolve4(1); } catch (e) { console.log('resolve type', e.code, e.message); }
  try { await dnsp.resolve('x', 'BOGUS'); } catch (e) { console.log('rrtype', e.code, e.message); }
  try { await dnsp.lookupService('127.0.0.1'); } catch (e) { console.log('svc', e.code, e.message); }
  const r = new dnsp.Resolver();
  console.log(typeof r.resolve4, typeof r.cancel, typeof r.getServers, Array.isArray(r.getServers()));
  try { dnsp.setServers(['not an ip']); } catch (e) { console.log('setServers', e.code, e.message); }
  console.log(dnsp.getDefaultResultOrder());
  const r2 = new dnsp.Resolver();
  r2.setServers(['1.2.3.4:53', '[::1]:5353', '8.8.8.8', '::2', '5.6.7.8:99']);
  console.log(r2.getServers(), r2.constructor.name);
  try { dnsp.setDefaultResultOrder('bogus'); } catch (e) { console.log(e.code, e.message); }
  dnsp.setDefaultResultOrder('ipv4first');
  console.log(dnsp.getDefaultResultOrder(), require('dns').getDefaultResultOrder());
  const { promisify } = require('util');
  console.log(await promisify(require('dns').lookup)('127.0.0.1'));
})();
