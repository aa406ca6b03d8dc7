package profiles

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
)

// maxFileSize bounds how much of the profiles file is read; thousands of profiles fit well inside it.
const maxFileSize = 1 << 20

// fileVersion is written into the file so that a later format can be told apart.
const fileVersion = 1

// file is the profiles file's JSON.
type file struct {
	Version  int       `json:"version"`
	Active   string    `json:"active,omitempty"`
	Profiles []Profile `json:"profiles"`
}

// CorruptError means the profiles file could not be read as profiles; it names the file.
type CorruptError struct {
	Path string
	Err  error
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("profiles file %s is unreadable: %v; fix it or delete it (it holds no secrets)", e.Path, e.Err)
}

func (e *CorruptError) Unwrap() error { return e.Err }

// load reads the file; a missing file is an empty store.
func (s *Store) load() (file, error) {
	path := s.Path()
	fh, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return file{Version: fileVersion}, nil
	}
	if err != nil {
		return file{}, fmt.Errorf("profiles file %s cannot be opened: %w", path, err)
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, maxFileSize+1))
	switch {
	case err != nil:
		return file{}, fmt.Errorf("profiles file %s cannot be read: %w", path, err)
	case len(data) > maxFileSize:
		return file{}, &CorruptError{path, errors.New("it is larger than 1 MiB")}
	case len(bytes.TrimSpace(data)) == 0:
		return file{Version: fileVersion}, nil
	}
	var f file
	if err := json.Unmarshal(data, &f); err != nil {
		return file{}, &CorruptError{path, describeJSONError(data, err)}
	}
	if f.Version > fileVersion {
		return file{}, &CorruptError{path, fmt.Errorf("it has format version %d, newer than this aadx (%d)", f.Version, fileVersion)}
	}
	seen := make(map[string]bool, len(f.Profiles))
	for i, p := range f.Profiles {
		if err := ValidateName(p.Name); err != nil {
			return file{}, &CorruptError{path, fmt.Errorf("profile %d: %w", i+1, err)}
		}
		if err := p.Secret.normalized().validate(); err != nil { // an unknown kind is refused, not read as none
			return file{}, &CorruptError{path, fmt.Errorf("profile %q: %w", p.Name, err)}
		}
		if seen[p.Name] {
			return file{}, &CorruptError{path, fmt.Errorf("profile %q appears twice", p.Name)}
		}
		seen[p.Name] = true
	}
	// A hand-edited file may be in any order; lists are by name.
	slices.SortFunc(f.Profiles, func(a, b Profile) int { return strings.Compare(a.Name, b.Name) })
	if f.Active != "" && !seen[f.Active] {
		f.Active = "" // the active profile was removed by hand: none is active
	}
	f.Version = fileVersion
	return f, nil
}

// describeJSONError adds the line of a syntax error, so a hand edit can be found.
func describeJSONError(data []byte, err error) error {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		line := 1 + bytes.Count(data[:min(int(syn.Offset), len(data))], []byte("\n"))
		return fmt.Errorf("line %d: %w", line, err)
	}
	return err
}

// write replaces the file atomically: a temp file in the same directory, synced, then renamed over it, so a
// crash leaves the old file or the new one, never half of one.
func (s *Store) write(f file) error {
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return fmt.Errorf("profiles directory %s cannot be created: %w", s.dir, err)
	}
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return fmt.Errorf("profiles cannot be encoded: %w", err)
	}
	tmp, err := os.CreateTemp(s.dir, ".profiles-*.tmp") // CreateTemp makes it 0600
	if err != nil {
		return fmt.Errorf("profiles file cannot be written in %s: %w", s.dir, err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	_, err = tmp.Write(append(data, '\n'))
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), s.Path())
	}
	if err != nil {
		return fmt.Errorf("profiles file %s cannot be written: %w", s.Path(), err)
	}
	return nil
}
