'use strict';
process.on('message', (m) => console.log('child got', m));
