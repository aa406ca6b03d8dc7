// Package interop runs Microsoft's identity clients for other languages against the emulator: MSAL Python
// (Debian's python3-msal), MSAL Node and Azure Identity for JavaScript, and MSAL Browser in Debian's headless
// Chromium. .ci/run installs them (npm ci here, apt for the rest); each script prints one JSON line per case
// and the tests here check every expected case passed.
package interop
