package flows

import (
	"slices"
	"strings"
	"sync"
)

// A flow's sequence diagram, hop by hop, as drawn on a whiteboard: every request and its response
// between the participants (lanes), including the hops aadx does not perform itself (the user clicks,
// the middle tier calls the downstream API), so the diagram alone tells the story. Each hop aadx
// performs names its leg, which ties the drawing to the numbered legs of a run.

// The lanes some flows add to User, App and Entra ID.
const (
	LaneBrowser    Lane = "Browser"
	LaneDevice     Lane = "Another device" // where the user enters a device code
	LaneClient     Lane = "Client"         // on-behalf-of: the app the user signed in to
	LaneMiddleTier Lane = "Middle-tier API"
	LaneDownstream Lane = "Downstream API"
)

// ShortName is a lane's name abbreviated for narrow diagrams.
func (l Lane) ShortName() string {
	switch l {
	case LaneDevice:
		return "Other device"
	case LaneMiddleTier:
		return "Middle tier"
	case LaneDownstream:
		return "Downstream"
	}
	return string(l)
}

// Hop is one arrow of a sequence diagram.
type Hop struct {
	From, To Lane
	Label    string // what travels, e.g. "POST /token: code + secret"
	Short    string // Label abbreviated, for when it does not fit between the lanes ("" = Label)
	Response bool   // an answer to an earlier request (drawn dashed, pointing back)
	Leg      string // the leg aadx performs this hop in; "" for a hop outside aadx
	// Optional hops are drawn only when a run sends their leg (discovery, JWKS, calling the API); the
	// others are part of the story either way, numbered when the run has their leg.
	Optional bool
}

// ShortLabel is the hop's abbreviated label.
func (h Hop) ShortLabel() string {
	if h.Short != "" {
		return h.Short
	}
	return h.Label
}

// Sequence is a flow's diagram: its lanes left to right, the lane aadx plays, and the hops in order.
type Sequence struct {
	Lanes []Lane
	Self  Lane // the participant aadx plays; the optional legs (discovery, JWKS) start from it
	Hops  []Hop
}

// req is a request hop; resp is the answer to one.
func req(from, to Lane, label, short, leg string) Hop {
	return Hop{From: from, To: to, Label: label, Short: short, Leg: leg}
}

func resp(from, to Lane, label, short, leg string) Hop {
	return Hop{From: from, To: to, Label: label, Short: short, Leg: leg, Response: true}
}

// authCodeHops are the hops of a browser sign-in with a code redeemed by the app; redeem is what the
// token request carries (the secret, or the PKCE verifier).
func authCodeHops(challenge, redeem, redeemShort string) []Hop {
	return []Hop{
		req(LaneUser, LaneApp, "click Sign in", "", ""),
		resp(LaneApp, LaneBrowser, "302 to /authorize"+challenge, "302 /authorize", LegAuthorize),
		req(LaneBrowser, LaneIdP, "GET /authorize"+challenge, "GET /authorize", LegAuthorize),
		resp(LaneIdP, LaneBrowser, "sign-in page", "", LegAuthorize),
		req(LaneUser, LaneBrowser, "credentials", "", LegAuthorize),
		req(LaneBrowser, LaneIdP, "POST credentials", "credentials", LegAuthorize),
		resp(LaneIdP, LaneBrowser, "consent page", "consent?", LegAuthorize),
		req(LaneBrowser, LaneIdP, "consent granted", "consent", LegAuthorize),
		resp(LaneIdP, LaneBrowser, "302 to redirect URI + code", "302 + code", LegAuthorize),
		req(LaneBrowser, LaneApp, "redirect: code + state", "code + state", LegAuthorize),
		req(LaneApp, LaneIdP, "POST /token: "+redeem, redeemShort, LegRedeem),
		resp(LaneIdP, LaneApp, "ID, access + refresh tokens", "tokens", LegRedeem),
		resp(LaneApp, LaneUser, "signed in", "", ""),
	}
}

// sequences are built on first use (see catalog).
var sequences = sync.OnceValue(func() map[FlowID]Sequence { return sequenceMap() })

func sequenceMap() map[FlowID]Sequence {
	return map[FlowID]Sequence{
		FlowAuthCode: {Lanes: []Lane{LaneUser, LaneBrowser, LaneApp, LaneIdP}, Self: LaneApp,
			Hops: authCodeHops("", "code + secret", "code + secret")},
		FlowPKCE: {Lanes: []Lane{LaneUser, LaneBrowser, LaneApp, LaneIdP}, Self: LaneApp,
			Hops: authCodeHops(" + code_challenge", "code + code_verifier", "code + verifier")},
		FlowClientCredentials: {Lanes: []Lane{LaneUser, LaneApp, LaneIdP, LaneAPI}, Self: LaneApp, Hops: []Hop{
			req(LaneApp, LaneIdP, "POST /token: secret + {resource}/.default", "secret + .default", LegToken),
			resp(LaneIdP, LaneApp, "app-only access token", "app token", LegToken),
			req(LaneApp, LaneAPI, "call with Bearer token", "Bearer token", LegCallAPI),
			resp(LaneAPI, LaneApp, "data (no user involved)", "data", LegCallAPI),
		}},
		FlowDeviceCode: {Lanes: []Lane{LaneUser, LaneDevice, LaneApp, LaneIdP}, Self: LaneApp, Hops: []Hop{
			req(LaneUser, LaneApp, "start sign-in", "sign in", ""),
			req(LaneApp, LaneIdP, "POST /devicecode", "/devicecode", LegDeviceCode),
			resp(LaneIdP, LaneApp, "user code + URL + device_code", "user code", LegDeviceCode),
			resp(LaneApp, LaneUser, "show code and URL", "code + URL", ""),
			req(LaneApp, LaneIdP, "POST /token: device_code (poll)", "poll /token", LegPoll),
			resp(LaneIdP, LaneApp, "authorization_pending", "pending", LegPoll),
			req(LaneUser, LaneDevice, "open URL, type code", "type code", ""),
			req(LaneDevice, LaneIdP, "code, sign in, consent", "sign in", ""),
			resp(LaneIdP, LaneDevice, "you may close this page", "done", ""),
			req(LaneApp, LaneIdP, "POST /token: device_code (poll)", "poll /token", LegPoll),
			resp(LaneIdP, LaneApp, "ID, access + refresh tokens", "tokens", LegPoll),
			resp(LaneApp, LaneUser, "signed in", "", ""),
		}},
		FlowOBO: {Lanes: []Lane{LaneUser, LaneClient, LaneMiddleTier, LaneIdP, LaneDownstream}, Self: LaneMiddleTier, Hops: []Hop{
			req(LaneUser, LaneClient, "uses the app", "uses", ""),
			req(LaneClient, LaneIdP, "sign in, token for middle tier", "sign in", ""),
			resp(LaneIdP, LaneClient, "token A (aud = middle tier)", "token A", ""),
			req(LaneClient, LaneMiddleTier, "call with Bearer A", "Bearer A", ""),
			req(LaneMiddleTier, LaneIdP, "POST /token: A + secret, on_behalf_of", "A + secret", LegOBO),
			resp(LaneIdP, LaneMiddleTier, "token B (aud = downstream)", "token B", LegOBO),
			req(LaneMiddleTier, LaneDownstream, "call with Bearer B", "Bearer B", ""),
			resp(LaneDownstream, LaneMiddleTier, "data for the same user", "data", ""),
			resp(LaneMiddleTier, LaneClient, "response", "", ""),
		}},
		FlowRefresh: {Lanes: []Lane{LaneUser, LaneApp, LaneIdP}, Self: LaneApp, Hops: []Hop{
			req(LaneUser, LaneApp, "uses the app; access token expired", "token expired", ""),
			req(LaneApp, LaneIdP, "POST /token: refresh_token", "refresh_token", LegRefresh),
			resp(LaneIdP, LaneApp, "new access + refresh tokens", "new tokens", LegRefresh),
			resp(LaneApp, LaneUser, "no new sign-in", "no sign-in", ""),
		}},
		FlowManagedIdentity:  managedIdentitySequence,
		FlowWorkloadIdentity: workloadIdentitySequence,
	}
}

// optionalHops are the hops of the optional legs that come first, sent by self before a flow's own.
func optionalHops(self Lane) []Hop {
	hops := []Hop{
		req(self, LaneIdP, "GET openid-configuration", "discovery", LegDiscovery),
		resp(LaneIdP, self, "endpoints", "", LegDiscovery),
		req(self, LaneIdP, "GET signing keys (JWKS)", "JWKS", LegJWKS),
		resp(LaneIdP, self, "key set", "keys", LegJWKS),
	}
	for i := range hops {
		hops[i].Optional = true
	}
	return hops
}

// callAPIHops are the hops of the optional last leg, calling the API with the access token.
func callAPIHops(self Lane) []Hop {
	return []Hop{
		{From: self, To: LaneAPI, Label: "call with Bearer token", Short: "Bearer token", Leg: LegCallAPI, Optional: true},
		{From: LaneAPI, To: self, Label: "answer, or 401 + WWW-Authenticate", Short: "answer", Leg: LegCallAPI, Optional: true, Response: true},
	}
}

// SequenceOf returns a flow's sequence diagram with the hops of the optional legs (discovery and JWKS
// first, calling the API last), so a run that sends them draws them. A flow without a drawn sequence
// gets one request and one response per leg, between the leg's lanes.
func SequenceOf(f Flow) Sequence {
	seq, ok := sequences()[f.ID]
	if !ok {
		seq = Sequence{Lanes: Lanes(), Self: LaneApp}
		for _, l := range f.Legs {
			if !l.Optional {
				seq.Lanes = withLane(withLane(seq.Lanes, l.From), l.To)
				seq.Hops = append(seq.Hops, req(l.From, l.To, l.Title, "", l.Name), resp(l.To, l.From, "response", "", l.Name))
			}
		}
	}
	var hops []Hop
	if slices.ContainsFunc(f.Legs, func(l Leg) bool { return l.Name == LegDiscovery }) {
		hops = optionalHops(seq.Self) // the secretless flows have no discovery to draw
	}
	hops = append(hops, seq.Hops...)
	lanes := append([]Lane(nil), seq.Lanes...)
	if !slices.ContainsFunc(seq.Hops, func(h Hop) bool { return h.Leg == LegCallAPI }) {
		hops = append(hops, callAPIHops(seq.Self)...)
		lanes = withLane(lanes, LaneAPI)
	}
	return Sequence{Lanes: lanes, Self: seq.Self, Hops: hops}
}

// SequenceFor is f's diagram as a run with settings s sends it: a client that proves itself with a
// certificate sends a signed client_assertion where the diagram of a secret says "secret".
func SequenceFor(f Flow, s Settings) Sequence {
	seq := SequenceOf(f)
	if s.Certificate == nil {
		return seq
	}
	seq.Hops = slices.Clone(seq.Hops)
	for i, h := range seq.Hops {
		if h.Leg != "" && !h.Response { // only the requests aadx sends carry its credential
			seq.Hops[i].Label = strings.Replace(h.Label, "secret", "client_assertion", 1)
			seq.Hops[i].Short = strings.Replace(h.Short, "secret", "assertion", 1)
		}
	}
	return seq
}

// withLane appends l to lanes unless it is there.
func withLane(lanes []Lane, l Lane) []Lane {
	for _, x := range lanes {
		if x == l {
			return lanes
		}
	}
	return append(lanes, l)
}
