package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/aadx/aadx/emulator"
	"github.com/spf13/cobra"
)

// emulatorFlags are the flags of `aadx emulator` (DESIGN.md §3).
type emulatorFlags struct {
	addr           string
	tls            bool
	autoApprove    bool
	deviceInterval time.Duration
	scenarios      []string
	json           bool
	listScenarios  bool
	dir            string
}

func newEmulatorCmd() *cobra.Command {
	var f emulatorFlags
	cmd := &cobra.Command{
		Use:   "emulator",
		Short: "Run the built-in Entra ID emulator until interrupted",
		Long: "Run a local, offline Microsoft Entra ID with a fictional demo tenant (users, apps, secrets, a\n" +
			"certificate) that real clients such as MSAL Go and azidentity accept. --json prints one line\n" +
			"describing it once it is listening.",
		Example: "  aadx emulator --tls --auto-approve --json\n  aadx emulator --scenario mfa-required --scenario throttled\n  aadx emulator --list-scenarios",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if f.listScenarios {
				return printScenarios(cmd.OutOrStdout())
			}
			return runEmulator(cmd, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.addr, "addr", "127.0.0.1:0", "listen address (host:port; port 0 picks a free one)")
	fl.BoolVar(&f.tls, "tls", false, "serve HTTPS with a CA generated at start (its file is named in the output)")
	fl.BoolVar(&f.autoApprove, "auto-approve", false, "sign in and approve device codes at once as the login_hint or first demo user")
	f.deviceInterval = 5 * time.Second
	fl.Var(secondsFlag{&f.deviceInterval}, "device-interval", "device-code polling interval announced to clients, in seconds (5) or as a duration (5s)")
	fl.StringArrayVar(&f.scenarios, "scenario", nil, "fault scenario to reproduce (repeatable; see --list-scenarios)")
	fl.BoolVar(&f.json, "json", false, "print one JSON line describing the emulator once it is listening")
	fl.BoolVar(&f.listScenarios, "list-scenarios", false, "list the fault scenarios and exit")
	fl.StringVar(&f.dir, "dir", "", "directory for the CA and daemon certificate files (default: a temporary directory removed on exit)")
	return cmd
}

func printScenarios(w io.Writer) error {
	width := 0
	for _, s := range emulator.Scenarios() {
		width = max(width, len(s.Name))
	}
	for _, s := range emulator.Scenarios() {
		if _, err := fmt.Fprintf(w, "%-*s %s\n", width, s.Name, s.Summary); err != nil {
			return err
		}
	}
	return nil
}

func (f emulatorFlags) validate() error {
	if _, _, err := net.SplitHostPort(f.addr); err != nil {
		return usageErrorf("--addr %q is not host:port (e.g. 127.0.0.1:8400)", f.addr)
	}
	if f.deviceInterval <= 0 {
		return usageErrorf("--device-interval must be positive (e.g. 5 or 5s)")
	}
	known := map[string]bool{}
	for _, s := range emulator.Scenarios() {
		known[s.Name] = true
	}
	for _, name := range f.scenarios {
		if !known[name] {
			return usageErrorf("--scenario %q is unknown; see aadx emulator --list-scenarios", name)
		}
	}
	return nil
}

func runEmulator(cmd *cobra.Command, f emulatorFlags) error {
	if err := f.validate(); err != nil {
		return err
	}
	ctx, stop := signalContext(cmd.Context())
	defer stop()
	srv, err := emulator.New(emulator.Options{Addr: f.addr, TLS: f.tls, AutoApprove: f.autoApprove,
		DeviceInterval: f.deviceInterval, Scenarios: f.scenarios, Dir: f.dir, KeyCache: emulator.UserKeyCache()})
	if err != nil {
		if strings.Contains(err.Error(), "listen on") {
			return usageErrorf("--addr %s: %v", f.addr, err)
		}
		return err
	}
	defer srv.Close()
	out := cmd.OutOrStdout()
	d := srv.DescriptionWithoutCertificate() // the summary names no certificate: no daemon key to load
	if f.json {
		d = srv.Description()
	}
	warnIfExposed(cmd.ErrOrStderr(), f.addr, srv.ListenAddr(), d.Authority)
	if f.json {
		line, err := json.Marshal(d)
		if err != nil {
			return err
		}
		fmt.Fprintln(out, string(line))
	} else {
		printEmulatorSummary(out, d, f)
	}
	<-ctx.Done()
	return nil
}

// warnIfExposed says where a wildcard bind really listens, and that the demo tenant's passwords and secrets
// are public: anyone who reaches the port can sign in as the demo users and get tokens.
func warnIfExposed(w io.Writer, requested, listen, authority string) {
	host, _, err1 := net.SplitHostPort(requested)
	_, port, err2 := net.SplitHostPort(listen)
	if err1 != nil || err2 != nil {
		return
	}
	if ip := net.ParseIP(host); host == "localhost" || ip != nil && ip.IsLoopback() {
		return
	}
	if host == "" {
		host = "0.0.0.0"
	}
	fmt.Fprintf(w, "warning: the emulator listens on %s, beyond this machine (clients here use %s). "+
		"Its demo passwords and secrets are public: anyone who reaches it can sign in and get tokens. "+
		"Use --addr 127.0.0.1:PORT to keep it local.\n", net.JoinHostPort(host, port), authority)
}

func printEmulatorSummary(w io.Writer, d emulator.Description, f emulatorFlags) {
	fmt.Fprintf(w, "Entra ID emulator listening on %s (tenant %s, %s)\n", d.Authority, d.TenantID, d.TenantDomain)
	if d.CAFile != "" {
		fmt.Fprintf(w, "CA certificate: %s\n", d.CAFile)
	}
	for _, u := range d.Users {
		fmt.Fprintf(w, "user   %-34s password %-18s %s\n", u.Username, u.Password, u.Note)
	}
	apps := []struct {
		name string
		app  emulator.App
	}{{"web", d.Apps.Web}, {"spa", d.Apps.SPA}, {"public", d.Apps.Public}, {"daemon", d.Apps.Daemon}, {"api", d.Apps.API}}
	for _, a := range apps {
		fmt.Fprintf(w, "app    %-7s client_id %s", a.name, a.app.ClientID)
		if a.app.RedirectURI != "" {
			fmt.Fprintf(w, "  redirect %s", a.app.RedirectURI)
		}
		if a.app.Scope != "" {
			fmt.Fprintf(w, "  scope %s", a.app.Scope)
		}
		fmt.Fprintln(w)
	}
	if len(f.scenarios) > 0 {
		fmt.Fprintf(w, "scenarios: %s\n", strings.Join(f.scenarios, ", "))
	}
	fmt.Fprintln(w, "Secrets and the daemon certificate: aadx emulator --json. Press Ctrl+C to stop.")
}
