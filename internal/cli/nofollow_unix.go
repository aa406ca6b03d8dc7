//go:build unix

package cli

import "syscall"

// noFollow makes opening a symbolic link fail, closing the gap between the Lstat check and the open.
const noFollow = syscall.O_NOFOLLOW
