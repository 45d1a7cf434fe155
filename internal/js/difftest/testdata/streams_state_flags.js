// Readable and Writable state fields as code outside the stream modules
// reads them (node 20 keeps most of them behind prototype accessors, gnode
// as prototype defaults that an assignment makes own): their values from
// each set of options and through a stream's life, which of them for...in
// and Object.keys show for the flags, read(n) argument forms, and the
// order of end()'s events.
const { Readable, Writable, Duplex, PassThrough, Transform } = require('stream');

const rFlags = ['objectMode', 'highWaterMark', 'length', 'flowing', 'ended', 'endEmitted', 'reading',
  'constructed', 'sync', 'needReadable', 'emittedReadable', 'readableListening', 'resumeScheduled',
  'errorEmitted', 'emitClose', 'autoDestroy', 'destroyed', 'errored', 'closed', 'closeEmitted',
  'defaultEncoding', 'multiAwaitDrain', 'readingMore', 'dataEmitted', 'encoding', 'pipesCount'];
const wFlags = ['objectMode', 'highWaterMark', 'needDrain', 'ending', 'ended', 'finished',
  'destroyed', 'decodeStrings', 'defaultEncoding', 'length', 'writing', 'corked', 'sync',
  'bufferProcessing', 'writelen', 'pendingcb', 'constructed', 'prefinished',
  'errorEmitted', 'emitClose', 'autoDestroy', 'errored', 'closed', 'closeEmitted', 'bufferedRequestCount'];

const out = [];
function show(tag, state, flags) {
  const v = flags.map((f) => {
    const x = state[f];
    return f + '=' + (x instanceof Error ? 'Error:' + x.message : String(x));
  });
  out.push(tag + ' ' + v.join(' '));
  // None of the flags is an enumerable own key of a fresh state in node 20
  // (gnode: as long as the options leave them at their defaults; finalCalled,
  // paused and afterWritePending differ in node 20 and are left out).
  const own = flags.filter((f) => Object.prototype.propertyIsEnumerable.call(state, f) &&
    !['highWaterMark', 'length', 'corked', 'writelen', 'pendingcb'].includes(f));
  if (tag.endsWith('0 new') || tag.endsWith('1 new')) out.push(tag + ' enumerable flags: ' + own.join(','));
  const inKeys = [];
  for (const k in state) if (flags.includes(k)) inKeys.push(k);
  if (tag.endsWith('0 new') || tag.endsWith('1 new')) out.push(tag + ' for-in flags: ' + inKeys.join(','));
}

const rOpts = [undefined, {}, { objectMode: true }, { highWaterMark: 5 }, { emitClose: false, autoDestroy: false },
  { encoding: 'hex' }, { defaultEncoding: 'latin1' }, { highWaterMark: 0, objectMode: true }];
rOpts.forEach((o, i) => show('R' + i + ' new', new Readable(o)._readableState, rFlags));
const wOpts = [undefined, {}, { objectMode: true }, { highWaterMark: 3 }, { decodeStrings: false },
  { defaultEncoding: 'base64' }, { emitClose: false, autoDestroy: false }];
wOpts.forEach((o, i) => show('W' + i + ' new', new Writable(o)._writableState, wFlags));
const dOpts = [{ readableObjectMode: true }, { writableObjectMode: true, writableHighWaterMark: 7 },
  { objectMode: true, readableHighWaterMark: 2 }, { allowHalfOpen: false }];
dOpts.forEach((o, i) => {
  const d = new Duplex(o);
  show('D' + i + ' r new', d._readableState, rFlags);
  show('D' + i + ' w new', d._writableState, wFlags);
});
show('PT r new', new PassThrough()._readableState, rFlags);
show('T w new', new Transform({ transform(c, e, cb) { cb(null, c); } })._writableState, wFlags);

// Construction with and without new, subclasses and old-style
// constructors that call Readable/Writable on themselves.
{
  class R extends Readable {}
  class W extends Writable {}
  class D extends Duplex {}
  function FR() { Readable.call(this); }
  Object.setPrototypeOf(FR.prototype, Readable.prototype);
  function FW() { Writable.call(this); }
  Object.setPrototypeOf(FW.prototype, Writable.prototype);
  const made = [Readable(), Writable(), new Readable(), new Writable(), new R(), new W(), new D(), new FR(),
    new FW(), new PassThrough(), Duplex({ objectMode: true })];
  for (const s of made) {
    out.push(['made', s.constructor.name, s instanceof Readable, s instanceof Writable, s instanceof Duplex,
      !!s._readableState, !!s._writableState, s._readableState && s._readableState.objectMode,
      s.readable, s.writable].join(' '));
  }
}

// read(n) argument forms.
{
  const r = new Readable({ read() {} });
  r.push(Buffer.from('abcdefgh'));
  for (const n of [0, '2', 1.5, -0, '0x1', 2]) {
    const got = r.read(n);
    out.push('read(' + JSON.stringify(n) + ') ' + (got === null ? 'null' : got.toString()));
  }
}

async function life() {
  // A Readable piped into a Writable: the states at each event.
  await new Promise((resolve) => {
    const r = new Readable({ read() {} });
    const w = new Writable({ write(c, e, cb) { show('life w write', w._writableState, wFlags); cb(); } });
    for (const ev of ['pipe', 'unpipe', 'prefinish', 'finish', 'close']) {
      w.on(ev, () => show('life w ' + ev, w._writableState, wFlags));
    }
    for (const ev of ['resume', 'pause', 'end', 'close']) {
      r.on(ev, () => show('life r ' + ev, r._readableState, rFlags));
    }
    w.on('close', () => setImmediate(resolve));
    r.push('hello');
    r.push(null);
    show('life r pushed', r._readableState, rFlags);
    r.pipe(w);
    show('life r piped', r._readableState, rFlags);
  });
  // end() with and without a callback, with a pending write, and _final.
  for (const variant of ['plain', 'cb', 'pending', 'final', 'noAutoDestroy']) {
    await new Promise((resolve) => {
      const w = new Writable({
        autoDestroy: variant !== 'noAutoDestroy',
        write(c, e, cb) { if (variant === 'pending') setImmediate(cb); else cb(); },
        final: variant === 'final' ? (cb) => { out.push(variant + ' final'); process.nextTick(cb); } : undefined,
      });
      for (const ev of ['prefinish', 'finish', 'close']) w.on(ev, () => out.push(variant + ' ' + ev));
      w.write('x', () => out.push(variant + ' write cb'));
      w.end(variant === 'cb' ? () => out.push(variant + ' end cb') : undefined);
      process.nextTick(() => out.push(variant + ' tick'));
      setImmediate(() => {
        show(variant + ' after', w._writableState, wFlags);
        setImmediate(resolve);
      });
    });
  }
  // Flags set on a state and undestroy() resetting them.
  const r = new Readable({ read() {} });
  r.destroy(new Error('boom'));
  r.on('error', (e) => out.push('destroy error ' + e.message));
  await new Promise((resolve) => r.on('close', resolve));
  show('destroyed', r._readableState, rFlags);
  r._undestroy();
  show('undestroyed', r._readableState, rFlags);
}

life().then(() => console.log(out.join('\n')));
