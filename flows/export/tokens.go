package export

import (
	"fmt"
	"strings"

	"github.com/aadx/aadx/decode"
	"github.com/aadx/aadx/flows"
)

// EmulatorOrigin is the report's "where this ran" for a run against the aadx emulator's demo tenant at
// authority, naming the fault scenarios that were on (none: "").
func EmulatorOrigin(authority string, scenarios ...string) string {
	text := "The aadx emulator's demo tenant (" + authority + "), not a real Entra ID tenant."
	var on []string
	for _, s := range scenarios {
		if s = strings.TrimSpace(s); s != "" {
			on = append(on, s)
		}
	}
	if len(on) > 0 {
		text += " Emulator fault scenario on: " + strings.Join(on, ", ") + "."
	}
	return text
}

// tokenReport is the Markdown section on where the run went and the claims of every token it obtained or
// sent (claims are not credentials: the tokens themselves stay shortened in the report). Claim values go
// through the redactor like every other value of the report.
func tokenReport(st flows.State, origin string, red *flows.Redactor) string {
	var b strings.Builder
	if origin != "" {
		fmt.Fprintf(&b, "\n## Where this ran\n\n%s\n", mdCell(origin))
	}
	type named struct{ label, raw string }
	var tokens []named
	if t := st.Tokens; t != nil {
		tokens = append(tokens, named{"access token", t.AccessToken}, named{"ID token", t.IDToken})
	}
	tokens = append(tokens, named{"client assertion", st.ClientAssertion})
	wrote := false
	for _, t := range tokens {
		tok, err := decode.Unverified(t.raw)
		if t.raw == "" || err != nil {
			continue
		}
		if !wrote {
			b.WriteString("\n## Decoded tokens\n")
			wrote = true
		}
		fmt.Fprintf(&b, "\n### %s\n\n| claim | value | meaning |\n| --- | --- | --- |\n", t.label)
		for _, e := range decode.Explain(tok) {
			if e.Part == "header" {
				continue
			}
			fmt.Fprintf(&b, "| %s | %s | %s |\n", mdCell(e.Name), mdCell(red.Text(e.Value)), mdCell(firstSentence(e.Text)))
		}
	}
	return b.String()
}

func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}
