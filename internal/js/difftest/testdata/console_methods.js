// console formatting basics.
console.log('%s is %d years', 'Bob', 42, 'extra');
console.log({ a: 1, b: 'two', c: [1, 2, 3], d: { e: null, f: undefined } });
console.log([1, 'a', true, null, undefined, 1.5, -0, 10n]);
console.log(new Map([['k', 1]]), new Set([1, 2]));
console.info('info'), console.debug('debug');
console.count(); console.count(); console.count('x'); console.countReset();
console.group('group');
console.log('inside');
console.groupEnd();
console.log('after');
console.table([{ a: 1, b: 2 }, { a: 3 }]);
console.dir({ nested: { deep: { deeper: { deepest: 1 } } } }, { depth: 0 });
