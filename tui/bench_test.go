package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/aadx/aadx/flows"
)

// largeRun returns the root model on a run screen with 200 legs, the selected one holding a 1 MiB JSON
// response, as a long device-code poll or a chatty trace would.
func largeRun(b *testing.B) *Model {
	b.Helper()
	m := New(pinned(Options{Settings: flows.Settings{Authority: "http://127.0.0.1:9", Tenant: "7c1e5a9d-3b2f-4e86-9d41-6a0b2c8f5e13",
		ClientID: "e2b7f4a9-6c3d-4f18-9b52-0a8d3c1e6f74", ClientSecret: "bench-secret-value",
		Scopes: []string{"api://6b9d3e1f-4a27-4c5e-8f03-2e7a9b1d4c68/.default"}}}, nil))
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	f, _ := flows.Lookup(string(flows.FlowClientCredentials))
	m.startRun(f, m.opts.Settings)
	r := m.run
	if r.initErr != nil {
		b.Fatal(r.initErr)
	}
	var body strings.Builder
	body.WriteString(`{"value":[`)
	for i := 0; body.Len() < 1<<20; i++ {
		if i > 0 {
			body.WriteByte(',')
		}
		fmt.Fprintf(&body, `{"id":"%08d","displayName":"Group number %d","description":"a group the user is a member of"}`, i, i)
	}
	body.WriteString(`]}`)
	leg := flows.Leg{Name: "poll", Title: "Poll for tokens", Kind: flows.KindPoll, From: flows.LaneApp, To: flows.LaneIdP}
	r.legs = make([]legView, 200)
	for i := range r.legs {
		ex := flows.Exchange{ID: i + 1, Leg: i, Step: fmt.Sprintf("poll %d", i+1), Method: "POST", URL: "http://127.0.0.1:9/t/oauth2/v2.0/token",
			Status: 400, StatusText: "400 Bad Request", ResponseBody: `{"error":"authorization_pending"}`,
			ResponseHeaders: []flows.Header{{Name: "Content-Type", Value: "application/json"}}, Timing: flows.Timing{Total: time.Millisecond}}
		r.legs[i] = legView{leg: leg, state: legDone, exchanges: []flows.Exchange{ex}, took: time.Millisecond}
	}
	big := &r.legs[150].exchanges[0]
	big.Status, big.StatusText, big.ResponseBody = 200, "200 OK", body.String()
	r.current, r.selected, r.preparing, r.finished = 199, 150, false, true
	m.View() // build the caches once, as the first frame after the response would
	return m
}

// BenchmarkRunViewLargeTrace is the cost of one frame of the run screen with 200 legs and a 1 MiB body.
func BenchmarkRunViewLargeTrace(b *testing.B) {
	m := largeRun(b)
	b.ReportAllocs()
	for b.Loop() {
		m.View()
	}
}

// BenchmarkRunViewLargeTraceScrolling scrolls the 1 MiB body one line per frame.
func BenchmarkRunViewLargeTraceScrolling(b *testing.B) {
	m := largeRun(b)
	m.run.focus = focusDetail
	down := keyMsg("down")
	b.ReportAllocs()
	for b.Loop() {
		m.Update(down)
		m.View()
	}
}

// BenchmarkUpdateKey is the cost of handling one key press (moving between legs) on that screen.
func BenchmarkUpdateKey(b *testing.B) {
	m := largeRun(b)
	up, down := keyMsg("up"), keyMsg("down")
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i%2 == 0 {
			m.Update(up)
		} else {
			m.Update(down)
		}
		i++
	}
}

// BenchmarkFirstView is the picker's first view at 100x30 from a new model, as aadx --demo paints it
// before its emulator is up.
func BenchmarkFirstView(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		m := New(Options{StartDemo: func() (*Demo, error) { return nil, nil }, DemoOnStart: true})
		m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
		m.View()
	}
}
