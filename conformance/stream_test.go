package conformance

import (
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
)

// TestSubscribeStreamUnknownPath: Grafana Live asks the plugin before it lets a browser subscribe to
// ds/<uid>/<path>; a path the plugin never issued must be refused, not run.
func TestSubscribeStreamUnknownPath(t *testing.T) {
	h := sharedPlugin(t)
	s := newSettings(t, nil, nil)
	for _, path := range []string{"never-issued", "tail/00000000-0000-0000-0000-000000000000"} {
		res, err := h.stream.SubscribeStream(ctxTimeout(t, 30*time.Second), &pluginv2.SubscribeStreamRequest{
			PluginContext: s.pluginContext(),
			Path:          path,
			Headers:       map[string]string{},
		})
		if err != nil {
			t.Errorf("SubscribeStream %q failed with a gRPC error (%v); want a NOT_FOUND or PERMISSION_DENIED status", path, err)
			continue
		}
		t.Logf("SubscribeStream %q: %v %s", path, res.Status, res.Data)
		if res.Status != pluginv2.SubscribeStreamResponse_NOT_FOUND && res.Status != pluginv2.SubscribeStreamResponse_PERMISSION_DENIED {
			t.Errorf("SubscribeStream %q: status %v, want NOT_FOUND or PERMISSION_DENIED", path, res.Status)
		}
	}
}

// TestPublishStreamDenied: browsers may not publish into the plugin's channels.
func TestPublishStreamDenied(t *testing.T) {
	h := sharedPlugin(t)
	s := newSettings(t, nil, nil)
	res, err := h.stream.PublishStream(ctxTimeout(t, 30*time.Second), &pluginv2.PublishStreamRequest{
		PluginContext: s.pluginContext(),
		Path:          "never-issued",
		Data:          []byte(`{"x":1}`),
		Headers:       map[string]string{},
	})
	if err != nil {
		t.Fatalf("PublishStream failed with a gRPC error (%v); want a PERMISSION_DENIED status", err)
	}
	if res.Status != pluginv2.PublishStreamResponse_PERMISSION_DENIED {
		t.Errorf("PublishStream: status %v, want PERMISSION_DENIED", res.Status)
	}
}
