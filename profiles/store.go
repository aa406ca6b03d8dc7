package profiles

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// FileName is the file, in the store's directory, that holds every profile and the active profile's name.
const FileName = "profiles.json"

// ErrNotFound means no profile has the name asked for.
var ErrNotFound = errors.New("no such profile")

// Store reads and writes the profiles file. Every change rewrites the whole file atomically (temp file and
// rename), mode 0600 in a 0700 directory. A Store is safe for concurrent use within one process.
type Store struct {
	dir string
	mu  sync.Mutex
}

// DefaultDir is aadx's directory in the user config directory: $XDG_CONFIG_HOME/aadx (else ~/.config/aadx) on
// Linux, ~/Library/Application Support/aadx on macOS, %AppData%\aadx on Windows.
func DefaultDir() (string, error) {
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("profiles: no user config directory (%w); set XDG_CONFIG_HOME or HOME", err)
	}
	return filepath.Join(base, "aadx"), nil
}

// OpenDefault returns the store in DefaultDir.
func OpenDefault() (*Store, error) {
	dir, err := DefaultDir()
	if err != nil {
		return nil, err
	}
	return NewStore(dir), nil
}

// NewStore returns a store rooted at dir; nothing is read or created until it is used.
func NewStore(dir string) *Store { return &Store{dir: dir} }

// Path is the profiles file's path.
func (s *Store) Path() string { return filepath.Join(s.dir, FileName) }

// List returns every profile, sorted by name, and the active profile's name ("" when none is active).
func (s *Store) List() ([]Profile, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := s.load()
	if err != nil {
		return nil, "", err
	}
	return f.Profiles, f.Active, nil
}

// Get returns the named profile; the error wraps ErrNotFound when there is none.
func (s *Store) Get(name string) (Profile, error) {
	profiles, _, err := s.List()
	if err != nil {
		return Profile{}, err
	}
	if i := indexOf(profiles, name); i >= 0 {
		return profiles[i], nil
	}
	return Profile{}, notFound(name)
}

// Active returns the active profile; ok is false when none is active.
func (s *Store) Active() (p Profile, ok bool, err error) {
	profiles, active, err := s.List()
	if err != nil || active == "" {
		return Profile{}, false, err
	}
	if i := indexOf(profiles, active); i >= 0 {
		return profiles[i], true, nil
	}
	return Profile{}, false, nil
}

// Select is what --profile does: the named profile when name is set (an error if it does not exist), else the
// active one (ok false when none is active, and the caller falls back to the demo tenant).
func (s *Store) Select(name string) (p Profile, ok bool, err error) {
	if name == "" {
		return s.Active()
	}
	p, err = s.Get(name)
	return p, err == nil, err
}

// Save creates or replaces the profile of the same name. It validates the profile (a *flows.FieldError names
// the bad field) and refuses, with a *SecretError, any field that looks like a secret or contains one of the
// known secret values (pass KnownSecrets(settings) and any secret the caller holds).
func (s *Store) Save(p Profile, known ...string) error {
	p = p.normalized()
	// Secrets first, so that a validation message cannot echo a secret back.
	if err := p.checkNoSecrets(known); err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return err
	}
	return s.update(func(f *file) error {
		if i := indexOf(f.Profiles, p.Name); i >= 0 {
			f.Profiles[i] = p
			return nil
		}
		f.Profiles = append(f.Profiles, p)
		slices.SortFunc(f.Profiles, func(a, b Profile) int { return strings.Compare(a.Name, b.Name) })
		return nil
	})
}

// Delete removes the named profile (and clears the active name if it was active).
func (s *Store) Delete(name string) error {
	return s.update(func(f *file) error {
		i := indexOf(f.Profiles, name)
		if i < 0 {
			return notFound(name)
		}
		f.Profiles = slices.Delete(f.Profiles, i, i+1)
		if f.Active == name {
			f.Active = ""
		}
		return nil
	})
}

// SetActive makes the named profile the one used when no --profile is given; "" clears it.
func (s *Store) SetActive(name string) error {
	return s.update(func(f *file) error {
		if name != "" && indexOf(f.Profiles, name) < 0 {
			return notFound(name)
		}
		f.Active = name
		return nil
	})
}

// update loads the file, applies change and writes it back atomically.
func (s *Store) update(change func(*file) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := s.load()
	if err != nil {
		return err
	}
	if err := change(&f); err != nil {
		return err
	}
	return s.write(f)
}

func indexOf(profiles []Profile, name string) int {
	return slices.IndexFunc(profiles, func(p Profile) bool { return p.Name == name })
}

func notFound(name string) error {
	return fmt.Errorf("profile %q: %w; see aadx profiles list", name, ErrNotFound)
}
