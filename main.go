// Command aadx explores Microsoft Entra ID OAuth 2.0 flows: a TUI, headless runs, a token decoder and a
// built-in Entra ID emulator. See README.md; the commands live in internal/cli.
package main

import (
	"os"

	"github.com/aadx/aadx/internal/cli"
)

// version is set at build time with -ldflags "-X main.version=…"; otherwise the module version is used.
var version = "dev"

func main() {
	os.Exit(cli.Execute(version, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
