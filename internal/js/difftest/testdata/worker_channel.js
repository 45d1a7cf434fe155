// worker_threads: MessageChannel within one thread, receiveMessageOnPort.
const { MessageChannel, receiveMessageOnPort } = require('worker_threads');
const { port1, port2 } = new MessageChannel();
port1.postMessage({ a: 1 });
port1.postMessage('second');
console.log(receiveMessageOnPort(port2));
port2.on('message', (m) => {
  console.log('port2', m);
  port2.close();
});
port2.on('close', () => console.log('port2 closed'));
port1.on('close', () => console.log('port1 closed'));
console.log('sync end');
