// An Express app (4 or 5: EXPRESS names the module) with routing, params,
// express.json(), express.static, cookie-parser, morgan and error middleware.
const path = require('path');
const express = require(process.env.EXPRESS || 'express');
const cookieParser = require('cookie-parser');
const morgan = require('morgan');

const app = express();
app.use(morgan(':method :url :status :res[content-length]'));
app.use(cookieParser('s3cret'));
app.use(express.json());
app.use('/static', express.static(path.join(__dirname, 'public')));
const users = express.Router();
users.get('/:id', (req, res) => res.json({ id: req.params.id, q: req.query }));
users.post('/:id/posts/:post', (req, res) => res.status(201).json({ params: req.params, body: req.body }));
app.use('/users', users);
app.get('/', (req, res) => res.send('<h1>home</h1>'));
app.get('/cookies', (req, res) => {
  res.cookie('visit', 'yes', { httpOnly: true, path: '/' });
  res.cookie('signed', 'v1', { signed: true });
  res.json({ cookies: req.cookies, signed: req.signedCookies });
});
app.post('/echo', (req, res) => res.json({ body: req.body, type: req.get('content-type') }));
app.get('/redirect', (req, res) => res.redirect('/users/7'));
app.get('/boom', () => { throw new Error('boom'); });
app.get('/async-boom', (req, res, next) => { setTimeout(() => next(new Error('later')), 1); });
app.use((req, res) => res.status(404).json({ error: 'not found', path: req.path }));
// eslint-disable-next-line no-unused-vars
// A body-parser error's message comes from JSON.parse, whose wording differs
// between engines (V8 vs QuickJS); the type and status are what apps use.
app.use((err, req, res, next) => res.status(err.status || 500).json(err.type ? { type: err.type } : { error: err.message }));
const server = app.listen(0, '127.0.0.1', () => console.log('PORT ' + server.address().port));
