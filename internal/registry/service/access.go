package service

import (
	"context"
	"errors"

	"gnode/internal/registry/meta"
)

// Collaborators answers npm access list collaborators: every maintainer of
// a local package may read and write it.
func (s *Service) Collaborators(ctx context.Context, name string) (map[string]string, error) {
	p, err := s.meta.Package(ctx, name)
	if errors.Is(err, meta.ErrNotFound) {
		return nil, errorf(KindNotFound, "package %s not found", name)
	}
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(p.Maintainers))
	for _, m := range p.Maintainers {
		out[m] = "read-write"
	}
	return out, nil
}

// UserPackages answers npm access list packages: the packages user
// maintains, each with read-write access.
func (s *Service) UserPackages(ctx context.Context, user string) (map[string]string, error) {
	if _, err := s.UserExists(ctx, user); err != nil {
		return nil, err
	}
	names, err := s.meta.MaintainedPackages(ctx, user)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(names))
	for _, n := range names {
		out[n] = "read-write"
	}
	return out, nil
}

// Profile is what npm profile get shows of an account.
type Profile struct {
	Name    string
	Email   string
	Created string
}

// UserProfile returns user's profile (never the password hash).
func (s *Service) UserProfile(ctx context.Context, user string) (*Profile, error) {
	u, err := s.meta.User(ctx, user)
	if errors.Is(err, meta.ErrNotFound) {
		return nil, errorf(KindNotFound, "user %s not found", user)
	}
	if err != nil {
		return nil, err
	}
	return &Profile{Name: u.Name, Email: u.Email, Created: npmTime(u.Created)}, nil
}
