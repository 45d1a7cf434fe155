package meta

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	_ "modernc.org/sqlite"             // database/sql driver "sqlite"
)

// SQLStore implements Store over database/sql. Queries use $N placeholders,
// which both SQLite (modernc) and PostgreSQL accept.
type SQLStore struct {
	db       *sql.DB
	postgres bool

	// The statements every read runs (a package's revision, a bearer
	// token's owner) are prepared once: parsing the SQL again on each
	// request was half of a cached packument GET's server time.
	revStmt   *sql.Stmt
	tokenStmt *sql.Stmt
	blobStmt  *sql.Stmt // tarball GETs
}

var _ Store = (*SQLStore)(nil)

// OpenSQLite opens (creating when missing) the SQLite database at path.
func OpenSQLite(path string) (*SQLStore, error) {
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open metadata database %s: %w", path, err)
	}
	// database/sql keeps only two idle connections by default: under
	// concurrent reads every request beyond two opened a SQLite connection
	// (schema parse, page cache) and closed it again. The driver runs
	// SQLite in Go, so more connections than cores add no throughput; a
	// small fixed pool that stays open serves reads in parallel (WAL) and
	// bounds memory, and writers still serialise on SQLite's lock.
	conns := max(4, 2*runtime.GOMAXPROCS(0))
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	s := &SQLStore{db: db}
	if err := s.migrate(context.Background()); err != nil {
		db.Close()
		return nil, err
	}
	if err := s.prepare(context.Background()); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// OpenPostgres connects to PostgreSQL with a postgres:// URL.
func OpenPostgres(ctx context.Context, url string) (*SQLStore, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	db.SetMaxOpenConns(32)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to postgres: %w", err)
	}
	s := &SQLStore{db: db, postgres: true}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := s.prepare(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

func (s *SQLStore) prepare(ctx context.Context) error {
	var err error
	if s.revStmt, err = s.db.PrepareContext(ctx, `SELECT rev FROM packages WHERE name = $1`); err != nil {
		return fmt.Errorf("prepare metadata query: %w", err)
	}
	if s.tokenStmt, err = s.db.PrepareContext(ctx, `SELECT key, hash, username, readonly, created, cidr FROM tokens WHERE hash = $1`); err != nil {
		return fmt.Errorf("prepare metadata query: %w", err)
	}
	if s.blobStmt, err = s.db.PrepareContext(ctx, `SELECT blob, integrity, size, unpublished FROM versions WHERE name = $1 AND version = $2`); err != nil {
		return fmt.Errorf("prepare metadata query: %w", err)
	}
	return nil
}

func (s *SQLStore) Close() error {
	for _, st := range []*sql.Stmt{s.revStmt, s.tokenStmt, s.blobStmt} {
		if st != nil {
			st.Close()
		}
	}
	return s.db.Close()
}

func (s *SQLStore) migrate(ctx context.Context) error {
	blob := "BLOB"
	if s.postgres {
		blob = "BYTEA"
	}
	stmts := []string{
		`CREATE TABLE IF NOT EXISTS packages (
			name TEXT PRIMARY KEY,
			created TEXT NOT NULL,
			modified TEXT NOT NULL,
			rev BIGINT NOT NULL,
			doc TEXT NOT NULL)`,
		`CREATE TABLE IF NOT EXISTS versions (
			name TEXT NOT NULL,
			version TEXT NOT NULL,
			manifest TEXT NOT NULL,
			integrity TEXT NOT NULL,
			shasum TEXT NOT NULL,
			blob TEXT NOT NULL,
			size BIGINT NOT NULL,
			published TEXT NOT NULL,
			deprecated TEXT NOT NULL DEFAULT '',
			unpublished TEXT,
			publisher TEXT NOT NULL DEFAULT '',
			PRIMARY KEY (name, version))`,
		`CREATE TABLE IF NOT EXISTS dist_tags (
			name TEXT NOT NULL, tag TEXT NOT NULL, version TEXT NOT NULL,
			PRIMARY KEY (name, tag))`,
		`CREATE TABLE IF NOT EXISTS maintainers (
			name TEXT NOT NULL, username TEXT NOT NULL,
			PRIMARY KEY (name, username))`,
		`CREATE TABLE IF NOT EXISTS users (
			name TEXT PRIMARY KEY, email TEXT NOT NULL, password TEXT NOT NULL, created TEXT NOT NULL)`,
		`CREATE TABLE IF NOT EXISTS tokens (
			key TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, username TEXT NOT NULL,
			readonly INTEGER NOT NULL, created TEXT NOT NULL, cidr TEXT NOT NULL)`,
		`CREATE TABLE IF NOT EXISTS uplink_cache (
			name TEXT PRIMARY KEY, fetched TEXT NOT NULL, etag TEXT NOT NULL, doc ` + blob + ` NOT NULL)`,
		`CREATE TABLE IF NOT EXISTS advisories (
			id BIGINT PRIMARY KEY, name TEXT NOT NULL, vulnerable_versions TEXT NOT NULL,
			severity TEXT NOT NULL, title TEXT NOT NULL, url TEXT NOT NULL,
			cwe TEXT NOT NULL, cvss_score DOUBLE PRECISION NOT NULL, cvss_vector TEXT NOT NULL)`,
		`CREATE INDEX IF NOT EXISTS advisories_name ON advisories (name)`,
		`CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
		`CREATE TABLE IF NOT EXISTS team_members (team TEXT NOT NULL, username TEXT NOT NULL, PRIMARY KEY (team, username))`,
	}
	for _, q := range stmts {
		if _, err := s.db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("migrate metadata database: %w", err)
		}
	}
	return nil
}

const timeFormat = "2006-01-02T15:04:05.000Z"

func fmtTime(t time.Time) string { return t.UTC().Format(timeFormat) }
func parseTime(s string) time.Time {
	t, _ := time.Parse(timeFormat, s)
	return t
}

// tx runs fn in a transaction, committing when it returns nil.
func (s *SQLStore) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// lockPackage serialises writers of one package. PostgreSQL takes a row
// lock; SQLite's immediate transactions already serialise all writers.
func (s *SQLStore) lockPackage(ctx context.Context, tx *sql.Tx, name string) (bool, error) {
	q := `SELECT rev FROM packages WHERE name = $1`
	if s.postgres {
		q += ` FOR UPDATE`
	}
	var rev int64
	err := tx.QueryRowContext(ctx, q, name).Scan(&rev)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

func bump(ctx context.Context, tx *sql.Tx, name string, now time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE packages SET rev = rev + 1, modified = $2 WHERE name = $1`, name, fmtTime(now))
	return err
}

func (s *SQLStore) Package(ctx context.Context, name string) (*Package, error) {
	p := &Package{Name: name, Tags: map[string]string{}}
	var created, modified, doc string
	err := s.db.QueryRowContext(ctx, `SELECT created, modified, rev, doc FROM packages WHERE name = $1`, name).Scan(&created, &modified, &p.Rev, &doc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	p.Created, p.Modified, p.Doc = parseTime(created), parseTime(modified), []byte(doc)
	rows, err := s.db.QueryContext(ctx, `SELECT version, manifest, integrity, shasum, blob, size, published, deprecated, unpublished, publisher FROM versions WHERE name = $1`, name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var v Version
		var manifest, published string
		var unpublished sql.NullString
		if err := rows.Scan(&v.Version, &manifest, &v.Integrity, &v.Shasum, &v.Blob, &v.Size, &published, &v.Deprecated, &unpublished, &v.Publisher); err != nil {
			return nil, err
		}
		v.Manifest, v.Published = []byte(manifest), parseTime(published)
		if unpublished.Valid {
			t := parseTime(unpublished.String)
			v.Unpublished = &t
		}
		p.Versions = append(p.Versions, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	trows, err := s.db.QueryContext(ctx, `SELECT tag, version FROM dist_tags WHERE name = $1`, name)
	if err != nil {
		return nil, err
	}
	defer trows.Close()
	for trows.Next() {
		var tag, v string
		if err := trows.Scan(&tag, &v); err != nil {
			return nil, err
		}
		p.Tags[tag] = v
	}
	mrows, err := s.db.QueryContext(ctx, `SELECT m.username, COALESCE(u.email, '') FROM maintainers m LEFT JOIN users u ON u.name = m.username WHERE m.name = $1 ORDER BY m.username`, name)
	if err != nil {
		return nil, err
	}
	defer mrows.Close()
	for mrows.Next() {
		var u, email string
		if err := mrows.Scan(&u, &email); err != nil {
			return nil, err
		}
		p.Maintainers = append(p.Maintainers, u)
		if email != "" {
			if p.MaintainerEmails == nil {
				p.MaintainerEmails = map[string]string{}
			}
			p.MaintainerEmails[u] = email
		}
	}
	return p, mrows.Err()
}

func (s *SQLStore) Version(ctx context.Context, name, version string) (*Version, error) {
	var v Version
	var manifest, published string
	var unpublished sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT version, manifest, integrity, shasum, blob, size, published, deprecated, unpublished, publisher FROM versions WHERE name = $1 AND version = $2`, name, version).
		Scan(&v.Version, &manifest, &v.Integrity, &v.Shasum, &v.Blob, &v.Size, &published, &v.Deprecated, &unpublished, &v.Publisher)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	v.Manifest, v.Published = []byte(manifest), parseTime(published)
	if unpublished.Valid {
		t := parseTime(unpublished.String)
		v.Unpublished = &t
	}
	return &v, nil
}

func (s *SQLStore) VersionBlob(ctx context.Context, name, version string) (*Version, error) {
	v := Version{Version: version}
	var unpublished sql.NullString
	err := s.blobStmt.QueryRowContext(ctx, name, version).Scan(&v.Blob, &v.Integrity, &v.Size, &unpublished)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if unpublished.Valid {
		t := parseTime(unpublished.String)
		v.Unpublished = &t
	}
	return &v, nil
}

func (s *SQLStore) Rev(ctx context.Context, name string) (int64, error) {
	var rev int64
	err := s.revStmt.QueryRowContext(ctx, name).Scan(&rev)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotFound
	}
	return rev, err
}

func (s *SQLStore) Publish(ctx context.Context, in PublishInput) error {
	now := in.Version.Published
	if now.IsZero() {
		now = time.Now()
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		exists, err := s.lockPackage(ctx, tx, in.Name)
		if err != nil {
			return err
		}
		if !exists {
			if !in.CanCreate {
				return fmt.Errorf("%w: you may not create package %s", ErrForbidden, in.Name)
			}
			// ON CONFLICT: another process may have created it since the check.
			if _, err := tx.ExecContext(ctx, `INSERT INTO packages (name, created, modified, rev, doc) VALUES ($1, $2, $2, 0, $3) ON CONFLICT (name) DO NOTHING`, in.Name, fmtTime(now), string(in.Doc)); err != nil {
				return err
			}
			if _, err := s.lockPackage(ctx, tx, in.Name); err != nil {
				return err
			}
			if in.Publisher != "" {
				if _, err := tx.ExecContext(ctx, `INSERT INTO maintainers (name, username) VALUES ($1, $2) ON CONFLICT DO NOTHING`, in.Name, in.Publisher); err != nil {
					return err
				}
			}
		} else if in.Publisher != "" {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM maintainers WHERE name = $1 AND username = $2`, in.Name, in.Publisher).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return fmt.Errorf("%w: %s is not a maintainer of %s", ErrForbidden, in.Publisher, in.Name)
			}
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM versions WHERE name = $1 AND version = $2`, in.Name, in.Version.Version).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("%w: cannot publish over the previously published version %s@%s", ErrExists, in.Name, in.Version.Version)
		}
		v := in.Version
		if _, err := tx.ExecContext(ctx, `INSERT INTO versions (name, version, manifest, integrity, shasum, blob, size, published, deprecated, publisher) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			in.Name, v.Version, string(v.Manifest), v.Integrity, v.Shasum, v.Blob, v.Size, fmtTime(now), v.Deprecated, in.Publisher); err != nil {
			if isUniqueViolation(err) {
				return fmt.Errorf("%w: cannot publish over the previously published version %s@%s", ErrExists, in.Name, v.Version)
			}
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO dist_tags (name, tag, version) VALUES ($1, $2, $3) ON CONFLICT (name, tag) DO UPDATE SET version = excluded.version`, in.Name, in.Tag, v.Version); err != nil {
			return err
		}
		// latest must always exist: the first published version takes it.
		if _, err := tx.ExecContext(ctx, `INSERT INTO dist_tags (name, tag, version) VALUES ($1, 'latest', $2) ON CONFLICT (name, tag) DO NOTHING`, in.Name, v.Version); err != nil {
			return err
		}
		if in.Tag == "latest" || len(in.Doc) > 0 {
			if _, err := tx.ExecContext(ctx, `UPDATE packages SET doc = $2 WHERE name = $1`, in.Name, string(in.Doc)); err != nil {
				return err
			}
		}
		return bump(ctx, tx, in.Name, now)
	})
}

func isUniqueViolation(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint") || strings.Contains(msg, "duplicate key") || strings.Contains(msg, "23505")
}

func (s *SQLStore) SetTag(ctx context.Context, name, tag, version string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		ok, err := s.lockPackage(ctx, tx, name)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("%w: package %s", ErrNotFound, name)
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM versions WHERE name = $1 AND version = $2 AND unpublished IS NULL`, name, version).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("%w: version %s@%s", ErrNotFound, name, version)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO dist_tags (name, tag, version) VALUES ($1, $2, $3) ON CONFLICT (name, tag) DO UPDATE SET version = excluded.version`, name, tag, version); err != nil {
			return err
		}
		return bump(ctx, tx, name, time.Now())
	})
}

func (s *SQLStore) DeleteTag(ctx context.Context, name, tag string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		ok, err := s.lockPackage(ctx, tx, name)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("%w: package %s", ErrNotFound, name)
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM dist_tags WHERE name = $1 AND tag = $2`, name, tag)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("%w: dist-tag %s of %s", ErrNotFound, tag, name)
		}
		return bump(ctx, tx, name, time.Now())
	})
}

func (s *SQLStore) Deprecate(ctx context.Context, name string, messages map[string]string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		ok, err := s.lockPackage(ctx, tx, name)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("%w: package %s", ErrNotFound, name)
		}
		for v, msg := range messages {
			if _, err := tx.ExecContext(ctx, `UPDATE versions SET deprecated = $3 WHERE name = $1 AND version = $2`, name, v, msg); err != nil {
				return err
			}
		}
		return bump(ctx, tx, name, time.Now())
	})
}

func (s *SQLStore) Unpublish(ctx context.Context, name string, versions []string) error {
	now := time.Now()
	return s.tx(ctx, func(tx *sql.Tx) error {
		ok, err := s.lockPackage(ctx, tx, name)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("%w: package %s", ErrNotFound, name)
		}
		if versions == nil {
			if _, err := tx.ExecContext(ctx, `UPDATE versions SET unpublished = $2 WHERE name = $1 AND unpublished IS NULL`, name, fmtTime(now)); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM dist_tags WHERE name = $1`, name); err != nil {
				return err
			}
			return bump(ctx, tx, name, now)
		}
		for _, v := range versions {
			if _, err := tx.ExecContext(ctx, `UPDATE versions SET unpublished = $3 WHERE name = $1 AND version = $2 AND unpublished IS NULL`, name, v, fmtTime(now)); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM dist_tags WHERE name = $1 AND version = $2`, name, v); err != nil {
				return err
			}
		}
		return bump(ctx, tx, name, now)
	})
}

func (s *SQLStore) AddMaintainer(ctx context.Context, name, user string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO maintainers (name, username) VALUES ($1, $2) ON CONFLICT DO NOTHING`, name, user)
	return err
}

func (s *SQLStore) SetMaintainers(ctx context.Context, name string, users []string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		ok, err := s.lockPackage(ctx, tx, name)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("%w: package %s", ErrNotFound, name)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM maintainers WHERE name = $1`, name); err != nil {
			return err
		}
		for _, u := range users {
			if _, err := tx.ExecContext(ctx, `INSERT INTO maintainers (name, username) VALUES ($1, $2) ON CONFLICT DO NOTHING`, name, u); err != nil {
				return err
			}
		}
		return bump(ctx, tx, name, time.Now())
	})
}

func (s *SQLStore) MaintainedPackages(ctx context.Context, user string) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT name FROM maintainers WHERE username = $1 ORDER BY name`, user)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

func (s *SQLStore) IsMaintainer(ctx context.Context, name, user string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM maintainers WHERE name = $1 AND username = $2`, name, user).Scan(&n)
	return n > 0, err
}

func (s *SQLStore) Search(ctx context.Context, text string, from, size int) ([]SearchHit, int, error) {
	like := "%" + strings.ToLower(strings.NewReplacer("%", "", "_", "").Replace(text)) + "%"
	where := `FROM packages p JOIN dist_tags t ON t.name = p.name AND t.tag = 'latest' WHERE (LOWER(p.name) LIKE $1 OR LOWER(p.doc) LIKE $1)`
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) `+where, like).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT p.name, p.doc, p.modified, t.version `+where+` ORDER BY (LOWER(p.name) = $2) DESC, p.name LIMIT $3 OFFSET $4`, like, strings.ToLower(text), size, from)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var hits []SearchHit
	for rows.Next() {
		var h SearchHit
		var doc, modified string
		if err := rows.Scan(&h.Name, &doc, &modified, &h.Latest); err != nil {
			return nil, 0, err
		}
		h.Doc, h.Modified = []byte(doc), parseTime(modified)
		hits = append(hits, h)
	}
	return hits, total, rows.Err()
}

func (s *SQLStore) CreateUser(ctx context.Context, u User) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO users (name, email, password, created) VALUES ($1, $2, $3, $4)`, u.Name, u.Email, u.Password, fmtTime(u.Created))
	if err != nil && isUniqueViolation(err) {
		return fmt.Errorf("%w: user %s", ErrExists, u.Name)
	}
	return err
}

func (s *SQLStore) User(ctx context.Context, name string) (*User, error) {
	u := &User{Name: name}
	var created string
	err := s.db.QueryRowContext(ctx, `SELECT email, password, created FROM users WHERE name = $1`, name).Scan(&u.Email, &u.Password, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	u.Created = parseTime(created)
	return u, err
}

func (s *SQLStore) CreateToken(ctx context.Context, t Token) error {
	cidr, _ := json.Marshal(t.CIDR)
	ro := 0
	if t.ReadOnly {
		ro = 1
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO tokens (key, hash, username, readonly, created, cidr) VALUES ($1, $2, $3, $4, $5, $6)`, t.Key, t.Hash, t.User, ro, fmtTime(t.Created), string(cidr))
	return err
}

func scanToken(sc interface{ Scan(...any) error }) (*Token, error) {
	t := &Token{}
	var ro int
	var created, cidr string
	if err := sc.Scan(&t.Key, &t.Hash, &t.User, &ro, &created, &cidr); err != nil {
		return nil, err
	}
	t.ReadOnly, t.Created = ro != 0, parseTime(created)
	json.Unmarshal([]byte(cidr), &t.CIDR)
	return t, nil
}

func (s *SQLStore) TokenByHash(ctx context.Context, hash string) (*Token, error) {
	t, err := scanToken(s.tokenStmt.QueryRowContext(ctx, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return t, err
}

func (s *SQLStore) Tokens(ctx context.Context, user string) ([]Token, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT key, hash, username, readonly, created, cidr FROM tokens WHERE username = $1 ORDER BY created, key`, user)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Token
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *t)
	}
	return out, rows.Err()
}

func (s *SQLStore) DeleteToken(ctx context.Context, user, keyOrHash string) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM tokens WHERE username = $1 AND (key = $2 OR hash = $2)`, user, keyOrHash)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: token", ErrNotFound)
	}
	return nil
}

func (s *SQLStore) UplinkGet(ctx context.Context, name string) (*UplinkEntry, error) {
	e := &UplinkEntry{Name: name}
	var fetched string
	err := s.db.QueryRowContext(ctx, `SELECT fetched, etag, doc FROM uplink_cache WHERE name = $1`, name).Scan(&fetched, &e.ETag, &e.Doc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	e.Fetched = parseTime(fetched)
	return e, err
}

func (s *SQLStore) UplinkPut(ctx context.Context, e UplinkEntry) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO uplink_cache (name, fetched, etag, doc) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO UPDATE SET fetched = excluded.fetched, etag = excluded.etag, doc = excluded.doc`, e.Name, fmtTime(e.Fetched), e.ETag, e.Doc)
	return err
}

func (s *SQLStore) PutAdvisory(ctx context.Context, a Advisory) error {
	cwe, _ := json.Marshal(a.CWE)
	_, err := s.db.ExecContext(ctx, `INSERT INTO advisories (id, name, vulnerable_versions, severity, title, url, cwe, cvss_score, cvss_vector) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, vulnerable_versions = excluded.vulnerable_versions, severity = excluded.severity, title = excluded.title, url = excluded.url, cwe = excluded.cwe, cvss_score = excluded.cvss_score, cvss_vector = excluded.cvss_vector`,
		a.ID, a.Name, a.VulnerableVersions, a.Severity, a.Title, a.URL, string(cwe), a.CVSSScore, a.CVSSVector)
	return err
}

func (s *SQLStore) Advisories(ctx context.Context, names []string) ([]Advisory, error) {
	var out []Advisory
	for _, n := range names {
		rows, err := s.db.QueryContext(ctx, `SELECT id, name, vulnerable_versions, severity, title, url, cwe, cvss_score, cvss_vector FROM advisories WHERE name = $1 ORDER BY id`, n)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var a Advisory
			var cwe string
			if err := rows.Scan(&a.ID, &a.Name, &a.VulnerableVersions, &a.Severity, &a.Title, &a.URL, &cwe, &a.CVSSScore, &a.CVSSVector); err != nil {
				rows.Close()
				return nil, err
			}
			json.Unmarshal([]byte(cwe), &a.CWE)
			out = append(out, a)
		}
		rows.Close()
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func (s *SQLStore) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = $1`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	return v, err
}

func (s *SQLStore) SetSettingOnce(ctx context.Context, key, value string) (string, error) {
	if _, err := s.db.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, key, value); err != nil {
		return "", err
	}
	return s.Setting(ctx, key)
}

func (s *SQLStore) AddTeamMember(ctx context.Context, team, user string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO team_members (team, username) VALUES ($1, $2) ON CONFLICT DO NOTHING`, team, user)
	return err
}

func (s *SQLStore) RemoveTeamMember(ctx context.Context, team, user string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM team_members WHERE team = $1 AND username = $2`, team, user)
	return err
}

func (s *SQLStore) IsTeamMember(ctx context.Context, team, user string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM team_members WHERE team = $1 AND username = $2`, team, user).Scan(&n)
	return n > 0, err
}

func (s *SQLStore) SetSetting(ctx context.Context, key, value string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}
