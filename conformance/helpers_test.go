package conformance

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// dsSettings is one data source as Grafana stores it (what arrives in DataSourceInstanceSettings).
type dsSettings struct {
	UID      string
	Name     string
	URL      string
	User     string
	Database string
	JSONData []byte            // raw, so tests can send invalid JSON
	Secure   map[string]string // decryptedSecureJsonData
	Updated  time.Time         // lastUpdatedMS: the plugin's instance-cache key
}

var uidUnsafe = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

// newSettings makes data source settings with a uid unique to the test (so instances never leak between
// tests) and the given jsonData (any value is marshalled; a string or []byte is sent verbatim).
func newSettings(t *testing.T, jsonData any, secure map[string]string) dsSettings {
	t.Helper()
	var raw []byte
	switch v := jsonData.(type) {
	case nil:
		raw = []byte("{}")
	case string:
		raw = []byte(v)
	case []byte:
		raw = v
	default:
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("marshal jsonData: %v", err)
		}
		raw = b
	}
	uid := uidUnsafe.ReplaceAllString(t.Name(), "-")
	if len(uid) > 40 {
		uid = uid[len(uid)-40:]
	}
	return dsSettings{
		UID:      strings.ToLower(uid),
		Name:     "CQL " + t.Name(),
		JSONData: raw,
		Secure:   secure,
		Updated:  time.Now(),
	}
}

// pluginContext is what Grafana sends with every data source request.
func (s dsSettings) pluginContext() *pluginv2.PluginContext {
	return &pluginv2.PluginContext{
		OrgId:         1,
		PluginId:      pluginID,
		PluginVersion: "0.1.0",
		UserAgent:     "Grafana/" + grafanaVersion + " (linux; amd64)",
		User:          &pluginv2.User{Login: "admin", Name: "admin", Email: "admin@localhost", Role: "Admin"},
		GrafanaConfig: map[string]string{"GF_SQL_ROW_LIMIT": "1000000"},
		DataSourceInstanceSettings: &pluginv2.DataSourceInstanceSettings{
			Id:                      1,
			Uid:                     s.UID,
			Name:                    s.Name,
			Url:                     s.URL,
			User:                    s.User,
			Database:                s.Database,
			JsonData:                s.JSONData,
			DecryptedSecureJsonData: s.Secure,
			LastUpdatedMS:           s.Updated.UnixMilli(),
		},
	}
}

// query is one DataQuery; JSON is the exact DataQuery.json bytes (the frontend's query object).
type query struct {
	RefID     string
	QueryType string
	JSON      string
	From, To  time.Time
	// MaxDataPoints and IntervalMS as Grafana computes them for a panel; zero means 1000 and 1000 ms.
	MaxDataPoints int64
	IntervalMS    int64
}

// selftestQuery is the protocol self-test query of the README's query model.
func selftestQuery(refID string) query {
	return query{RefID: refID, QueryType: "selftest", JSON: fmt.Sprintf(`{"refId":%q,"queryType":"selftest"}`, refID)}
}

// cqlQuery is a query with the given model fields (refId is added), e.g. {"cql": "...", "format": "table"}.
func cqlQuery(refID string, model map[string]any) query {
	m := map[string]any{"refId": refID}
	for k, v := range model {
		m[k] = v
	}
	b, _ := json.Marshal(m)
	return query{RefID: refID, JSON: string(b)}
}

func (q query) proto() *pluginv2.DataQuery {
	to := q.To
	if to.IsZero() {
		to = time.Now()
	}
	from := q.From
	if from.IsZero() {
		from = to.Add(-time.Hour)
	}
	maxDataPoints, intervalMS := q.MaxDataPoints, q.IntervalMS
	if maxDataPoints == 0 {
		maxDataPoints = 1000
	}
	if intervalMS == 0 {
		intervalMS = 1000
	}
	return &pluginv2.DataQuery{
		RefId:         q.RefID,
		QueryType:     q.QueryType,
		Json:          []byte(q.JSON),
		MaxDataPoints: maxDataPoints,
		IntervalMS:    intervalMS,
		TimeRange:     &pluginv2.TimeRange{FromEpochMS: from.UnixMilli(), ToEpochMS: to.UnixMilli()},
	}
}

func queryDataRequest(s dsSettings, queries ...query) *pluginv2.QueryDataRequest {
	req := &pluginv2.QueryDataRequest{
		PluginContext: s.pluginContext(),
		Headers:       map[string]string{},
	}
	for _, q := range queries {
		req.Queries = append(req.Queries, q.proto())
	}
	return req
}

// queryData sends one QueryData request and decodes it the way Grafana does. A gRPC error or an
// undecodable response fails the test; the raw proto is returned too for checks on the wire form.
func queryData(t *testing.T, s dsSettings, queries ...query) (*backend.QueryDataResponse, *pluginv2.QueryDataResponse) {
	t.Helper()
	return sharedPlugin(t).queryData(t, s, queries...)
}

func (h *pluginHost) queryData(t *testing.T, s dsSettings, queries ...query) (*backend.QueryDataResponse, *pluginv2.QueryDataResponse) {
	t.Helper()
	raw, err := h.data.QueryData(ctxTimeout(t, 60*time.Second), queryDataRequest(s, queries...))
	if err != nil {
		t.Fatalf("QueryData RPC failed: %v", err)
	}
	res, err := backend.FromProto().QueryDataResponse(raw)
	if err != nil {
		t.Fatalf("Grafana cannot decode the QueryData response: %v", err)
	}
	return res, raw
}

// checkHealth calls CheckHealth; a gRPC error fails the test (Grafana would answer HTTP 500).
func checkHealth(t *testing.T, s dsSettings) *pluginv2.CheckHealthResponse {
	t.Helper()
	return sharedPlugin(t).checkHealth(t, s)
}

func (h *pluginHost) checkHealth(t *testing.T, s dsSettings) *pluginv2.CheckHealthResponse {
	t.Helper()
	res, err := h.diagnostics.CheckHealth(ctxTimeout(t, 60*time.Second), &pluginv2.CheckHealthRequest{
		PluginContext: s.pluginContext(),
		Headers:       map[string]string{},
	})
	if err != nil {
		t.Fatalf("CheckHealth RPC failed: %v", err)
	}
	if len(res.JsonDetails) > 0 {
		var obj map[string]any
		if err := json.Unmarshal(res.JsonDetails, &obj); err != nil {
			t.Errorf("CheckHealth jsonDetails must be a JSON object (Grafana answers HTTP 500 otherwise); got %q: %v", res.JsonDetails, err)
		}
	}
	return res
}

// resourceResponse is a CallResource answer as Grafana assembles it: status and headers from the first
// message, the body concatenated over all messages.
type resourceResponse struct {
	Code     int
	Headers  map[string][]string
	Body     []byte
	Messages int
}

// JSON decodes the body; it fails the test if the body is not JSON.
func (r resourceResponse) JSON(t *testing.T) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(r.Body, &v); err != nil {
		t.Fatalf("resource body is not JSON: %v; body: %q", err, r.Body)
	}
	return v
}

// callResource sends a GET for pathAndQuery (no leading slash, e.g. "tables?keyspace=system").
func callResource(t *testing.T, s dsSettings, pathAndQuery string) resourceResponse {
	t.Helper()
	return callResourceMethod(t, s, "GET", pathAndQuery, nil)
}

func callResourceMethod(t *testing.T, s dsSettings, method, pathAndQuery string, body []byte) resourceResponse {
	t.Helper()
	h := sharedPlugin(t)
	u, err := url.Parse(pathAndQuery)
	if err != nil {
		t.Fatalf("bad resource path %q: %v", pathAndQuery, err)
	}
	stream, err := h.resource.CallResource(ctxTimeout(t, 60*time.Second), &pluginv2.CallResourceRequest{
		PluginContext: s.pluginContext(),
		Path:          u.Path,
		Method:        method,
		Url:           pathAndQuery,
		Headers: map[string]*pluginv2.StringList{
			"Accept": {Values: []string{"application/json"}},
		},
		Body: body,
	})
	if err != nil {
		t.Fatalf("CallResource %s %s failed: %v", method, pathAndQuery, err)
	}
	var out resourceResponse
	for {
		msg, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("CallResource %s %s: stream failed after %d messages: %v", method, pathAndQuery, out.Messages, err)
		}
		if out.Messages == 0 {
			out.Code = int(msg.Code)
			out.Headers = map[string][]string{}
			for k, v := range msg.Headers {
				out.Headers[k] = v.GetValues()
			}
		}
		out.Body = append(out.Body, msg.Body...)
		out.Messages++
	}
	if out.Messages == 0 {
		t.Fatalf("CallResource %s %s: the plugin sent no message (Grafana needs at least one with the status)", method, pathAndQuery)
	}
	return out
}

// streamPacket is one RunStream packet: the raw JSON and, when it decodes, the frame it carries. Data-only
// packets are decoded against the schema of the last packet that had one, as Grafana Live's consumer does.
type streamPacket struct {
	Raw   []byte
	Frame *data.Frame
	Err   error
}

// runStream runs RunStream on path until it has max packets, the stream ends or timeout passes, then
// cancels it (as Grafana does when the last subscriber leaves). Every packet must be a JSON frame.
func runStream(t *testing.T, s dsSettings, path string, reqData []byte, max int, timeout time.Duration) []streamPacket {
	t.Helper()
	return runStreamEach(t, s, path, reqData, max, timeout, nil)
}

// runStreamEach is runStream calling each (when not nil) with the number of packets received so far after each
// packet, on the test's goroutine: a test can write its next row once the previous one has arrived.
func runStreamEach(t *testing.T, s dsSettings, path string, reqData []byte, max int, timeout time.Duration, each func(received int)) []streamPacket {
	t.Helper()
	h := sharedPlugin(t)
	ctx := ctxTimeout(t, timeout)
	stream, err := h.stream.RunStream(ctx, &pluginv2.RunStreamRequest{
		PluginContext: s.pluginContext(),
		Path:          path,
		Data:          reqData,
		Headers:       map[string]string{},
	})
	if err != nil {
		t.Fatalf("RunStream %q failed: %v", path, err)
	}
	var packets []streamPacket
	var schema *data.Frame
	for len(packets) < max {
		pkt, err := stream.Recv()
		if err != nil {
			if !errors.Is(err, io.EOF) && ctx.Err() == nil {
				t.Errorf("RunStream %q ended with an error after %d packets: %v", path, len(packets), err)
			}
			break
		}
		p := streamPacket{Raw: pkt.Data}
		var probe map[string]json.RawMessage
		if err := json.Unmarshal(pkt.Data, &probe); err != nil {
			p.Err = fmt.Errorf("packet is not a JSON object: %w", err)
		} else if _, hasSchema := probe["schema"]; hasSchema {
			f := &data.Frame{}
			if p.Err = json.Unmarshal(pkt.Data, f); p.Err == nil {
				p.Frame, schema = f, f
			}
		} else if schema == nil {
			p.Err = errors.New("data-only packet before any packet with a schema")
		} else {
			f := schema.EmptyCopy()
			if p.Err = json.Unmarshal(pkt.Data, f); p.Err == nil {
				p.Frame = f
			}
		}
		if p.Err != nil {
			t.Errorf("RunStream %q packet %d cannot be decoded as a data frame: %v; packet: %s", path, len(packets), p.Err, pkt.Data)
		}
		packets = append(packets, p)
		if each != nil {
			each(len(packets))
		}
	}
	return packets
}

// metricFamilies is a parsed CollectMetrics scrape.
type metricFamilies map[string]*dto.MetricFamily

// collectMetrics calls CollectMetrics (with a PluginContext holding only the plugin id, as Grafana does)
// and parses the Prometheus text exposition.
func collectMetrics(t *testing.T) metricFamilies {
	t.Helper()
	h := sharedPlugin(t)
	res, err := h.diagnostics.CollectMetrics(ctxTimeout(t, 30*time.Second), &pluginv2.CollectMetricsRequest{
		PluginContext: &pluginv2.PluginContext{PluginId: pluginID},
	})
	if err != nil {
		t.Fatalf("CollectMetrics RPC failed: %v", err)
	}
	text := res.GetMetrics().GetPrometheus()
	if len(text) == 0 {
		t.Fatalf("CollectMetrics returned no Prometheus payload")
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(strings.NewReader(string(text)))
	if err != nil {
		t.Fatalf("CollectMetrics payload is not Prometheus text format: %v\n%s", err, text)
	}
	return fams
}

// sum adds the values (counter, gauge, untyped) or sample counts (histogram, summary) of the family's
// series whose labels satisfy match.
func (m metricFamilies) sum(family string, match func(labels map[string]string) bool) float64 {
	fam, ok := m[family]
	if !ok {
		return 0
	}
	var total float64
	for _, metric := range fam.Metric {
		labels := map[string]string{}
		for _, lp := range metric.Label {
			labels[lp.GetName()] = lp.GetValue()
		}
		if match != nil && !match(labels) {
			continue
		}
		switch {
		case metric.Counter != nil:
			total += metric.Counter.GetValue()
		case metric.Histogram != nil:
			total += float64(metric.Histogram.GetSampleCount())
		case metric.Summary != nil:
			total += float64(metric.Summary.GetSampleCount())
		case metric.Gauge != nil:
			total += metric.Gauge.GetValue()
		case metric.Untyped != nil:
			total += metric.Untyped.GetValue()
		}
	}
	return total
}

// containsJSONString reports whether the decoded JSON value holds the string s anywhere.
func containsJSONString(v any, s string) bool {
	switch x := v.(type) {
	case string:
		return x == s
	case []any:
		for _, e := range x {
			if containsJSONString(e, s) {
				return true
			}
		}
	case map[string]any:
		for _, e := range x {
			if containsJSONString(e, s) {
				return true
			}
		}
	}
	return false
}

// findJSONObject returns the first JSON object (at any depth) for which match holds.
func findJSONObject(v any, match func(map[string]any) bool) map[string]any {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			if o := findJSONObject(e, match); o != nil {
				return o
			}
		}
	case map[string]any:
		if match(x) {
			return x
		}
		for _, e := range x {
			if o := findJSONObject(e, match); o != nil {
				return o
			}
		}
	}
	return nil
}
