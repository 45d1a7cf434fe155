package service

import (
	"context"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"gnode/internal/registry/meta"
)

// Identity is who a request is from. The zero Identity is anonymous.
type Identity struct {
	User     string
	ReadOnly bool
}

// Passwords are hashed with PBKDF2-SHA256 (a slow KDF from the standard
// library); the iteration count is stored with the hash so it can grow.
const pbkdf2Iterations = 210_000

func hashPassword(password string) (string, error) {
	salt := make([]byte, 16)
	rand.Read(salt)
	key, err := pbkdf2.Key(sha256.New, password, salt, pbkdf2Iterations, 32)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("pbkdf2-sha256$%d$%s$%s", pbkdf2Iterations, base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

func checkPassword(stored, password string) bool {
	parts := strings.Split(stored, "$")
	if len(parts) != 4 || parts[0] != "pbkdf2-sha256" {
		return false
	}
	iter, err := strconv.Atoi(parts[1])
	if err != nil || iter <= 0 {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[2])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[3])
	if err1 != nil || err2 != nil {
		return false
	}
	got, err := pbkdf2.Key(sha256.New, password, salt, iter, len(want))
	return err == nil && subtle.ConstantTimeCompare(got, want) == 1
}

func hashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

func newSecret() string {
	b := make([]byte, 32)
	rand.Read(b)
	return "gnode_" + base64.RawURLEncoding.EncodeToString(b)
}

func newKey() string {
	b := make([]byte, 16)
	rand.Read(b)
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// basicCache remembers verified Basic credentials briefly, so clients that
// send Basic auth on every request do not pay the KDF each time (the cost
// that makes Verdaccio's authenticated reads slow).
type basicCache struct {
	mu sync.Mutex
	m  map[string]basicEntry
}

type basicEntry struct {
	user    string
	expires time.Time
}

// ValidateUsername applies npm's user name rules.
func ValidateUsername(name string) error {
	if name == "" || len(name) > 214 {
		return errorf(KindInvalid, "user name must be 1 to 214 characters")
	}
	if name != strings.ToLower(name) {
		return errorf(KindInvalid, "user name must be lowercase")
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return errorf(KindInvalid, "user name %q may contain only a-z, 0-9, '-', '_' and '.'", name)
		}
	}
	if name[0] == '.' || name[0] == '_' || name[0] == '-' {
		return errorf(KindInvalid, "user name may not start with %q", name[0])
	}
	return nil
}

// AddUser creates an account.
func (s *Service) AddUser(ctx context.Context, name, password, email string) error {
	if err := ValidateUsername(name); err != nil {
		return err
	}
	if len(password) < 8 {
		return errorf(KindInvalid, "password must be at least 8 characters")
	}
	h, err := hashPassword(password)
	if err != nil {
		return err
	}
	err = s.meta.CreateUser(ctx, meta.User{Name: name, Email: email, Password: h, Created: time.Now()})
	if errors.Is(err, meta.ErrExists) {
		return errorf(KindConflict, "username is already registered")
	}
	return err
}

// CheckPassword verifies a user's password.
func (s *Service) CheckPassword(ctx context.Context, name, password string) error {
	u, err := s.meta.User(ctx, name)
	if errors.Is(err, meta.ErrNotFound) {
		// Spend the same time as a real check so user names cannot be probed.
		checkPassword("pbkdf2-sha256$"+strconv.Itoa(pbkdf2Iterations)+"$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", password)
		return errorf(KindUnauthorized, "incorrect user name or password")
	}
	if err != nil {
		return err
	}
	if !checkPassword(u.Password, password) {
		return errorf(KindUnauthorized, "incorrect user name or password")
	}
	return nil
}

// IssueToken creates a token for user and returns the secret (shown once)
// and the stored record.
func (s *Service) IssueToken(ctx context.Context, user string, readOnly bool, cidr []string) (string, meta.Token, error) {
	secret := newSecret()
	t := meta.Token{Key: newKey(), Hash: hashToken(secret), User: user, ReadOnly: readOnly, Created: time.Now(), CIDR: cidr}
	if err := s.meta.CreateToken(ctx, t); err != nil {
		return "", t, err
	}
	return secret, t, nil
}

// Authenticate resolves an Authorization header. A missing header is
// anonymous; a present but invalid one is an error (never silently anonymous).
func (s *Service) Authenticate(ctx context.Context, header string) (Identity, error) {
	if header == "" {
		return Identity{}, nil
	}
	scheme, cred, _ := strings.Cut(header, " ")
	cred = strings.TrimSpace(cred)
	switch strings.ToLower(scheme) {
	case "bearer":
		t, err := s.meta.TokenByHash(ctx, hashToken(cred))
		if errors.Is(err, meta.ErrNotFound) {
			return Identity{}, errorf(KindUnauthorized, "invalid or revoked token")
		}
		if err != nil {
			return Identity{}, err
		}
		return Identity{User: t.User, ReadOnly: t.ReadOnly}, nil
	case "basic":
		raw, err := base64.StdEncoding.DecodeString(cred)
		if err != nil {
			return Identity{}, errorf(KindUnauthorized, "malformed basic credentials")
		}
		user, pass, ok := strings.Cut(string(raw), ":")
		if !ok {
			return Identity{}, errorf(KindUnauthorized, "malformed basic credentials")
		}
		key := hashToken(string(raw))
		s.basic.mu.Lock()
		e, hit := s.basic.m[key]
		s.basic.mu.Unlock()
		if hit && time.Now().Before(e.expires) {
			return Identity{User: e.user}, nil
		}
		if err := s.CheckPassword(ctx, user, pass); err != nil {
			return Identity{}, err
		}
		s.basic.mu.Lock()
		if s.basic.m == nil || len(s.basic.m) > 10000 {
			s.basic.m = map[string]basicEntry{}
		}
		s.basic.m[key] = basicEntry{user: user, expires: time.Now().Add(time.Minute)}
		s.basic.mu.Unlock()
		return Identity{User: user}, nil
	}
	return Identity{}, errorf(KindUnauthorized, "unsupported authorization scheme %q", scheme)
}

// RevokeToken deletes a token of user by its key or by its secret.
func (s *Service) RevokeToken(ctx context.Context, user, keyOrSecret string) error {
	err := s.meta.DeleteToken(ctx, user, keyOrSecret)
	if errors.Is(err, meta.ErrNotFound) {
		err = s.meta.DeleteToken(ctx, user, hashToken(keyOrSecret))
	}
	if errors.Is(err, meta.ErrNotFound) {
		return errorf(KindNotFound, "no such token")
	}
	return err
}

// Tokens lists user's tokens.
func (s *Service) Tokens(ctx context.Context, user string) ([]meta.Token, error) {
	return s.meta.Tokens(ctx, user)
}

// UserExists reports whether the account exists (KindNotFound error when not).
func (s *Service) UserExists(ctx context.Context, name string) (bool, error) {
	_, err := s.meta.User(ctx, name)
	if errors.Is(err, meta.ErrNotFound) {
		return false, errorf(KindNotFound, "user %s not found", name)
	}
	return err == nil, err
}
