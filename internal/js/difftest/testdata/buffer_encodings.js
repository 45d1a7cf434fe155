const cases = ['', 'YQ', 'YQ=', 'YQ==', 'YWJj', 'YW Jj', 'YQ==YQ==', 'Y-_/+Q', '\u00e9YWJj', 'YWJj\n', '====', 'a', 'ab=c', 'aGVsbG8gd29ybGQ=\r\n', 'é', '☃YWJj'];
for (const c of cases) { const b = Buffer.from(c, 'base64'); console.log(JSON.stringify(c), b.toString('hex'), Buffer.byteLength(c,'base64')); }
for (const c of ['abc', 'é', 'héllo☃', '\ud800x', '😀']) { console.log(Buffer.from(c).toString('hex'), Buffer.from(c,'latin1').toString('hex'), Buffer.from(c,'ucs2').toString('hex'), Buffer.byteLength(c), Buffer.from(c.repeat(3000)).length); }
for (const h of ['0a1B', 'zz', '0a1', '0a☃1', 'ff'.repeat(5000)]) console.log(Buffer.from(h,'hex').length, Buffer.from(h,'hex').toString('hex').slice(0,20));
const big = Buffer.alloc(70000, 'xyz'); console.log(big.toString('base64').length, big.toString('base64url').slice(-10), Buffer.from(big.toString('base64'),'base64').equals(big));
let r = ''; for (let i=0;i<5000;i++) r += 'ab'; console.log(Buffer.from(r).length, Buffer.from(r+'é').length);
