// process.stdin / stdout as streams.
const { pipeline, Transform } = require('stream');
let chunks = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (c) => { chunks += c; });
process.stdin.on('end', () => {
  console.log('stdin', JSON.stringify(chunks));
  const upper = new Transform({
    transform(chunk, enc, cb) { cb(null, String(chunk).toUpperCase()); },
  });
  pipeline(require('stream').Readable.from(['a', 'b\n']), upper, process.stdout, (err) => {
    console.log('pipeline done', err);
  });
});
console.log(process.stdout.write('direct write\n'), typeof process.stdout.fd);
