// The pg client against PostgreSQL (PG_URL): connect, DDL, parameterized
// queries, a transaction, types, and a pool.
const { Client, Pool } = require('pg');
(async () => {
  const c = new Client({ connectionString: process.env.PG_URL });
  await c.connect();
  const t = 'gnode_apps_' + process.env.PG_TABLE;
  await c.query(`DROP TABLE IF EXISTS ${t}`);
  await c.query(`CREATE TABLE ${t} (id serial PRIMARY KEY, name text NOT NULL, n int, data jsonb, at timestamptz)`);
  await c.query('BEGIN');
  for (const [name, n] of [['alpha', 1], ['beta', 2], ['gamma ✓', 3]]) {
    await c.query(`INSERT INTO ${t} (name, n, data, at) VALUES ($1, $2, $3, $4)`, [name, n, { k: name }, new Date(Date.UTC(2024, 0, n))]);
  }
  await c.query('COMMIT');
  const r = await c.query(`SELECT id, name, n, data, at FROM ${t} WHERE n >= $1 ORDER BY id`, [2]);
  console.log(r.rowCount, JSON.stringify(r.rows), r.fields.map((f) => f.name).join(','));
  try { await c.query('SELECT * FROM no_such_table_here'); } catch (e) { console.log('error', e.code, e.message); }
  const agg = await c.query(`SELECT count(*)::int AS c, sum(n) AS s FROM ${t}`);
  console.log(JSON.stringify(agg.rows[0]));
  await c.query(`DROP TABLE ${t}`);
  await c.end();
  const pool = new Pool({ connectionString: process.env.PG_URL, max: 2 });
  const rs = await Promise.all([1, 2, 3].map((i) => pool.query('SELECT $1::int * 2 AS v', [i])));
  console.log(rs.map((x) => x.rows[0].v).join(','));
  await pool.end();
})().catch((e) => { console.log('error ' + e.message); process.exit(1); });
