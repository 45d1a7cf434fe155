// A Fastify app: routes with params, JSON schema validation, hooks, 404 and error handlers.
const fastify = require('fastify')({ logger: false });

fastify.addHook('onRequest', async (req, reply) => { reply.header('x-hook', 'on'); });
fastify.get('/', async () => ({ hello: 'fastify' }));
fastify.get('/items/:id', async (req) => ({ id: req.params.id, q: req.query }));
fastify.post('/items', {
  schema: { body: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, n: { type: 'integer' } } } },
}, async (req, reply) => { reply.code(201); return { created: req.body }; });
fastify.get('/text', async (req, reply) => { reply.type('text/plain'); return 'plain text'; });
fastify.get('/boom', async () => { throw new Error('boom'); });
fastify.setNotFoundHandler((req, reply) => { reply.code(404).send({ missing: req.url }); });
fastify.listen({ port: 0, host: '127.0.0.1' }).then(() => {
  console.log('PORT ' + fastify.server.address().port);
}, (err) => { console.error(err); process.exit(1); });
