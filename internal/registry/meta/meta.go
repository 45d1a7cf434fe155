// Package meta stores the registry's metadata: packages, versions,
// dist-tags, maintainers, users, tokens, the uplink cache and settings.
//
// One implementation over database/sql serves both SQLite (embedded, the
// default) and PostgreSQL (several registry processes on one database). The
// packument is never stored as one document: every version is its own row
// and the packument is derived from the rows, so concurrent publishes of
// different versions never lose each other (the lost-update bug that
// single-document registries have). Every write runs in one transaction and
// bumps the package's rev, which readers use to validate caches across
// processes.
package meta

import (
	"context"
	"errors"
	"time"
)

// Errors the service layer maps to HTTP statuses.
var (
	ErrNotFound  = errors.New("not found")
	ErrExists    = errors.New("already exists")
	ErrForbidden = errors.New("forbidden")
)

// Version is one published (or unpublished) version of a package.
type Version struct {
	Version     string
	Manifest    []byte // the version object as JSON, without dist.tarball (derived per request)
	Integrity   string // sha512 SRI
	Shasum      string // sha1 hex
	Blob        string // key of the tarball in the blob store
	Size        int64
	Published   time.Time
	Deprecated  string
	Unpublished *time.Time // tombstone: the version can never be published again
	Publisher   string
}

// Package is everything the packument is derived from.
type Package struct {
	Name        string
	Created     time.Time
	Modified    time.Time
	Rev         int64
	Doc         []byte // top-level fields from the latest publish (description, readme, ...)
	Versions    []Version
	Tags        map[string]string
	Maintainers []string // sorted
	// MaintainerEmails holds the email of each maintainer that has one
	// (npm shows owners as "name <email>").
	MaintainerEmails map[string]string
}

// PublishInput is one publish: exactly one version and one tag.
type PublishInput struct {
	Name      string
	Doc       []byte
	Version   Version
	Tag       string
	Publisher string
	// CanCreate says whether Publisher may create the package when it does
	// not exist yet (scope ownership is decided by the service).
	CanCreate bool
}

// User is a registry account.
type User struct {
	Name     string
	Email    string
	Password string // KDF output, encoded with its parameters
	Created  time.Time
}

// Token is an API token; only its hash is stored.
type Token struct {
	Key      string // public identifier (shown in token lists)
	Hash     string // sha256 of the secret
	User     string
	ReadOnly bool
	Created  time.Time
	CIDR     []string
}

// UplinkEntry is a cached upstream packument.
type UplinkEntry struct {
	Name    string
	Fetched time.Time
	ETag    string
	Doc     []byte
}

// Advisory is a security advisory served by the bulk audit endpoint.
type Advisory struct {
	ID                 int64
	Name               string
	VulnerableVersions string
	Severity           string
	Title              string
	URL                string
	CWE                []string
	CVSSScore          float64
	CVSSVector         string
}

// SearchHit is one package matched by Search.
type SearchHit struct {
	Name     string
	Doc      []byte
	Modified time.Time
	Latest   string
}

// Store is the registry's metadata store.
type Store interface {
	Package(ctx context.Context, name string) (*Package, error)
	// Rev returns the package's revision, or ErrNotFound.
	Rev(ctx context.Context, name string) (int64, error)
	// Version returns one version row (tombstoned ones included), or ErrNotFound.
	Version(ctx context.Context, name, version string) (*Version, error)
	// VersionBlob is Version without the manifest: only Version, Blob,
	// Integrity, Size and Unpublished are set (tarball reads).
	VersionBlob(ctx context.Context, name, version string) (*Version, error)
	Publish(ctx context.Context, in PublishInput) error
	SetTag(ctx context.Context, name, tag, version string) error
	DeleteTag(ctx context.Context, name, tag string) error
	Deprecate(ctx context.Context, name string, messages map[string]string) error
	// Unpublish tombstones the given versions (all of them when versions is nil).
	Unpublish(ctx context.Context, name string, versions []string) error
	AddMaintainer(ctx context.Context, name, user string) error
	// SetMaintainers replaces the package's maintainers (npm owner add/rm).
	SetMaintainers(ctx context.Context, name string, users []string) error
	IsMaintainer(ctx context.Context, name, user string) (bool, error)
	// MaintainedPackages lists the packages user maintains, sorted.
	MaintainedPackages(ctx context.Context, user string) ([]string, error)
	Search(ctx context.Context, text string, from, size int) ([]SearchHit, int, error)

	CreateUser(ctx context.Context, u User) error
	User(ctx context.Context, name string) (*User, error)
	CreateToken(ctx context.Context, t Token) error
	TokenByHash(ctx context.Context, hash string) (*Token, error)
	Tokens(ctx context.Context, user string) ([]Token, error)
	DeleteToken(ctx context.Context, user, keyOrHash string) error

	UplinkGet(ctx context.Context, name string) (*UplinkEntry, error)
	UplinkPut(ctx context.Context, e UplinkEntry) error

	PutAdvisory(ctx context.Context, a Advisory) error
	Advisories(ctx context.Context, names []string) ([]Advisory, error)

	AddTeamMember(ctx context.Context, team, user string) error
	RemoveTeamMember(ctx context.Context, team, user string) error
	IsTeamMember(ctx context.Context, team, user string) (bool, error)

	Setting(ctx context.Context, key string) (string, error)
	// SetSetting stores value, replacing any earlier one.
	SetSetting(ctx context.Context, key, value string) error
	// SetSettingOnce stores value unless the key exists, and returns the stored value.
	SetSettingOnce(ctx context.Context, key, value string) (string, error)
	Close() error
}
