'use strict';
// removeListener on an emitter initialised in shape mode (its _events
// given before EventEmitter.init ran) leaves the event's key, set to
// undefined; an ordinary emitter's key goes (or the object is replaced
// when it was the last), both before and after a shape-mode emitter
// exists.
const EventEmitter = require('events');
function keys(e) { return JSON.stringify(Object.keys(e._events)) + ' ' + e._eventsCount; }
function f() {}
function g() {}

function plainRound(label) {
  const e = new EventEmitter();
  e.on('a', f);
  e.on('b', g);
  e.removeListener('a', f);
  const before = keys(e);
  e.removeListener('b', g);
  console.log(label, before, keys(e));
}

plainRound('plain first');

function Shaped() {
  this._events = { __proto__: null };
  this._eventsCount = 0;
  EventEmitter.call(this);
}
Object.setPrototypeOf(Shaped.prototype, EventEmitter.prototype);
const s = new Shaped();
s.on('a', f);
s.on('b', g);
s.removeListener('a', f);
console.log('shaped', keys(s), s.listenerCount('a'), s.emit('a'));
s.removeListener('b', g);
console.log('shaped', keys(s));
s.once('c', g);
s.emit('c');
console.log('shaped once', keys(s));

plainRound('plain after');
