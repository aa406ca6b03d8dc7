package tui

import (
	"strings"
	"testing"

	"github.com/aadx/aadx/decode"
	"github.com/charmbracelet/x/ansi"
	"rsc.io/qr"
)

func TestQRRoundTrips(t *testing.T) {
	for _, dark := range []bool{true, false} {
		text := "http://127.0.0.1:41234/devicelogin"
		out, err := renderQR(text, dark)
		if err != nil {
			t.Fatal(err)
		}
		code, _ := qr.Encode(text, qr.L)
		size := code.Size + 2*qrQuiet
		rows := strings.Split(out, "\n")
		if len(rows) != (size+1)/2 {
			t.Fatalf("dark=%v: %d rows, want %d", dark, len(rows), (size+1)/2)
		}
		// Read the modules back from the half blocks and compare with the code.
		for y := 0; y < size; y++ {
			row := []rune(rows[y/2])
			if len(row) != size {
				t.Fatalf("row %d is %d wide, want %d", y/2, len(row), size)
			}
			for x := 0; x < size; x++ {
				c := row[x]
				ink := c == '█' || (y%2 == 0 && c == '▀') || (y%2 == 1 && c == '▄')
				mx, my := x-qrQuiet, y-qrQuiet
				black := mx >= 0 && my >= 0 && mx < code.Size && my < code.Size && code.Black(mx, my)
				if want := black != dark; ink != want {
					t.Fatalf("dark=%v: module (%d,%d) drawn %v, want %v", dark, x, y, ink, want)
				}
			}
		}
	}
}

func TestStatusBar(t *testing.T) {
	st := NewStyles(true)
	tests := []struct {
		info      statusInfo
		want, not []string
	}{
		{statusInfo{Authority: "http://127.0.0.1:4000", Tenant: "7c1e5a9d-3b2f-4e86-9d41-6a0b2c8f5e13", ClientID: "app", Emulator: true},
			[]string{"emulator", "127.0.0.1:4000", "7c1e5a9d…", "app"}, []string{"secrets shown"}},
		{statusInfo{Authority: "https://login.microsoftonline.com", Tenant: "contoso.com", Secrets: true, Notice: "copied access token"},
			[]string{"secrets shown", "login.microsoftonline.com", "contoso.com", "copied access token"}, []string{"emulator"}},
	}
	for _, tt := range tests {
		for _, width := range []int{80, 120} {
			bar := ansi.Strip(renderStatusBar(st, tt.info, width))
			if w := ansi.StringWidth(bar); w != width {
				t.Errorf("bar is %d wide, want %d: %q", w, width, bar)
			}
			for _, want := range tt.want {
				if width < 100 && tt.info.Notice != "" && want != tt.info.Notice {
					continue // at 80 columns the notice may push the fields out
				}
				if !strings.Contains(bar, want) {
					t.Errorf("bar %q lacks %q", bar, want)
				}
			}
			for _, not := range tt.not {
				if strings.Contains(bar, not) {
					t.Errorf("bar %q should not show %q", bar, not)
				}
			}
		}
	}
}

// In the narrow claims pane beside a run, a time row keeps its relative part ("expires in …") whole on a line
// of its own rather than cutting it off.
func TestClaimsTimesKeepRelativeTimeWhenNarrow(t *testing.T) {
	v := buildTokenView(t.Context(), "access", testToken(sampleClaims), nil, decode.Expect{}, pinnedNow)
	for _, width := range []int{40, 100} {
		lines := renderTokenLines(NewStyles(true), v, width)
		text := ansi.Strip(strings.Join(lines, "\n"))
		expiry := v.Times.Instants[len(v.Times.Instants)-1]
		if !strings.Contains(text, expiry.Relative) {
			t.Errorf("width %d: %q missing from the claims pane:\n%s", width, expiry.Relative, text)
		}
		for _, l := range lines {
			if w := ansi.StringWidth(l); w > width {
				t.Errorf("width %d: line %q is %d wide", width, ansi.Strip(l), w)
			}
		}
	}
}
