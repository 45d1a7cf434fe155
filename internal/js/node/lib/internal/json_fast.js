'use strict';
// JSON.stringify with a Go fast path for plain data (object literals,
// JSON.parse results, dense arrays, strings, numbers): the engine's own
// serializer costs about 3 µs per small object, 20x node. The fast path
// declines anything else (toJSON, class instances, getters, BigInt,
// cycles, integer-like keys, replacers) and the engine's JSON.stringify
// runs as before, so output and errors are unchanged.

const binding = internalBinding('json');
const engineStringify = JSON.stringify;
const ObjectProto = Object.prototype;
const ArrayProto = Array.prototype;

function indentOf(space) {
  if (typeof space === 'object' && space !== null) {
    if (space instanceof Number) space = Number(space);
    else if (space instanceof String) space = String(space);
  }
  if (typeof space === 'number') {
    const n = Math.min(10, Math.trunc(space));
    return n >= 1 ? ' '.repeat(n) : '';
  }
  if (typeof space === 'string') return space.slice(0, 10);
  return '';
}

function stringify(value, replacer, space) {
  if (replacer == null && typeof value === 'object' && value !== null &&
      !('toJSON' in ObjectProto) && !('toJSON' in ArrayProto)) {
    const out = binding.stringify(value, space === undefined ? '' : indentOf(space));
    if (out !== undefined) return out;
  }
  return engineStringify(value, replacer, space);
}

Object.defineProperty(JSON, 'stringify', { value: stringify, writable: true, configurable: true, enumerable: false });

// JSON.parse without a reviver: Go reads the text in place and builds the
// objects in QuickJS's layout, one shape per distinct key sequence
// (qjs.ParseFast). It takes only strict JSON; for anything else it returns
// undefined and the engine parses, so results and errors are the engine's.
// A non-string (a Buffer from fs.readFileSync, say) is converted once, as
// the engine's own ToString would, and the string is what both see.
const engineParse = JSON.parse;
const parse = {
  parse(text, reviver) {
    if (typeof reviver === 'function') return engineParse(text, reviver);
    const s = typeof text === 'string' ? text : `${text}`;
    const v = binding.parse(s);
    return v !== undefined ? v : engineParse(s);
  },
}.parse;

Object.defineProperty(JSON, 'parse', { value: parse, writable: true, configurable: true, enumerable: false });
