// process.binding('constants') (read by older packages) and process.domain
// before any domain is entered.
const c = process.binding('constants');
console.log(Object.keys(c).sort().join(','), c.os.signals.SIGTERM, c.fs.O_RDONLY, typeof c.zlib.Z_OK, typeof c.crypto);
console.log(process.domain, 'domain' in process);
try { process.binding('tcp_wrap_nonexistent'); } catch (e) { console.log('threw'); }
