// A Koa app with @koa/router and koa-bodyparser.
const Koa = require('koa');
const Router = require('@koa/router');
const bodyParser = require('koa-bodyparser');

const app = new Koa();
const router = new Router();
app.use(async (ctx, next) => {
  try {
    await next();
  } catch (err) {
    ctx.status = err.status || 500;
    ctx.body = { error: err.message };
  }
  ctx.set('X-Seen', ctx.method + ' ' + ctx.path);
});
app.use(bodyParser());
router.get('/', (ctx) => { ctx.body = 'koa home'; });
router.get('/items/:id', (ctx) => { ctx.body = { id: ctx.params.id, q: ctx.query }; });
router.post('/items', (ctx) => { ctx.status = 201; ctx.body = { created: ctx.request.body }; });
router.post('/form', (ctx) => { ctx.body = { form: ctx.request.body }; });
router.get('/boom', () => { const e = new Error('teapot'); e.status = 418; throw e; });
router.get('/redirect', (ctx) => { ctx.redirect('/items/3'); });
app.use(router.routes()).use(router.allowedMethods());
const server = app.listen(0, '127.0.0.1', () => console.log('PORT ' + server.address().port));
