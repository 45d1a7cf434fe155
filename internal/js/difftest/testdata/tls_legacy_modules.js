const c = require('_tls_common'), w = require('_tls_wrap'), tls = require('tls');
console.log(Object.keys(c), Object.keys(w));
console.log(w.TLSSocket === tls.TLSSocket, w.Server === tls.Server, w.connect === tls.connect, w.createServer === tls.createServer);
console.log(typeof c.SecureContext, typeof c.createSecureContext);
console.log(c.translatePeerCertificate(null), c.translatePeerCertificate(undefined));
const leaf = {
  subject: { CN: 'a' },
  infoAccess: 'OCSP - URI:http://x\nCA Issuers - URI:http://y\nOCSP - URI:"http://z\\u0041"\n',
  issuerCertificate: { subject: { CN: 'ca' }, infoAccess: 'CA Issuers - URI:http://root' },
};
leaf.issuerCertificate.issuerCertificate = leaf.issuerCertificate;
const t = c.translatePeerCertificate(leaf);
console.log(t === leaf, t.infoAccess, Object.getPrototypeOf(t.infoAccess), t.issuerCertificate.infoAccess);
console.log(c.createSecureContext() instanceof c.SecureContext);
