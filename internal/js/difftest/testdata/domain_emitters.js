// node:domain: emitters' domain property is not enumerable, as in node.
require('domain');
const EE = require('events');
console.log(Object.keys(new EE()), process.domain);
const d = require('domain').create();
d.run(() => { const e = new EE(); console.log(e.domain === d, Object.keys(e)); });
console.log(Object.keys(d), d.domain);
