'use strict';
// perf_hooks: the User Timing part of the Performance API (marks and
// measures kept in a buffer, observers notified asynchronously), a
// monotonic clock relative to process start, and the Node extras that
// libraries probe (eventLoopUtilization, monitorEventLoopDelay, timerify)
// in shapes that hold no real measurement: gnode has no event-loop
// instrumentation, so they report zeros rather than throw.

// The clock: process.hrtime is monotonic; origin is when this module first
// ran minus the process uptime, so now() counts from process start.
const startNs = process.hrtime.bigint() - BigInt(Math.round(process.uptime() * 1e9));
const timeOrigin = Date.now() - process.uptime() * 1000;

function now() {
  return Number(process.hrtime.bigint() - startNs) / 1e6;
}

function invalidArgType(name, expected, actual) {
  const e = new TypeError(`The "${name}" argument must be ${expected}. Received ${actual === null ? 'null' : typeof actual}`);
  e.code = 'ERR_INVALID_ARG_TYPE';
  return e;
}

const kSecret = Symbol('perf_hooks.construct');

class PerformanceEntry {
  constructor(secret, name, type, start, duration, detail) {
    if (secret !== kSecret) {
      const e = new TypeError('Illegal constructor');
      e.code = 'ERR_ILLEGAL_CONSTRUCTOR';
      throw e;
    }
    this._name = name;
    this._type = type;
    this._start = start;
    this._duration = duration;
    this._detail = detail;
  }
  get name() { return this._name; }
  get entryType() { return this._type; }
  get startTime() { return this._start; }
  get duration() { return this._duration; }
  get detail() { return this._detail; }
  toJSON() {
    return { name: this.name, entryType: this.entryType, startTime: this.startTime, duration: this.duration, detail: this.detail };
  }
}
for (const k of ['_name', '_type', '_start', '_duration', '_detail']) {
  // The backing fields stay out of enumeration and inspection.
  Object.defineProperty(PerformanceEntry.prototype, k, { writable: true, enumerable: false, value: undefined });
}

function hide(obj) {
  for (const k of ['_name', '_type', '_start', '_duration', '_detail']) {
    Object.defineProperty(obj, k, { enumerable: false });
  }
  return obj;
}

class PerformanceMark extends PerformanceEntry {
  constructor(name, options) {
    if (name === undefined && arguments.length === 0) throw invalidArgType('name', 'of type string', undefined);
    name = String(name);
    if (options != null && typeof options !== 'object') throw invalidArgType('options', 'of type object', options);
    let start = options && options.startTime !== undefined ? options.startTime : now();
    if (typeof start !== 'number') throw invalidArgType('options.startTime', 'of type number', start);
    const detail = options && options.detail !== undefined ? structuredCloneSafe(options.detail) : null;
    super(kSecret, name, 'mark', start, 0, detail);
    hide(this);
  }
}

class PerformanceMeasure extends PerformanceEntry {
  constructor(secret, name, start, duration, detail) {
    super(secret, name, 'measure', start, duration, detail);
    hide(this);
  }
}

function structuredCloneSafe(v) {
  try { return typeof structuredClone === 'function' ? structuredClone(v) : v; } catch { return v; }
}

// The buffer of marks and measures, in insertion order.
let entries = [];

function filterEntries(list, name, type) {
  return list.filter((e) => (name === undefined || e.name === name) && (type === undefined || e.entryType === type));
}

// ---- observers ------------------------------------------------------------

const observers = new Set();
const kSupported = Object.freeze(['function', 'mark', 'measure']);

class PerformanceObserverEntryList {
  constructor(list) { this._list = list; Object.defineProperty(this, '_list', { enumerable: false }); }
  getEntries() { return this._list.slice(); }
  getEntriesByType(type) { return filterEntries(this._list, undefined, String(type)); }
  getEntriesByName(name, type) { return filterEntries(this._list, String(name), type === undefined ? undefined : String(type)); }
}

class PerformanceObserver {
  constructor(callback) {
    if (typeof callback !== 'function') throw invalidArgType('callback', 'of type function', callback);
    this._callback = callback;
    this._types = new Set();
    this._buffer = [];
    this._scheduled = false;
    for (const k of ['_callback', '_types', '_buffer', '_scheduled']) Object.defineProperty(this, k, { enumerable: false });
  }
  static get supportedEntryTypes() { return kSupported; }
  observe(options = {}) {
    if (options === null || typeof options !== 'object') throw invalidArgType('options', 'of type object', options);
    const { entryTypes, type, buffered } = options;
    if (entryTypes !== undefined && type !== undefined) {
      const e = new TypeError('The "options.entryTypes" and "options.type" arguments are mutually exclusive');
      e.code = 'ERR_INVALID_ARG_VALUE';
      throw e;
    }
    if (entryTypes === undefined && type === undefined) {
      const e = new TypeError('The "options" argument must specify one of "entryTypes" or "type"');
      e.code = 'ERR_MISSING_ARGS';
      throw e;
    }
    if (entryTypes !== undefined && !Array.isArray(entryTypes)) throw invalidArgType('options.entryTypes', 'an instance of Array', entryTypes);
    this._types.clear();
    for (const t of entryTypes !== undefined ? entryTypes : [type]) {
      if (kSupported.includes(t)) this._types.add(t);
    }
    if (this._types.size === 0) { this.disconnect(); return; }
    observers.add(this);
    if (buffered && type !== undefined) {
      for (const e of entries) if (this._types.has(e.entryType)) this._enqueue(e);
    }
  }
  disconnect() {
    observers.delete(this);
    this._buffer = [];
  }
  takeRecords() {
    const list = this._buffer;
    this._buffer = [];
    return list;
  }
  _enqueue(entry) {
    this._buffer.push(entry);
    if (this._scheduled) return;
    this._scheduled = true;
    // Observers run after the code that made the entry, as in Node.
    setImmediate(() => {
      this._scheduled = false;
      if (!observers.has(this) || this._buffer.length === 0) return;
      // Entries reach the callback in startTime order, as in Node.
      const list = this.takeRecords().sort((a, b) => a.startTime - b.startTime);
      this._callback(new PerformanceObserverEntryList(list), this);
    });
  }
}
Object.defineProperty(PerformanceObserver.prototype, '_enqueue', { enumerable: false });

function notify(entry) {
  for (const o of observers) if (o._types.has(entry.entryType)) o._enqueue(entry);
}

// ---- performance ----------------------------------------------------------

function markTime(v, what) {
  if (v === undefined) return undefined;
  if (typeof v === 'number') return v;
  const found = filterEntries(entries, String(v), 'mark');
  if (found.length === 0) {
    // Node throws a DOMException named SyntaxError (code 12).
    const msg = `The "${v}" performance mark has not been set`;
    throw typeof DOMException === 'function' ? new DOMException(msg, 'SyntaxError') : new SyntaxError(msg);
  }
  return found[found.length - 1].startTime;
}

function eventLoopUtilization(u1, u2) {
  // gnode does not instrument its loop: idle and active stay zero and
  // deltas of zeros are zeros, which callers treat as "no data".
  return { idle: 0, active: 0, utilization: 0 };
}

function timerify(fn, options) {
  if (typeof fn !== 'function') throw invalidArgType('fn', 'of type function', fn);
  if (options != null && typeof options !== 'object') throw invalidArgType('options', 'of type object', options);
  function timerified(...args) {
    const start = now();
    const result = new.target ? Reflect.construct(fn, args, fn) : Reflect.apply(fn, this, args);
    const entry = new PerformanceEntry(kSecret, fn.name, 'function', start, now() - start, args);
    hide(entry);
    notify(entry);
    return result;
  }
  Object.defineProperty(timerified, 'name', { value: `timerified ${fn.name}`, configurable: true });
  Object.defineProperty(timerified, 'length', { value: fn.length, configurable: true });
  return timerified;
}

class Performance {
  constructor(secret) {
    if (secret !== kSecret) {
      const e = new TypeError('Illegal constructor');
      e.code = 'ERR_ILLEGAL_CONSTRUCTOR';
      throw e;
    }
  }
  get timeOrigin() { return timeOrigin; }
  now() { return now(); }
  mark(name, options) {
    const m = new PerformanceMark(name, options);
    entries.push(m);
    notify(m);
    return m;
  }
  measure(name, startOrOptions, endMark) {
    name = String(name);
    let start, end, detail = null, duration;
    if (startOrOptions !== null && typeof startOrOptions === 'object') {
      start = markTime(startOrOptions.start, 'start');
      end = markTime(startOrOptions.end, 'end');
      duration = startOrOptions.duration;
      if (startOrOptions.detail !== undefined) detail = structuredCloneSafe(startOrOptions.detail);
      if (end === undefined) end = duration !== undefined && start !== undefined ? start + duration : now();
      if (start === undefined) start = duration !== undefined ? end - duration : 0;
    } else {
      start = startOrOptions === undefined ? 0 : markTime(startOrOptions, 'start');
      end = endMark === undefined ? now() : markTime(endMark, 'end');
    }
    const m = new PerformanceMeasure(kSecret, name, start, end - start, detail);
    entries.push(m);
    notify(m);
    return m;
  }
  clearMarks(name) {
    entries = entries.filter((e) => e.entryType !== 'mark' || (name !== undefined && e.name !== String(name)));
  }
  clearMeasures(name) {
    entries = entries.filter((e) => e.entryType !== 'measure' || (name !== undefined && e.name !== String(name)));
  }
  clearResourceTimings() {}
  getEntries() { return entries.slice(); }
  getEntriesByName(name, type) { return filterEntries(entries, String(name), type === undefined ? undefined : String(type)); }
  getEntriesByType(type) { return filterEntries(entries, undefined, String(type)); }
  setResourceTimingBufferSize() {}
  get nodeTiming() {
    return { name: 'node', entryType: 'node', startTime: 0, duration: now(), nodeStart: 0, v8Start: 0, environment: 0, bootstrapComplete: 0, loopStart: 0, loopExit: -1, idleTime: 0 };
  }
  get eventLoopUtilization() { return eventLoopUtilization; }
  get timerify() { return timerify; }
  toJSON() {
    return { nodeTiming: this.nodeTiming, timeOrigin: this.timeOrigin, eventLoopUtilization: eventLoopUtilization() };
  }
  get [Symbol.toStringTag]() { return 'Performance'; }
}

const performance = new Performance(kSecret);

// monitorEventLoopDelay returns a histogram that never records (no loop
// instrumentation): the statistics are those of an empty histogram.
class Histogram {
  constructor() { this._reset(); Object.defineProperty(this, '_s', { enumerable: false }); }
  _reset() { this._s = { count: 0, min: 9223372036854776000, max: 0, sum: 0, exceeds: 0 }; }
  get count() { return this._s.count; }
  get min() { return this._s.min; }
  get max() { return this._s.max; }
  get mean() { return this._s.count ? this._s.sum / this._s.count : NaN; }
  get stddev() { return NaN; }
  get exceeds() { return this._s.exceeds; }
  get percentiles() { return new Map([[0, 0]]); }
  get countBigInt() { return BigInt(this.count); }
  get minBigInt() { return BigInt(this.min); }
  get maxBigInt() { return BigInt(this.max); }
  get exceedsBigInt() { return BigInt(this.exceeds); }
  get percentilesBigInt() { return new Map([[0, 0n]]); }
  percentile(p) {
    if (typeof p !== 'number') throw invalidArgType('percentile', 'of type number', p);
    if (!(p > 0 && p <= 100)) {
      const e = new RangeError(`The value of "percentile" is out of range. It must be > 0 && <= 100. Received ${p}`);
      e.code = 'ERR_OUT_OF_RANGE';
      throw e;
    }
    return 0;
  }
  percentileBigInt(p) { return BigInt(this.percentile(p)); }
  reset() { this._reset(); }
  toJSON() {
    return { count: this.count, min: this.min, max: this.max, mean: this.mean, exceeds: this.exceeds, stddev: this.stddev, percentiles: Object.fromEntries(this.percentiles) };
  }
}
for (const k of ['_reset']) Object.defineProperty(Histogram.prototype, k, { enumerable: false });

class IntervalHistogram extends Histogram {
  constructor() { super(); this._on = false; Object.defineProperty(this, '_on', { enumerable: false }); }
  enable() { if (this._on) return false; this._on = true; return true; }
  disable() { if (!this._on) return false; this._on = false; return true; }
}

class RecordableHistogram extends Histogram {
  record(v) {
    const n = typeof v === 'bigint' ? Number(v) : v;
    if (typeof n !== 'number') throw invalidArgType('val', 'of type number or bigint', v);
    if (n < 1) {
      const e = new RangeError(`The value of "val" is out of range. It must be >= 1. Received ${v}`);
      e.code = 'ERR_OUT_OF_RANGE';
      throw e;
    }
    const s = this._s;
    s.count++; s.sum += n;
    if (n < s.min) s.min = n;
    if (n > s.max) s.max = n;
  }
  recordDelta() {}
  add(other) {
    const s = this._s, o = other._s;
    s.count += o.count; s.sum += o.sum; s.exceeds += o.exceeds;
    if (o.min < s.min) s.min = o.min;
    if (o.max > s.max) s.max = o.max;
  }
  // Recorded values are kept only as count/min/max/sum: percentiles report
  // the maximum, the one exact answer without the distribution.
  percentile(p) { super.percentile(p); return this._s.count ? this._s.max : 0; }
}

function monitorEventLoopDelay(options) {
  if (options != null && typeof options !== 'object') throw invalidArgType('options', 'of type object', options);
  return new IntervalHistogram();
}

function createHistogram() {
  return new RecordableHistogram();
}

const constants = {
  NODE_PERFORMANCE_GC_MAJOR: 4,
  NODE_PERFORMANCE_GC_MINOR: 1,
  NODE_PERFORMANCE_GC_INCREMENTAL: 8,
  NODE_PERFORMANCE_GC_WEAKCB: 16,
  NODE_PERFORMANCE_GC_FLAGS_NO: 0,
  NODE_PERFORMANCE_GC_FLAGS_CONSTRUCT_RETAINED: 2,
  NODE_PERFORMANCE_GC_FLAGS_FORCED: 4,
  NODE_PERFORMANCE_GC_FLAGS_SYNCHRONOUS_PHANTOM_PROCESSING: 8,
  NODE_PERFORMANCE_GC_FLAGS_ALL_AVAILABLE_GARBAGE: 16,
  NODE_PERFORMANCE_GC_FLAGS_ALL_EXTERNAL_MEMORY: 32,
  NODE_PERFORMANCE_GC_FLAGS_SCHEDULE_IDLE: 64,
};

module.exports = {
  Performance,
  PerformanceEntry,
  PerformanceMark,
  PerformanceMeasure,
  PerformanceObserver,
  PerformanceObserverEntryList,
  PerformanceResourceTiming: class PerformanceResourceTiming extends PerformanceEntry {},
  monitorEventLoopDelay,
  createHistogram,
  performance,
  constants,
};
