package conformance

import (
	"encoding/json"
	"testing"
)

// TestCallResourceUnknownPath: an unknown resource is an HTTP 404 with a JSON body. Grafana takes the
// status from the first message, and a code of 0 makes its response writer panic (HTTP 500).
func TestCallResourceUnknownPath(t *testing.T) {
	for _, method := range []string{"GET", "POST"} {
		t.Run(method, func(t *testing.T) {
			res := callResourceMethod(t, newSettings(t, nil, nil), method, "nope", nil)
			t.Logf("%d in %d messages, headers %v, body %s", res.Code, res.Messages, res.Headers, res.Body)
			if res.Code == 0 {
				t.Fatalf("first CallResource message has code 0; it must carry the HTTP status")
			}
			if res.Code != 404 {
				t.Errorf("code %d, want 404", res.Code)
			}
			if len(res.Body) == 0 {
				t.Errorf("empty body, want a JSON error body")
			} else if !json.Valid(res.Body) {
				t.Errorf("body is not JSON: %q", res.Body)
			}
		})
	}
}
