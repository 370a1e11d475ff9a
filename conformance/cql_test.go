package conformance

import (
	"os"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
)

// Cases against a real CQL node run only when CQL_TEST_HOST (host:port) is set; CQL_TEST_USER and
// CQL_TEST_PASSWORD default to cassandra/cassandra. New CQL cases (types, time series, live) start from
// cqlSettings and use queryData / checkHealth / callResource / runStream.

func cqlEnv(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// cqlSettings returns data source settings for the test node, with extra jsonData keys merged in and
// the credentials from the environment unless secure overrides them. It skips the test without a node.
func cqlSettings(t *testing.T, extra map[string]any, secure map[string]string) dsSettings {
	t.Helper()
	host := os.Getenv("CQL_TEST_HOST")
	if host == "" {
		t.Skip("CQL_TEST_HOST not set (e.g. 127.0.0.1:19042); skipping real-node case")
	}
	jsonData := map[string]any{"contactPoints": host, "connectTimeoutSeconds": 10}
	for k, v := range extra {
		jsonData[k] = v
	}
	if secure == nil {
		secure = map[string]string{
			"username": cqlEnv("CQL_TEST_USER", "cassandra"),
			"password": cqlEnv("CQL_TEST_PASSWORD", "cassandra"),
		}
	}
	return newSettings(t, jsonData, secure)
}

// TestCQLCheckHealthOK: "Save & test" against a live node.
func TestCQLCheckHealthOK(t *testing.T) {
	res := checkHealth(t, cqlSettings(t, nil, nil))
	t.Logf("%v %q details %s", res.Status, res.Message, res.JsonDetails)
	if res.Status != pluginv2.CheckHealthResponse_OK {
		t.Errorf("status %v (%q), want OK", res.Status, res.Message)
	}
	if !strings.HasPrefix(res.Message, "Connected to") {
		t.Errorf("message %q, want it to start with %q", res.Message, "Connected to")
	}
}

// TestCQLCheckHealthWrongPassword: bad credentials are an ERROR that says it is about authentication.
func TestCQLCheckHealthWrongPassword(t *testing.T) {
	res := checkHealth(t, cqlSettings(t, nil, map[string]string{
		"username": cqlEnv("CQL_TEST_USER", "cassandra"),
		"password": "definitely-not-the-password",
	}))
	t.Logf("%v %q details %s", res.Status, res.Message, res.JsonDetails)
	if res.Status != pluginv2.CheckHealthResponse_ERROR {
		t.Errorf("status %v, want ERROR", res.Status)
	}
	if !strings.Contains(strings.ToLower(res.Message), "authentication") {
		t.Errorf("message %q does not mention authentication", res.Message)
	}
}

// TestCQLQueryReleaseVersion: a plain table query returns one string column with the node's version.
func TestCQLQueryReleaseVersion(t *testing.T) {
	s := cqlSettings(t, nil, nil)
	res, raw := queryData(t, s, cqlQuery("A", map[string]any{"cql": "SELECT release_version FROM system.local", "format": "table"}))
	dr, ok := res.Responses["A"]
	if !ok {
		t.Fatalf("no response for A")
	}
	if dr.Status != backend.StatusOK || dr.Error != nil {
		t.Fatalf("status %d error %v (source %q)", dr.Status, dr.Error, raw.Responses["A"].ErrorSource)
	}
	if len(dr.Frames) != 1 {
		t.Fatalf("%d frames, want 1", len(dr.Frames))
	}
	f := dr.Frames[0]
	if f.RefID != "A" {
		t.Errorf("frame refId %q, want A", f.RefID)
	}
	if len(f.Fields) != 1 {
		t.Fatalf("%d fields, want 1 (release_version)", len(f.Fields))
	}
	fl := f.Fields[0]
	if fl.Name != "release_version" {
		t.Errorf("field name %q, want release_version", fl.Name)
	}
	if fl.Type() != data.FieldTypeString && fl.Type() != data.FieldTypeNullableString {
		t.Fatalf("field type %s, want string or *string", fl.Type().ItemTypeString())
	}
	if fl.Len() != 1 {
		t.Fatalf("%d rows, want 1", fl.Len())
	}
	v, ok := fl.ConcreteAt(0)
	if !ok || v.(string) == "" {
		t.Errorf("release_version is empty or null: %v", fl.At(0))
	}
	t.Logf("release_version = %v; meta %+v", v, f.Meta)
}

// TestCQLResourceKeyspaces: the editor's keyspace list.
func TestCQLResourceKeyspaces(t *testing.T) {
	res := callResource(t, cqlSettings(t, nil, nil), "keyspaces")
	checkCQLResource(t, res)
	if !containsJSONString(res.JSON(t), "system") {
		t.Errorf("keyspaces do not include system: %s", res.Body)
	}
}

// TestCQLResourceTables: the editor's table list for a keyspace.
func TestCQLResourceTables(t *testing.T) {
	res := callResource(t, cqlSettings(t, nil, nil), "tables?keyspace=system")
	checkCQLResource(t, res)
	if !containsJSONString(res.JSON(t), "local") {
		t.Errorf("tables of system do not include local: %s", res.Body)
	}
}

// TestCQLResourceColumns: the editor's column list with CQL types.
func TestCQLResourceColumns(t *testing.T) {
	res := callResource(t, cqlSettings(t, nil, nil), "columns?keyspace=system&table=local")
	checkCQLResource(t, res)
	col := findJSONObject(res.JSON(t), func(o map[string]any) bool {
		for _, v := range o {
			if v == "release_version" {
				return true
			}
		}
		return false
	})
	if col == nil {
		t.Fatalf("no column object naming release_version: %s", res.Body)
	}
	hasText := false
	for _, v := range col {
		hasText = hasText || v == "text"
	}
	if !hasText {
		t.Errorf("release_version column %v does not have type text", col)
	}
}

func checkCQLResource(t *testing.T, res resourceResponse) {
	t.Helper()
	if res.Code != 200 {
		t.Fatalf("code %d, want 200; body %s", res.Code, res.Body)
	}
	t.Logf("body: %.300s", res.Body)
}
