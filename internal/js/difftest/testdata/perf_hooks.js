// perf_hooks: marks, measures, observers, timerify and the zero-shaped loop
// statistics, compared with node.
const ph = require('perf_hooks');
const { performance, PerformanceObserver, monitorEventLoopDelay, constants } = ph;
console.log(typeof performance.now(), performance.now() >= 0, typeof performance.timeOrigin, globalThis.performance === performance);
const obs = new PerformanceObserver((list, o) => {
  console.log('obs', list.getEntries().map((e) => e.entryType + ':' + e.name).join(','));
  o.disconnect();
});
obs.observe({ entryTypes: ['mark', 'measure'] });
const m = performance.mark('a', { detail: { x: 1 } });
console.log(m.name, m.entryType, m.duration, JSON.stringify(m.detail), Object.keys(m));
performance.mark('b');
const ms = performance.measure('ab', 'a', 'b');
console.log(ms.entryType, ms.duration >= 0, ms.startTime === m.startTime);
console.log(performance.getEntries().length, performance.getEntriesByType('mark').length, performance.getEntriesByName('ab').length);
performance.clearMarks('a'); console.log(performance.getEntriesByType('mark').map((e) => e.name));
performance.clearMarks(); performance.clearMeasures(); console.log(performance.getEntries().length);
try { performance.measure('x', 'nope'); } catch (e) { console.log(e.code); }
const elu = performance.eventLoopUtilization(); console.log(Object.keys(elu).sort().join());
const h = monitorEventLoopDelay({ resolution: 20 }); h.enable(); console.log(typeof h.min, typeof h.mean, h.percentile(50) >= 0, typeof h.percentiles); h.disable();
console.log(constants.NODE_PERFORMANCE_GC_MAJOR, Object.keys(performance.toJSON()).sort().join());
const t = performance.timerify(function sq(x) { return x * x; }); console.log(t(3), t.name);
console.log(PerformanceObserver.supportedEntryTypes.includes('mark'));
