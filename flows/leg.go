package flows

// LegKind says how a leg is performed.
type LegKind int

// The kinds of leg.
const (
	KindHTTP    LegKind = iota // one HTTP request from the app to the provider
	KindBrowser                // the user's browser visits the authorize URL and is redirected back with a code
	KindPoll                   // the app repeats a request until the user finishes elsewhere (device code)
)

func (k LegKind) String() string {
	switch k {
	case KindBrowser:
		return "browser"
	case KindPoll:
		return "poll"
	default:
		return "http"
	}
}

// Lane is a participant in a flow's sequence diagram.
type Lane string

// The lanes of every sequence diagram.
const (
	LaneUser Lane = "User"
	LaneApp  Lane = "App"
	LaneIdP  Lane = "Entra ID"
)

// Lanes lists the sequence diagram's lanes in display order.
func Lanes() []Lane { return []Lane{LaneUser, LaneApp, LaneIdP} }

// Leg is one step of a flow: its name (stable, used in traces and --json), how it is performed, the arrow it
// draws in the sequence diagram and a short explanation.
type Leg struct {
	Name        string
	Title       string
	Kind        LegKind
	From, To    Lane
	Explanation string
	// Optional legs (discovery, JWKS) run only when Settings.Discover or Settings.Issuer asks for them.
	Optional bool
}

// Leg names used by the catalogue.
const (
	LegDiscovery  = "discovery"
	LegJWKS       = "jwks"
	LegAuthorize  = "authorize"
	LegRedeem     = "redeem"
	LegToken      = "token"
	LegDeviceCode = "devicecode"
	LegPoll       = "poll"
	LegOBO        = "obo"
	LegRefresh    = "refresh"
	// Secretless flows.
	LegMIToken        = "mi-token"
	LegExternalToken  = "external-token"
	LegFederatedToken = "federated-token"
)
