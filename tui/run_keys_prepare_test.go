package tui

import (
	"testing"

	"github.com/aadx/aadx/flows"
)

// TestEnterWhileTheLegIsPreparedSendsIt: an enter pressed before the leg is ready is not lost: the leg is sent
// as soon as it is prepared, once; an enter pressed after that is the usual one.
func TestEnterWhileTheLegIsPreparedSendsIt(t *testing.T) {
	m := syntheticRun(t, flows.FlowClientCredentials, 100, 30)
	r := m.run
	if !r.preparing {
		t.Fatal("a new run should be preparing its first leg")
	}
	update(m, keyMsg("enter")) // too early
	if r.legs[0].state != legPending || r.busy {
		t.Fatalf("nothing can be sent before the leg is prepared: state %s, busy %v", r.legs[0].state, r.busy)
	}
	req, err := r.run.Prepare(0)
	if err != nil {
		t.Fatal(err)
	}
	update(m, legPreparedMsg{RunID: r.id, Leg: 0, Req: req})
	if r.legs[0].state != legSending || !r.busy {
		t.Fatalf("the early enter should send the leg once prepared: state %s, busy %v", r.legs[0].state, r.busy)
	}
	if r.sendWhenPrepared {
		t.Error("the early enter should be spent")
	}
	// Prepared again (a re-send), with no enter pending: it waits for one.
	r.busy = false
	update(m, legPreparedMsg{RunID: r.id, Leg: 0, Req: req})
	if r.legs[0].state != legPrepared || r.busy {
		t.Fatalf("with no enter pending the leg waits: state %s, busy %v", r.legs[0].state, r.busy)
	}
}
