const tp = require('timers/promises');
(async () => {
  console.log(await tp.setTimeout(2, 'value'));
  console.log(await tp.setImmediate('imm'));
  let n = 0;
  for await (const v of tp.setInterval(1, 'tick')) {
    console.log(v, ++n);
    if (n === 3) break;
  }
  console.log('done');
})();
