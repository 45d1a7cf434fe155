// Node 20.20's Readable queue: state.buffer is an array, state.bufferIndex its
// first unread chunk (stream-shift reads them directly).
const {Readable}=require('stream');
const r=new Readable({read(){}});
r.push('a'); r.push('b'); r.push('c');
r.read(1); console.log(r._readableState.bufferIndex, r._readableState.buffer.length);
r.read(1); console.log(r._readableState.bufferIndex, r._readableState.buffer.length);
r.read(1); console.log(r._readableState.bufferIndex, r._readableState.buffer.length);
for (let i=0;i<3000;i++) r.push('x');
for (let i=0;i<2000;i++) r.read(1);
console.log(r._readableState.bufferIndex, r._readableState.buffer.length);
r.unshift('q'); console.log(r._readableState.bufferIndex, r._readableState.buffer.length, String(r._readableState.buffer[r._readableState.bufferIndex]));
const r2=new Readable({read(){}}); r2.push('ab'); r2.push('cd'); console.log(String(r2.read(3)), r2._readableState.bufferIndex, r2._readableState.buffer.map(String));
const r3=new Readable({read(){}, encoding:'utf8'}); r3.push('ab'); r3.push('cd'); r3.setEncoding('hex'); console.log(r3._readableState.bufferIndex, r3._readableState.buffer);
