// A socket.io chat server: broadcasts messages, acknowledges them, tracks rooms.
const http = require('http');
const { Server } = require('socket.io');
const server = http.createServer();
const io = new Server(server);
io.on('connection', (socket) => {
  socket.on('join', (room, ack) => { socket.join(room); ack({ joined: room }); });
  socket.on('chat', (msg, ack) => {
    io.to(msg.room).emit('chat', { from: msg.from, text: msg.text });
    ack('ok ' + msg.text.length);
  });
});
server.listen(0, '127.0.0.1', () => console.log('PORT ' + server.address().port));
