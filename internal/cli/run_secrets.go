package cli

import (
	"os"
	"strings"

	"github.com/aadx/aadx/flows"
	"github.com/aadx/aadx/profiles"
	"github.com/spf13/cobra"
)

// readCredential completes the client credential resolveSettings found (--cert or
// AZURE_CLIENT_CERTIFICATE_PATH, else AZURE_CLIENT_SECRET): a certificate stands; else --client-secret (with a
// warning) or --client-secret-file replace the variable's secret; else, when prompt is set and the flow needs
// one, a prompt when stdin is a terminal.
func (o *runOptions) readCredential(cmd *cobra.Command, id flows.FlowID, s *flows.Settings, tr *tracer, prompt bool) error {
	if s.Certificate != nil {
		return nil
	}
	switch {
	case o.clientSecret != "":
		tr.warn("--client-secret puts the secret in your shell history and process list; prefer AZURE_CLIENT_SECRET or --client-secret-file")
		s.ClientSecret = o.clientSecret
	case o.clientSecretFile != "":
		f, err := os.Open(o.clientSecretFile)
		if err != nil {
			return usageErrorf("--client-secret-file %q cannot be read: %v", o.clientSecretFile, err)
		}
		defer f.Close()
		v, err := readLimited(f, 16<<10)
		if problem := inputProblem(v, err); problem != "" {
			return usageErrorf("--client-secret-file %q %s; put the secret's value, and only it, in a file", o.clientSecretFile, strings.TrimPrefix(problem, "read "+o.clientSecretFile+": "))
		}
		s.ClientSecret = strings.TrimSpace(v)
	case s.ClientSecret != "":
	case prompt && needsCredential(id, *s):
		if ask := o.secretPrompt(cmd); ask != nil {
			secret, err := ask("Client secret")
			if err != nil {
				return usageErrorf("the client secret could not be read from the terminal: %v", err)
			}
			s.ClientSecret = secret
		}
	}
	return nil
}

// needsCredential reports whether the flow cannot run without the credential s still lacks (the flow's own rule).
func needsCredential(id flows.FlowID, s flows.Settings) bool {
	f, ok := flows.Lookup(string(id))
	return ok && f.NeedsCredential(s)
}

// secretPrompt asks for a secret on the terminal with the input hidden; nil when stdin is not a terminal.
func (o *runOptions) secretPrompt(cmd *cobra.Command) profiles.PromptFunc {
	if !readerIsTerminal(cmd.InOrStdin()) {
		return nil
	}
	in := cmd.InOrStdin().(*os.File)
	return func(label string) (string, error) { return promptSecret(cmd.ErrOrStderr(), in, label) }
}
