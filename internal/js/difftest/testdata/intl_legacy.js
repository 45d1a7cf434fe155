// ECMA-402's legacy constructor mode: NumberFormat/DateTimeFormat called
// without new on an object inheriting from the prototype.
const o = Object.create(Intl.DateTimeFormat.prototype);
const r = Intl.DateTimeFormat.call(o);
console.log(r === o, Object.getOwnPropertySymbols(o).map(String), typeof o.format);
const n = Object.create(Intl.NumberFormat.prototype);
const r2 = Intl.NumberFormat.call(n);
console.log(r2 === n, Object.getOwnPropertySymbols(n).map(String), n.format(1234.5));
const p = {};
const r3 = Intl.DateTimeFormat.call(p);
console.log(r3 === p, r3 instanceof Intl.DateTimeFormat);
console.log(Object.getOwnPropertyDescriptor(o, Object.getOwnPropertySymbols(o)[0]));
console.log(o.resolvedOptions().locale, typeof o.formatToParts);
try { Intl.Collator.call(Object.create(Intl.Collator.prototype)); console.log('coll ok') } catch(e) { console.log(e.message) }
console.log(o.format === o[Object.getOwnPropertySymbols(o)[0]].format);
const fz = Object.freeze(Object.create(Intl.NumberFormat.prototype));
try { Intl.NumberFormat.call(fz); } catch (e) { console.log(e.constructor.name); }
console.log(Intl.NumberFormat.call(undefined) instanceof Intl.NumberFormat, Intl.NumberFormat.call(42) instanceof Intl.NumberFormat);
try { Intl.NumberFormat.prototype.resolvedOptions.call({}); } catch (e) { console.log(e.constructor.name); }
const sub = Object.create(o); console.log(typeof sub.format, sub.resolvedOptions().locale);
