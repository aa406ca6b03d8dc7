// Package flows is the protocol engine of aadx: the OAuth 2.0 / OpenID Connect flows of the Microsoft Entra ID
// recommendation matrix, each an ordered list of legs that can be prepared, inspected, edited, sent and traced.
//
// A caller builds a [Run] from a flow ID and [Settings], then for each leg calls [Run.Prepare] (the exact HTTP
// request or browser URL, every parameter explained), may edit the returned [Request], and calls [Run.Send],
// which performs the leg through a tracing transport and applies the response to the run's [State]. The TUI
// drives legs one by one; the headless runner calls [Run.RunAll].
//
// Every HTTP exchange becomes an [Exchange] record, streamed as an [Event] to the optional sink in [Options].
// Records hold raw values; everything that leaves the process (screens, exports, curl) goes through a
// [Redactor] first.
//
// The package never prints and never imports the TUI.
package flows
