'use strict';
// _tls_common: Node's legacy module id for secure contexts. gnode's live in
// tls.js (PEM key/cert/ca for Go's crypto/tls); this module hands out the
// same SecureContext and createSecureContext, plus translatePeerCertificate.

const { SecureContext, createSecureContext } = require('tls');

// translatePeerCertificate turns a certificate object's infoAccess text
// ("OCSP - URI:http://x\nCA Issuers - URI:http://y\n") into a null-prototype
// map of key → list of values, down the issuer chain, as Node does. A
// value starting with a quote is a JSON string literal.
function translatePeerCertificate(c) {
  if (!c) return null;
  if (c.issuerCertificate != null && c.issuerCertificate !== c) {
    c.issuerCertificate = translatePeerCertificate(c.issuerCertificate);
  }
  if (c.infoAccess != null) {
    const text = String(c.infoAccess);
    const map = Object.create(null);
    for (const m of text.matchAll(/([^\n:]*):([^\n]*)(?:\n|$)/g)) {
      const key = m[1];
      let val = m[2];
      if (val.charCodeAt(0) === 0x22) val = JSON.parse(val);
      if (key in map) map[key].push(val);
      else map[key] = [val];
    }
    c.infoAccess = map;
  }
  return c;
}

module.exports = {
  SecureContext,
  createSecureContext,
  translatePeerCertificate,
};
