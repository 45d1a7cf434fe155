// Buffer.concat: total length given shorter, longer and zero, Uint8Array items, empty lists, bad items and lengths.
const out = [];
const a = Buffer.from('abc'), b = Buffer.from('defgh'), u = new Uint8Array([1, 2, 3]);
const show = (x) => `${x.constructor.name} ${x.length} ${x.toString('hex')}`;
out.push(show(Buffer.concat([a, b])));
out.push(show(Buffer.concat([a, b], 4)));
out.push(show(Buffer.concat([a, b], 12)));
out.push(show(Buffer.concat([a, u, b])));
out.push(show(Buffer.concat([])));
out.push(show(Buffer.concat([Buffer.alloc(0)])));
out.push(show(Buffer.concat([a, b], 0)));
out.push(show(Buffer.concat([a, b], 3)));
for (const bad of [[a, 'x'], [a, [1]], 'x', [a, new Uint16Array(2)]]) { try { Buffer.concat(bad); out.push('no throw'); } catch (e) { out.push(e.code + ' ' + e.message); } }
try { Buffer.concat([a], -1); } catch (e) { out.push(e.code + ' ' + e.message); }
try { Buffer.concat([a], 1.5); } catch (e) { out.push(e.code + ' ' + e.message); }
console.log(out.join('\n'));
