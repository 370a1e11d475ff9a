package conformance

import (
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	dto "github.com/prometheus/client_model/go"
	"google.golang.org/grpc/health/grpc_health_v1"
)

// TestCheckHealthUnreachable: "Save & test" against a node nobody listens on must answer ERROR (not a
// gRPC error, which Grafana turns into HTTP 500) with a message that names the host.
func TestCheckHealthUnreachable(t *testing.T) {
	s := newSettings(t, map[string]any{"contactPoints": "127.0.0.1:1", "connectTimeoutSeconds": 2}, nil)
	t0 := time.Now()
	res := checkHealth(t, s)
	t.Logf("CheckHealth after %v: %v %q details %s", time.Since(t0).Round(time.Millisecond), res.Status, res.Message, res.JsonDetails)
	if res.Status != pluginv2.CheckHealthResponse_ERROR {
		t.Errorf("status %v, want ERROR", res.Status)
	}
	if res.Message == "" {
		t.Errorf("empty message; the user needs to know what failed")
	} else if !strings.Contains(res.Message, "127.0.0.1") {
		t.Errorf("message %q does not name the unreachable host 127.0.0.1", res.Message)
	}
}

// TestCheckHealthInvalidSettings: settings that cannot be parsed give ERROR naming the culprit, and the
// plugin keeps running.
func TestCheckHealthInvalidSettings(t *testing.T) {
	cases := []struct {
		name     string
		jsonData string
		mention  string // the message must contain this (case-insensitive)
	}{
		{"port not a number", `{"contactPoints":"127.0.0.1","port":"abc"}`, "port"},
		{"timeout not a number", `{"contactPoints":"127.0.0.1","connectTimeoutSeconds":"soon"}`, "connectTimeoutSeconds"},
		{"jsonData not JSON", `this is not json`, "json"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := checkHealth(t, newSettings(t, c.jsonData, nil))
			t.Logf("%v %q details %s", res.Status, res.Message, res.JsonDetails)
			if res.Status != pluginv2.CheckHealthResponse_ERROR {
				t.Errorf("status %v, want ERROR", res.Status)
			}
			if !strings.Contains(strings.ToLower(res.Message), strings.ToLower(c.mention)) {
				t.Errorf("message %q does not name %q", res.Message, c.mention)
			}
		})
	}
	h := sharedPlugin(t)
	hc, err := grpc_health_v1.NewHealthClient(h.conn).Check(ctxTimeout(t, 5*time.Second), &grpc_health_v1.HealthCheckRequest{Service: "plugin"})
	if err != nil || hc.Status != grpc_health_v1.HealthCheckResponse_SERVING {
		t.Errorf("health after invalid settings: %v %v", hc, err)
	}
	res, _ := queryData(t, newSettings(t, nil, nil), selftestQuery("A"))
	if res.Responses["A"].Status != backend.StatusOK {
		t.Errorf("selftest after invalid settings: status %d", res.Responses["A"].Status)
	}
}

const (
	requestsFamily = "opencql_plugin_requests_total"
	durationFamily = "opencql_plugin_request_duration_seconds"
)

// TestCollectMetrics: the scrape Grafana serves at /metrics/plugins/<id> is Prometheus text with JVM,
// process and the plugin's request metrics, and the request metrics count QueryData calls.
func TestCollectMetrics(t *testing.T) {
	settings := newSettings(t, nil, nil)
	queryData(t, settings, selftestQuery("A")) // make sure the series exist
	before := collectMetrics(t)

	var jvm, process []string
	for name := range before {
		if strings.HasPrefix(name, "jvm_") {
			jvm = append(jvm, name)
		}
		if strings.HasPrefix(name, "process_") {
			process = append(process, name)
		}
	}
	if len(jvm) == 0 {
		t.Errorf("no jvm_* metric family; families: %v", keys(before))
	}
	if len(process) == 0 {
		t.Errorf("no process_* metric family; families: %v", keys(before))
	}
	t.Logf("%d families, %d jvm_*, %d process_*", len(before), len(jvm), len(process))

	checkFamily(t, before, requestsFamily, dto.MetricType_COUNTER, "endpoint", "status")
	checkFamily(t, before, durationFamily, dto.MetricType_HISTOGRAM, "endpoint")

	const calls = 3
	for i := 0; i < calls; i++ {
		queryData(t, settings, selftestQuery("A"))
	}
	after := collectMetrics(t)
	isQuery := func(l map[string]string) bool { return strings.Contains(strings.ToLower(l["endpoint"]), "query") }
	if d := after.sum(requestsFamily, isQuery) - before.sum(requestsFamily, isQuery); d < calls {
		t.Errorf("%s for query endpoints grew by %v over %d QueryData calls, want >= %d", requestsFamily, d, calls, calls)
	}
	if d := after.sum(durationFamily, isQuery) - before.sum(durationFamily, isQuery); d < calls {
		t.Errorf("%s sample count for query endpoints grew by %v over %d QueryData calls, want >= %d", durationFamily, d, calls, calls)
	}
}

// checkFamily requires a family of the given type whose every series carries the label names.
func checkFamily(t *testing.T, fams metricFamilies, name string, typ dto.MetricType, labels ...string) {
	t.Helper()
	fam, ok := fams[name]
	if !ok {
		t.Errorf("no %s family; families: %v", name, keys(fams))
		return
	}
	if fam.GetType() != typ {
		t.Errorf("%s is a %v, want %v", name, fam.GetType(), typ)
	}
	if len(fam.Metric) == 0 {
		t.Errorf("%s has no series", name)
	}
	for _, m := range fam.Metric {
		have := map[string]bool{}
		for _, lp := range m.Label {
			have[lp.GetName()] = true
		}
		for _, l := range labels {
			if !have[l] {
				t.Errorf("%s series %v lacks label %q", name, m.Label, l)
			}
		}
	}
}
