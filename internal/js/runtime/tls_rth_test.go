package runtime

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// writeSelfSigned writes a self-signed certificate for localhost and
// 127.0.0.1 and its key as PEM files.
func writeSelfSigned(t *testing.T, dir string) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, _ := x509.MarshalECPrivateKey(key)
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600)
	return certFile, keyFile
}

// TestHTTPSAndTLS serves https with a PEM key/cert, fetches with the
// certificate as CA, sees an untrusted certificate refused with Node's
// code, and speaks raw HTTP over tls.connect.
func TestHTTPSAndTLS(t *testing.T) {
	certFile, keyFile := writeSelfSigned(t, t.TempDir())
	t.Setenv("CERT", certFile)
	t.Setenv("KEY", keyFile)
	first, wait := startProgram(t, `
const https = require('https');
const tls = require('tls');
const fs = require('fs');
console.log('start');
const key = fs.readFileSync(process.env.KEY), cert = fs.readFileSync(process.env.CERT);
const server = https.createServer({ key, cert }, (req, res) => {
  res.end('secure ' + req.method + ' ' + req.url + ' ' + req.socket.encrypted);
});
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  https.get({ host: '127.0.0.1', port, path: '/x', ca: cert, servername: 'localhost' }, (res) => {
    let b = '';
    res.on('data', (d) => b += d);
    res.on('end', () => {
      console.log(res.statusCode, b);
      https.get({ host: '127.0.0.1', port, path: '/bad' }).on('error', (e) => {
        console.log('untrusted', e.code, e.message);
        const s = tls.connect({ port, host: '127.0.0.1', rejectUnauthorized: false }, () => {
          console.log('tls', s.getProtocol(), s.encrypted);
          s.end('GET /raw HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
        });
        let raw = '';
        s.on('data', (d) => raw += d);
        s.on('end', () => { console.log(raw.split('\r\n')[0], raw.endsWith('secure GET /raw true')); server.close(); });
      });
    });
  });
});
`)
	out, code := wait()
	want := "200 secure GET /x true\nuntrusted DEPTH_ZERO_SELF_SIGNED_CERT self-signed certificate\ntls TLSv1.3 true\nHTTP/1.1 200 OK true\n"
	if first != "start" || out != want || code != 0 {
		t.Errorf("code %d out:\n%s\nwant:\n%s", code, out, want)
	}
}
