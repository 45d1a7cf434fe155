// RSA keys under 1,024 bits: node (OpenSSL) takes them, Go needs rsa1024min=0.
const crypto = require('crypto');
const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 512 });
const enc = crypto.publicEncrypt(publicKey, Buffer.from('hi'));
console.log(crypto.privateDecrypt(privateKey, enc).toString(), publicKey.asymmetricKeyDetails.modulusLength);
const sig = crypto.sign('sha256', Buffer.from('x'), privateKey);
console.log(crypto.verify('sha256', Buffer.from('x'), publicKey, sig));
