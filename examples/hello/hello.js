// Installed by `gnode install`, run by `gnode hello.js`.
const ms = require('ms');
const semver = require('semver');
const _ = require('lodash');
const path = require('node:path');
const { EventEmitter } = require('node:events');

const bus = new EventEmitter();
bus.on('report', (what) => console.log('report:', what));

console.log(`gnode ${process.version} on ${process.platform}/${process.arch}`);
console.log('ms("2 days") =', ms('2 days'));
console.log('semver.maxSatisfying =', semver.maxSatisfying(['1.2.3', '1.4.0', '2.0.0'], '^1.2'));
console.log('lodash groupBy =', _.groupBy(['one', 'two', 'three'], 'length'));
setTimeout(() => bus.emit('report', { file: path.basename(__filename), uptime: process.uptime() > 0 }), 10);
