package flows

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aadx/aadx/emulator"
)

func deviceRun(t *testing.T, srv *emulator.Server, d emulator.Description, opts Options) *Run {
	t.Helper()
	s := demoSettings(d)
	s.ClientID = d.Apps.Public.ClientID
	opts.HTTPClient = srv.HTTPClient()
	if opts.Sleep == nil {
		// The emulator announces whole seconds; poll every 40 ms, above its configured interval.
		opts.Sleep = func(ctx context.Context, _ time.Duration) error { return sleepCtx(ctx, 40*time.Millisecond) }
	}
	run, err := NewRun(FlowDeviceCode, s, opts)
	if err != nil {
		t.Fatal(err)
	}
	return run
}

// startDevice runs the devicecode leg and returns the prepared poll request.
func startDevice(t *testing.T, run *Run) *Request {
	t.Helper()
	ctx := context.Background()
	req, err := run.Prepare(0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := run.Send(ctx, req); err != nil {
		t.Fatalf("devicecode: %v", err)
	}
	poll, err := run.Prepare(1)
	if err != nil {
		t.Fatal(err)
	}
	return poll
}

func TestDeviceCodePendingThenApproved(t *testing.T) {
	srv, d := testEmulator(t, emulator.Options{DeviceInterval: 30 * time.Millisecond})
	var events eventLog
	run := deviceRun(t, srv, d, Options{Events: events.add})
	poll := startDevice(t, run)
	if st := run.State(); st.Device == nil || st.Device.UserCode == "" || events.count(EventUserAction) != 1 {
		t.Fatalf("device state %+v, user-action events %d", st.Device, events.count(EventUserAction))
	}
	done := make(chan error, 1)
	go func() {
		time.Sleep(100 * time.Millisecond) // let a few polls come back pending
		done <- ApproveDeviceForTest(context.Background(), run, d.Users[0].Username, d.Users[0].Password, true)
	}()
	if _, err := run.Send(context.Background(), poll); err != nil {
		t.Fatalf("poll: %v", err)
	}
	if err := <-done; err != nil {
		t.Fatalf("device sign-in: %v", err)
	}
	if tok := run.State().Tokens; tok == nil || tok.AccessToken == "" {
		t.Fatal("no access token after approval")
	}
	pending := 0
	for _, ex := range run.Exchanges() {
		if ex.LegName == LegPoll && ex.Status == 400 {
			pending++
		}
	}
	if pending == 0 {
		t.Error("no authorization_pending poll was traced before approval")
	}
}

func TestDeviceCodeFinalAnswers(t *testing.T) {
	tests := []struct {
		name     string
		opts     emulator.Options
		act      func(t *testing.T, run *Run, d emulator.Description)
		now      func() time.Time
		wantCode string
	}{
		{name: "declined", opts: emulator.Options{DeviceInterval: 20 * time.Millisecond}, act: func(t *testing.T, run *Run, d emulator.Description) {
			if err := ApproveDeviceForTest(context.Background(), run, d.Users[0].Username, d.Users[0].Password, false); err != nil {
				t.Fatalf("decline: %v", err)
			}
		}, wantCode: "authorization_declined"},
		{name: "expired (local clock)", opts: emulator.Options{DeviceInterval: 20 * time.Millisecond},
			now: func() func() time.Time {
				start := time.Now()
				calls := 0
				return func() time.Time { calls++; return start.Add(time.Duration(calls) * 5 * time.Minute) }
			}(), wantCode: "expired_token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, d := testEmulator(t, tt.opts)
			run := deviceRun(t, srv, d, Options{Now: tt.now})
			poll := startDevice(t, run)
			if tt.act != nil {
				tt.act(t, run, d)
			}
			_, err := run.Send(context.Background(), poll)
			var oe *OAuthError
			if !errors.As(err, &oe) || oe.Code != tt.wantCode {
				t.Fatalf("err = %v, want %s", err, tt.wantCode)
			}
		})
	}
}

func TestDeviceCodeSlowDownAddsFiveSeconds(t *testing.T) {
	// Entra answers early polls authorization_pending; the emulator shows slow_down under its scenario.
	srv, d := testEmulator(t, emulator.Options{DeviceInterval: time.Second, Scenarios: []string{"device-slow-down"}})
	sleeper := &fastSleep{}
	run := deviceRun(t, srv, d, Options{Sleep: sleeper.sleep})
	poll := startDevice(t, run)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for len(sleeper.recorded()) < 3 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	_, err := run.Send(ctx, poll)
	if !errors.Is(err, context.Canceled) || !IsNetwork(err) {
		t.Fatalf("err = %v, want a cancelled network error", err)
	}
	w := sleeper.recorded()
	if w[0] != time.Second || w[1] != 6*time.Second || w[2] != 11*time.Second {
		t.Fatalf("waits = %v, want 1s, 6s, 11s (slow_down adds 5s each time)", w)
	}
}

func TestDeviceCodeCancelMidPoll(t *testing.T) {
	srv, d := testEmulator(t, emulator.Options{DeviceInterval: 10 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Cancel as soon as the first pending answer arrives, as Esc in the TUI would.
	run := deviceRun(t, srv, d, Options{Events: func(e Event) {
		if e.Kind == EventExchangeFinished && e.LegName == LegPoll && e.Exchange.Status == 400 {
			cancel()
		}
	}})
	poll := startDevice(t, run)
	_, err := run.Send(ctx, poll)
	if !errors.Is(err, context.Canceled) || !IsNetwork(err) {
		t.Fatalf("err = %v, want a cancelled network error", err)
	}
	polls := 0
	for _, ex := range run.Exchanges() {
		if ex.LegName == LegPoll {
			polls++
		}
	}
	if polls != 1 {
		t.Fatalf("%d polls were sent, want 1: polling must stop at cancellation", polls)
	}
	if run.Status(1) != StatusFailed {
		t.Fatalf("poll status = %v, want failed", run.Status(1))
	}
}
