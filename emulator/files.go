package emulator

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// writePrivateFile writes data to a new file only its owner can read. Whatever was at path (a file with
// wider modes, a symlink planted in the directory) is removed first, and the file is created exclusively
// (O_EXCL does not follow a symlink), so the write never lands anywhere but a fresh 0600 file.
func writePrivateFile(path string, data []byte) error {
	if fi, err := os.Lstat(path); err == nil {
		if fi.IsDir() {
			return fmt.Errorf("%s is a directory", path)
		}
		if err := os.Remove(path); err != nil {
			return err
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		_ = os.Remove(path)
	}
	return werr
}
