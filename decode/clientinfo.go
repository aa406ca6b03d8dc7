package decode

import (
	"encoding/json"
	"strings"
)

// ClientInfo is Entra's client_info token-response field: base64url JSON naming the signed-in user's
// object ID (uid) and home tenant (utid). MSAL keys its account cache on uid.utid.
type ClientInfo struct {
	UID  string `json:"uid"`
	UTID string `json:"utid"`
}

// HomeAccountID returns the MSAL home account identifier, uid.utid.
func (c ClientInfo) HomeAccountID() string { return c.UID + "." + c.UTID }

// PersonalAccount reports whether the home tenant is the consumer (Microsoft account) tenant.
func (c ClientInfo) PersonalAccount() bool { return c.UTID == consumerTenant }

// DecodeClientInfo decodes a client_info value, with or without base64 padding.
func DecodeClientInfo(s string) (ClientInfo, error) {
	var ci ClientInfo
	_, data, err := appendSegment(nil, SegmentClientInfo, strings.TrimSpace(s))
	if err != nil {
		return ci, err
	}
	if err := json.Unmarshal(data, &ci); err != nil {
		return ci, malformed(SegmentClientInfo, err, "is not a JSON object: %v", err)
	}
	if ci.UID == "" || ci.UTID == "" {
		return ci, malformed(SegmentClientInfo, nil, "lacks uid or utid")
	}
	return ci, nil
}
