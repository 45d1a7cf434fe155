// Node's globals (fetch belongs to the networking work and is left out).
const names = ['URL', 'URLSearchParams', 'TextEncoder', 'TextDecoder', 'AbortController', 'AbortSignal', 'EventTarget', 'Event', 'DOMException', 'structuredClone', 'performance', 'Buffer', 'atob', 'btoa', 'Blob', 'queueMicrotask', 'setImmediate', 'crypto', 'Intl', 'global', 'process', 'console'];
console.log(names.map((n) => `${n}:${typeof globalThis[n]}`).join(' '));
console.log(Object.keys(globalThis).filter((k) => k !== 'fetch').sort().join(','));
console.log(new URL('https://a.b/c?d=1').searchParams.get('d'), new TextEncoder().encode('hé').length);
console.log(structuredClone({ a: [1, { b: new Date(0) }] }).a[1].b instanceof Date, btoa('hi'), atob('aGk='));
console.log(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(crypto.randomUUID()), crypto.getRandomValues(new Uint8Array(8)).length);
